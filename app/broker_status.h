// What the broker's jobs and workers look like now: for `quire worker --status` and the server's
// /metrics. Reads only; safe beside running workers and archive sides.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker.h"

namespace quire::app {

struct WorkerStatus {
  std::string name;  // HOST-PID
  std::string host;
  int pid = 0;
  int jobs = 0;      // pages it reads at once
  int reading = 0;   // pages in hand now
  int64_t pages = 0;  // read since it started
  double pages_per_second = 0;  // over the last minute
  int64_t started = 0;          // unix seconds
};

struct BrokerStatus {
  int64_t queued = 0;   // jobs no worker has taken yet
  int64_t pending = 0;  // jobs taken and not answered yet
  int64_t claimed = 0;  // of those, jobs taken over from a worker that stopped answering
  int64_t redelivered = 0;  // jobs taken over since the broker's data began
  int64_t failed = 0;       // pages given up after kMaxDeliveries
  int64_t dropped = 0;      // jobs whose archive side had gone
  std::vector<WorkerStatus> workers;  // those that reported in the last seconds

  nlohmann::json ToJson() const;
};

Result<BrokerStatus> ReadBrokerStatus(BrokerConnection& broker);

}  // namespace quire::app
