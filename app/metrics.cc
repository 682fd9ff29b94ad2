#include "metrics.h"

#include <sstream>

namespace quire::app {
namespace {

// Seconds: from a fast search (1 ms) to a long document's capture (two minutes).
constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                               0.5,   1,      2.5,   5,    10,    30,   60,  120};
constexpr size_t kBucketCount = sizeof kBuckets / sizeof kBuckets[0];

std::string WithLabels(const std::string& name, const std::string& labels) {
  return labels.empty() ? name : name + "{" + labels + "}";
}

}  // namespace

void Metrics::Count(const std::string& name, const std::string& labels, double by) {
  std::lock_guard lock(mu_);
  counters_[name][labels] += by;
}

void Metrics::Observe(const std::string& name, double seconds) {
  std::lock_guard lock(mu_);
  Histogram& h = histograms_[name];
  if (h.counts.empty()) h.counts.assign(kBucketCount, 0);
  size_t bucket = 0;
  while (bucket < kBucketCount && seconds > kBuckets[bucket]) ++bucket;
  if (bucket < kBucketCount) ++h.counts[bucket];
  h.sum += seconds;
  ++h.count;
}

void Metrics::Gauge(const std::string& name, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_[name] = std::move(read);
}

void Metrics::Gauges(const std::string& name, std::function<LabeledValues()> read) {
  std::lock_guard lock(mu_);
  labeled_gauges_[name] = std::move(read);
}

void Metrics::Describe(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  help_[name] = help;
}

std::string Metrics::Text() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  auto header = [&](const std::string& name, const char* type) {
    auto it = help_.find(name);
    if (it != help_.end()) out << "# HELP " << name << " " << it->second << "\n";
    out << "# TYPE " << name << " " << type << "\n";
  };
  for (const auto& [name, values] : counters_) {
    header(name, "counter");
    for (const auto& [labels, value] : values)
      out << WithLabels(name, labels) << " " << value << "\n";
  }
  for (const auto& [name, read] : gauges_) {
    header(name, "gauge");
    out << name << " " << read() << "\n";
  }
  for (const auto& [name, read] : labeled_gauges_) {
    header(name, "gauge");
    for (const auto& [labels, value] : read())
      out << WithLabels(name, labels) << " " << value << "\n";
  }
  for (const auto& [name, h] : histograms_) {
    header(name, "histogram");
    double cumulative = 0;
    for (size_t i = 0; i < kBucketCount; ++i) {
      cumulative += h.counts[i];
      out << name << "_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
    }
    out << name << "_bucket{le=\"+Inf\"} " << h.count << "\n";
    out << name << "_sum " << h.sum << "\n" << name << "_count " << h.count << "\n";
  }
  return out.str();
}

}  // namespace quire::app
