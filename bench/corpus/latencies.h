// Latencies of one kind of request, and their percentiles. Not thread-safe: each thread keeps its
// own and merges them when it is done.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace quire::bench {

struct Latencies {
  std::vector<double> ms;
  std::string slowest;  // the request that took the longest, to profile it
  double slowest_ms = 0;

  void Add(const std::string& request, double request_ms) {
    ms.push_back(request_ms);
    if (request_ms > slowest_ms) {
      slowest_ms = request_ms;
      slowest = request;
    }
  }
  void Merge(const Latencies& other) {
    ms.insert(ms.end(), other.ms.begin(), other.ms.end());
    if (other.slowest_ms > slowest_ms) {
      slowest_ms = other.slowest_ms;
      slowest = other.slowest;
    }
  }
  // The nearest-rank percentile, `p` in (0, 1]; 0 when there are none.
  double Percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    const size_t rank = static_cast<size_t>(p * static_cast<double>(ms.size()) + 0.999999);
    return ms[std::clamp<size_t>(rank, 1, ms.size()) - 1];
  }
};

}  // namespace quire::bench
