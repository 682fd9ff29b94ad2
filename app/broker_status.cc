#include "broker_status.h"

#include <map>

#include "page_jobs.h"

namespace quire::app {
namespace {

// The pending entries looked at to count the taken-over ones.
constexpr char kPendingLooked[] = "1000";

// A flat [name, value, ...] reply (HGETALL, XINFO GROUPS' groups) as a map.
std::map<std::string, RedisReply> Pairs(const RedisReply& reply) {
  std::map<std::string, RedisReply> map;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    map[reply.elements[i].str] = reply.elements[i + 1];
  }
  return map;
}

int64_t Number(const RedisReply& reply) {
  if (reply.type == RedisReply::Type::kInteger) return reply.integer;
  return std::atoll(reply.str.c_str());
}

}  // namespace

nlohmann::json BrokerStatus::ToJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const WorkerStatus& w : workers) {
    list.push_back({{"name", w.name},
                    {"host", w.host},
                    {"pid", w.pid},
                    {"jobs", w.jobs},
                    {"reading", w.reading},
                    {"pages", w.pages},
                    {"pages_per_second", w.pages_per_second},
                    {"started", w.started}});
  }
  return {
      {"queued", queued}, {"pending", pending}, {"claimed", claimed}, {"redelivered", redelivered},
      {"failed", failed}, {"dropped", dropped}, {"workers", list}};
}

Result<BrokerStatus> ReadBrokerStatus(BrokerConnection& broker) {
  BrokerStatus status;
  QUIRE_ASSIGN_OR_RETURN(RedisReply groups, broker.Run({"XINFO", "GROUPS", kJobStream}));
  QUIRE_ASSIGN_OR_RETURN(RedisReply length, broker.RunOk({"XLEN", kJobStream}));
  for (const RedisReply& group : groups.elements) {  // an error reply: no stream yet
    std::map<std::string, RedisReply> fields = Pairs(group);
    if (fields["name"].str != kWorkerGroup) continue;
    status.pending = Number(fields["pending"]);
    // "lag" (Redis 7) is nil when it cannot be told; the stream holds only jobs not done.
    status.queued = fields["lag"].type == RedisReply::Type::kInteger
                        ? fields["lag"].integer
                        : std::max<int64_t>(0, length.integer - status.pending);
  }
  if (status.pending > 0) {
    QUIRE_ASSIGN_OR_RETURN(RedisReply pending, broker.RunOk({"XPENDING", kJobStream, kWorkerGroup,
                                                             "-", "+", kPendingLooked}));
    for (const RedisReply& entry : pending.elements) {  // [id, consumer, idle ms, deliveries]
      if (entry.elements.size() == 4 && entry.elements[3].integer > 1) ++status.claimed;
    }
  }
  QUIRE_ASSIGN_OR_RETURN(RedisReply counts, broker.RunOk({"HGETALL", kCountsKey}));
  std::map<std::string, RedisReply> count = Pairs(counts);
  status.redelivered = Number(count[kRedeliveredCount]);
  status.failed = Number(count[kFailedCount]);
  status.dropped = Number(count[kDroppedCount]);

  std::string cursor = "0";
  do {
    QUIRE_ASSIGN_OR_RETURN(
        RedisReply scan, broker.RunOk({"SCAN", cursor, "MATCH", std::string(kWorkerKeyPrefix) + "*",
                                       "COUNT", "100"}));
    if (scan.elements.size() != 2) break;
    cursor = scan.elements[0].str;
    for (const RedisReply& key : scan.elements[1].elements) {
      QUIRE_ASSIGN_OR_RETURN(RedisReply hash, broker.RunOk({"HGETALL", key.str}));
      std::map<std::string, RedisReply> f = Pairs(hash);
      if (f.empty()) continue;  // expired between the scan and now
      WorkerStatus w;
      w.name = key.str.substr(std::string(kWorkerKeyPrefix).size());
      w.host = f["host"].str;
      w.pid = static_cast<int>(Number(f["pid"]));
      w.jobs = static_cast<int>(Number(f["jobs"]));
      w.reading = static_cast<int>(Number(f["reading"]));
      w.pages = Number(f["pages"]);
      w.pages_per_second = std::atof(f["pages_per_second"].str.c_str());
      w.started = Number(f["started"]);
      status.workers.push_back(std::move(w));
    }
  } while (cursor != "0");
  std::sort(status.workers.begin(), status.workers.end(),
            [](const WorkerStatus& a, const WorkerStatus& b) { return a.name < b.name; });
  return status;
}

std::optional<BrokerStatus> BrokerMetrics::Current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - read_ < std::chrono::seconds(1)) return status_;
  read_ = now;
  status_.reset();
  if (!connection_) {
    Result<std::unique_ptr<BrokerConnection>> connected =
        BrokerConnection::Connect(address_, std::chrono::seconds(2));
    if (!connected.ok()) return status_;
    connection_ = std::move(*connected);
  }
  Result<BrokerStatus> status = ReadBrokerStatus(*connection_);
  if (status.ok()) {
    status_ = std::move(*status);
  } else {
    connection_.reset();  // connect again at the next scrape
  }
  return status_;
}

void BrokerMetrics::AddTo(Metrics& metrics) {
  using Values = Metrics::LabeledValues;
  const auto add = [&](const std::string& name, const std::string& help,
                       int64_t BrokerStatus::*member) {
    metrics.Describe(name, help);
    metrics.Gauges(name, [this, member]() -> Values {
      std::optional<BrokerStatus> s = Current();
      return s ? Values{{"", double((*s).*member)}} : Values{};
    });
  };
  add("quire_broker_jobs_queued", "page jobs on the broker that no worker has taken yet",
      &BrokerStatus::queued);
  add("quire_broker_jobs_pending", "page jobs taken by a worker and not answered yet",
      &BrokerStatus::pending);
  add("quire_broker_jobs_claimed",
      "pending page jobs taken over from a worker that stopped answering", &BrokerStatus::claimed);
  add("quire_broker_redelivered", "page jobs taken over from stopped workers so far",
      &BrokerStatus::redelivered);
  add("quire_broker_failed", "pages given up after 3 deliveries so far", &BrokerStatus::failed);
  add("quire_broker_dropped", "page jobs dropped because their archive side had stopped",
      &BrokerStatus::dropped);
  metrics.Describe("quire_broker_worker_pages_per_second",
                   "pages each running worker read per second over the last minute");
  metrics.Gauges("quire_broker_worker_pages_per_second", [this]() -> Values {
    Values values;
    if (std::optional<BrokerStatus> s = Current()) {
      for (const WorkerStatus& w : s->workers) {
        values["worker=\"" + w.name + "\""] = w.pages_per_second;
      }
    }
    return values;
  });
}

}  // namespace quire::app
