// What `quire serve` counts, for GET /metrics in Prometheus' text exposition format (version
// 0.0.4): counters, gauges read at scrape time, and histograms with cumulative buckets.
//
// Thread safety: every method may be called from several threads at once.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace quire::app {

class Metrics {
 public:
  // Adds `by` to the counter `name` with `labels` ("reason=\"bad_file\"" or "").
  void Count(const std::string& name, const std::string& labels = "", double by = 1);
  // Adds one observation (seconds) to the histogram `name`.
  void Observe(const std::string& name, double seconds);
  // A value read when scraped (queue lengths).
  void Gauge(const std::string& name, std::function<double()> read);
  // Values read when scraped, one per label set ("worker=\"a\"" -> value): per-worker rates.
  using LabeledValues = std::map<std::string, double>;
  void Gauges(const std::string& name, std::function<LabeledValues()> read);
  // HELP text of a metric.
  void Describe(const std::string& name, const std::string& help);

  std::string Text() const;

 private:
  struct Histogram {
    std::vector<double> counts;  // per bucket of kBuckets, not cumulative
    double sum = 0;
    double count = 0;
  };

  mutable std::mutex mu_;
  std::map<std::string, std::string> help_;                        // name -> help
  std::map<std::string, std::map<std::string, double>> counters_;  // name -> labels -> value
  std::map<std::string, Histogram> histograms_;
  std::map<std::string, std::function<double()>> gauges_;
  std::map<std::string, std::function<LabeledValues()>> labeled_gauges_;
};

}  // namespace quire::app
