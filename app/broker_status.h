// What the broker's jobs and workers look like now: for `quire worker --status` and the server's
// /metrics. Reads only; safe beside running workers and archive sides.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "broker.h"
#include "metrics.h"

namespace quire::app {

struct WorkerStatus {
  std::string name;  // HOST-PID
  std::string host;
  int pid = 0;
  int jobs = 0;                 // pages it reads at once
  int reading = 0;              // pages in hand now
  int64_t pages = 0;            // read since it started
  double pages_per_second = 0;  // over the last minute
  int64_t started = 0;          // unix seconds
};

struct BrokerStatus {
  int64_t queued = 0;       // jobs no worker has taken yet
  int64_t pending = 0;      // jobs taken and not answered yet
  int64_t claimed = 0;      // of those, jobs taken over from a worker that stopped answering
  int64_t redelivered = 0;  // jobs taken over since the broker's data began
  int64_t failed = 0;       // pages given up after kMaxDeliveries
  int64_t dropped = 0;      // jobs whose archive side had gone
  std::vector<WorkerStatus> workers;  // those that reported in the last seconds

  nlohmann::json ToJson() const;
};

Result<BrokerStatus> ReadBrokerStatus(BrokerConnection& broker);

// The broker's status as gauges of the server's /metrics: queued, pending and claimed jobs, the
// counts of redelivered, failed and dropped jobs, and each worker's pages per second. The broker
// is asked at most once a second, on its own connection; when it cannot be reached, the gauges
// are left out. Thread-safe; must outlive the Metrics it is added to.
class BrokerMetrics {
 public:
  explicit BrokerMetrics(const BrokerAddress& address) : address_(address) {}
  void AddTo(Metrics& metrics);

 private:
  // The status now, or from less than a second ago.
  std::optional<BrokerStatus> Current();

  const BrokerAddress address_;
  std::mutex mutex_;
  std::unique_ptr<BrokerConnection> connection_;  // guarded by mutex_
  std::optional<BrokerStatus> status_;            // guarded by mutex_
  std::chrono::steady_clock::time_point read_;    // guarded by mutex_
};

}  // namespace quire::app
