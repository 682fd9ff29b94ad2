#include "worker.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "broker_status.h"
#include "page_jobs.h"
#include "watch.h"

namespace quire::app {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kCommandTimeout = 10s;
// How long a read of new jobs waits for one; also how soon a worker notices a stop.
constexpr char kBlockMs[] = "1000";
constexpr auto kRetryDelay = 1s;
// The status hash is written this often and lives this long without a refresh.
constexpr auto kReportEvery = 2s;
constexpr char kReportSeconds[] = "10";
// Pages per second are counted over this window.
constexpr auto kRateWindow = 60s;

void Log(const std::string& message) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::cerr << "quire worker: " << message << "\n";
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

std::string Milliseconds(double seconds) {
  return std::to_string(static_cast<int64_t>(seconds * 1000));
}

// A job taken from the stream: its entry and how many times it has been delivered.
struct Taken {
  StreamEntry entry;
  int64_t deliveries = 1;
};

// What this process is doing and has done, for its status hash.
class Tally {
 public:
  void Reading(const std::string& id, const std::string& consumer) {
    std::lock_guard lock(mutex_);
    in_hand_[id] = consumer;
  }
  void Done(const std::string& id) {
    std::lock_guard lock(mutex_);
    in_hand_.erase(id);
    ++pages_;
    recent_.push_back(Clock::now());
  }
  void Dropped(const std::string& id) {
    std::lock_guard lock(mutex_);
    in_hand_.erase(id);
  }
  std::map<std::string, std::string> InHand() {
    std::lock_guard lock(mutex_);
    return in_hand_;
  }
  // HSET arguments after the key.
  std::vector<std::string> Fields(int jobs) {
    std::lock_guard lock(mutex_);
    const Clock::time_point now = Clock::now();
    while (!recent_.empty() && now - recent_.front() > kRateWindow) recent_.pop_front();
    const double seconds =
        std::min(std::chrono::duration<double>(kRateWindow).count(),
                 std::max(1.0, std::chrono::duration<double>(now - start_).count()));
    char rate[32];
    snprintf(rate, sizeof rate, "%.2f", recent_.size() / seconds);
    return {"host",
            HostName(),
            "pid",
            std::to_string(getpid()),
            "jobs",
            std::to_string(jobs),
            "started",
            std::to_string(started_),
            "pages",
            std::to_string(pages_),
            "pages_per_second",
            rate,
            "reading",
            std::to_string(in_hand_.size())};
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> in_hand_;  // entry id -> consumer; guarded by mutex_
  int64_t pages_ = 0;                           // guarded by mutex_
  std::deque<Clock::time_point> recent_;        // guarded by mutex_
  const Clock::time_point start_ = Clock::now();
  const int64_t started_ = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
};

class Worker {
 public:
  Worker(const BrokerAddress& address, const WorkerOptions& options, capture::Capturer& capturer)
      : address_(address),
        options_(options),
        capturer_(capturer),
        name_(HostName() + "-" + std::to_string(getpid())) {}

  const std::string& name() const { return name_; }

  // One per page read at once.
  void Fetch(int slot);
  // Renews the claims on the pages in hand and reports this worker's status.
  void Keep();
  // Removes this worker's traces once every Fetch has returned.
  void Leave();

  void Stop() { stopping_ = true; }

 private:
  // A connection with the consumer group made (again, after a broker that lost its data).
  Result<std::unique_ptr<BrokerConnection>> Connect();
  // Connects `broker` when it is not; false (said once, after a pause) while the broker is away.
  bool Reconnect(std::unique_ptr<BrokerConnection>& broker);
  void Away(const Status& why);
  void Back();
  void Pause() const;

  Result<std::optional<Taken>> Take(BrokerConnection& broker, const std::string& consumer);
  Result<std::optional<Taken>> TakeOver(BrokerConnection& broker, const std::string& consumer);
  void Handle(std::unique_ptr<BrokerConnection>& broker, const std::string& consumer,
              const Taken& taken);
  PageResultEntry Read(const PageJobEntry& job, const std::string& id, const std::string& consumer);
  // Writes the result, then acknowledges and deletes the job; through outages, until done or
  // stopped (a stopped worker's job is taken over by another).
  void Answer(std::unique_ptr<BrokerConnection>& broker, const std::string& id,
              const std::string& client, const PageResultEntry& result);
  void Count(BrokerConnection& broker, const char* counter);

  const BrokerAddress address_;
  const WorkerOptions options_;
  capture::Capturer& capturer_;
  const std::string name_;
  Tally tally_;
  std::atomic<bool> stopping_ = false;
  std::atomic<bool> away_ = false;
  std::mutex consumers_mutex_;
  std::vector<std::string> consumers_;  // guarded by consumers_mutex_
};

Result<std::unique_ptr<BrokerConnection>> Worker::Connect() {
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<BrokerConnection> broker,
                         BrokerConnection::Connect(address_, kCommandTimeout));
  // From the start of the stream: jobs added before the group was made are read too.
  QUIRE_ASSIGN_OR_RETURN(RedisReply group, broker->Run({"XGROUP", "CREATE", kJobStream,
                                                        kWorkerGroup, "0", "MKSTREAM"}));
  if (group.is_error() && !group.str.starts_with("BUSYGROUP")) {
    return Status::Internal("the broker refused to make the workers' group: " + group.str);
  }
  return broker;
}

bool Worker::Reconnect(std::unique_ptr<BrokerConnection>& broker) {
  if (broker) return true;
  Result<std::unique_ptr<BrokerConnection>> connected = Connect();
  if (!connected.ok()) {
    Away(connected.status());
    Pause();
    return false;
  }
  broker = std::move(*connected);
  Back();
  return true;
}

void Worker::Away(const Status& why) {
  if (!away_.exchange(true)) {
    Log(why.message() + "; waiting for it (pages read meanwhile are kept and answered then)");
  }
}

void Worker::Back() {
  if (away_.exchange(false)) Log("the broker at " + address_.url + " is back");
}

void Worker::Pause() const {
  for (auto until = Clock::now() + kRetryDelay; !stopping_ && Clock::now() < until;) {
    std::this_thread::sleep_for(50ms);
  }
}

void Worker::Fetch(int slot) {
  const std::string consumer = name_ + "-" + std::to_string(slot);
  {
    std::lock_guard lock(consumers_mutex_);
    consumers_.push_back(consumer);
  }
  std::unique_ptr<BrokerConnection> broker;
  while (!stopping_) {
    if (!Reconnect(broker)) continue;
    Result<std::optional<Taken>> taken = Take(*broker, consumer);
    if (!taken.ok()) {
      broker.reset();
      Away(taken.status());
      continue;
    }
    if (taken->has_value()) Handle(broker, consumer, **taken);
  }
}

Result<std::optional<Taken>> Worker::Take(BrokerConnection& broker, const std::string& consumer) {
  Result<std::optional<Taken>> over = TakeOver(broker, consumer);
  if (!over.ok() || over->has_value()) return over;
  QUIRE_ASSIGN_OR_RETURN(RedisReply read,
                         broker.Run({"XREADGROUP", "GROUP", kWorkerGroup, consumer, "COUNT", "1",
                                     "BLOCK", kBlockMs, "STREAMS", kJobStream, ">"}));
  if (read.is_error()) {
    // NOGROUP: the broker lost its data (restarted without persistence); make the group again.
    if (!read.str.starts_with("NOGROUP")) return Status::IoError("XREADGROUP: " + read.str);
    return Status::IoError("the broker at " + address_.url + " lost the workers' group");
  }
  std::vector<StreamEntry> entries = ReadEntries(read);
  if (entries.empty()) return std::optional<Taken>();
  return std::optional<Taken>(Taken{std::move(entries.front()), 1});
}

Result<std::optional<Taken>> Worker::TakeOver(BrokerConnection& broker,
                                              const std::string& consumer) {
  QUIRE_ASSIGN_OR_RETURN(
      RedisReply claimed,
      broker.Run({"XAUTOCLAIM", kJobStream, kWorkerGroup, consumer,
                  Milliseconds(options_.claim_after_seconds), "0-0", "COUNT", "1"}));
  if (claimed.is_error() || claimed.elements.size() < 2) return std::optional<Taken>();
  for (StreamEntry& entry : StreamEntries(claimed.elements[1])) {
    if (entry.fields.is_nil()) continue;  // deleted meanwhile: nothing to read
    QUIRE_ASSIGN_OR_RETURN(RedisReply pending, broker.RunOk({"XPENDING", kJobStream, kWorkerGroup,
                                                             entry.id, entry.id, "1"}));
    Taken taken{std::move(entry), 2};
    if (!pending.elements.empty() && pending.elements[0].elements.size() == 4) {
      taken.deliveries = pending.elements[0].elements[3].integer;
    }
    Count(broker, kRedeliveredCount);
    Log("took over job " + taken.entry.id + " from a worker that stopped answering (delivery " +
        std::to_string(taken.deliveries) + ")");
    return std::optional<Taken>(std::move(taken));
  }
  return std::optional<Taken>();
}

void Worker::Count(BrokerConnection& broker, const char* counter) {
  (void)broker.Run({"HINCRBY", kCountsKey, counter, "1"});  // a lost count costs nothing
}

void Worker::Handle(std::unique_ptr<BrokerConnection>& broker, const std::string& consumer,
                    const Taken& taken) {
  const std::string& id = taken.entry.id;
  Result<PageJobEntry> job = DecodeJob(taken.entry.fields);
  if (!job.ok()) {
    Log("job " + id + " cannot be read, and is dropped: " + job.status().message());
    (void)broker->Run({"XACK", kJobStream, kWorkerGroup, id});
    (void)broker->Run({"XDEL", kJobStream, id});
    Count(*broker, kDroppedCount);
    return;
  }
  Result<RedisReply> alive = broker->Run({"EXISTS", ClientKey(job->client)});
  if (alive.ok() && alive->integer == 0) {  // its archive side stopped: nobody wants it
    (void)broker->Run({"XACK", kJobStream, kWorkerGroup, id});
    (void)broker->Run({"XDEL", kJobStream, id});
    Count(*broker, kDroppedCount);
    return;
  }
  PageResultEntry result;
  if (taken.deliveries > kMaxDeliveries) {
    result = PageResultEntry{job->job, name_, 0, "", {}};
    result.error = "page " + std::to_string(job->page.index + 1) + " was given to quire workers " +
                   std::to_string(kMaxDeliveries) +
                   " times and none answered (each stopped or was killed while reading it): "
                   "the page may crash the reader; read the file without --broker to see why";
    Log("job " + id + ": " + result.error);
    Count(*broker, kFailedCount);
  } else {
    result = Read(*job, id, consumer);
  }
  Answer(broker, id, job->client, result);
}

PageResultEntry Worker::Read(const PageJobEntry& job, const std::string& id,
                             const std::string& consumer) {
  PageResultEntry result{job.job, name_, 0, "", {}};
  if (job.page.image.size() > kMaxJobBytes) {
    result.error = "page " + std::to_string(job.page.index + 1) +
                   " is larger than a page job may be; read it without --broker";
    return result;
  }
  tally_.Reading(id, consumer);
  const Clock::time_point start = Clock::now();
  Result<PageText> page = capturer_.ReadJob(job.page);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  tally_.Done(id);
  if (page.ok()) {
    result.page = std::move(*page);
  } else {
    result.error = page.status().message();
  }
  return result;
}

void Worker::Answer(std::unique_ptr<BrokerConnection>& broker, const std::string& id,
                    const std::string& client, const PageResultEntry& result) {
  std::vector<std::string> add = {"XADD", ResultStream(client), "*"};
  for (std::string& field : EncodeResult(result)) add.push_back(std::move(field));
  for (;;) {
    if (!broker && stopping_) return;  // pending, so another worker takes it over
    if (!Reconnect(broker)) continue;
    // A client gone meanwhile gets no result: its stream would never be read nor removed.
    Result<RedisReply> alive = broker->RunOk({"EXISTS", ClientKey(client)});
    Status status = alive.status();
    if (status.ok() && alive->integer == 1) status = broker->RunOk(add).status();
    if (status.ok()) status = broker->RunOk({"XACK", kJobStream, kWorkerGroup, id}).status();
    if (status.ok()) status = broker->RunOk({"XDEL", kJobStream, id}).status();
    if (status.ok()) return;
    broker.reset();
    Away(status);
  }
}

void Worker::Keep() {
  std::unique_ptr<BrokerConnection> broker;
  const auto renew_every = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.claim_after_seconds / 3));
  const std::string key = kWorkerKeyPrefix + name_;
  Clock::time_point reported, renewed;
  while (!stopping_) {
    std::this_thread::sleep_for(50ms);
    const Clock::time_point now = Clock::now();
    if (now - renewed < renew_every && now - reported < kReportEvery) continue;
    if (!broker) {
      Result<std::unique_ptr<BrokerConnection>> connected =
          BrokerConnection::Connect(address_, kCommandTimeout);
      if (!connected.ok()) {
        Pause();
        continue;
      }
      broker = std::move(*connected);
    }
    Status status;
    if (now - renewed >= renew_every) {
      for (const auto& [id, consumer] : tally_.InHand()) {
        // JUSTID: the idle time starts again, the delivery count stays.
        status = broker->RunOk({"XCLAIM", kJobStream, kWorkerGroup, consumer, "0", id, "JUSTID"})
                     .status();
        if (!status.ok()) break;
      }
      renewed = now;
    }
    if (status.ok() && now - reported >= kReportEvery) {
      std::vector<std::string> hset = {"HSET", key};
      for (std::string& field : tally_.Fields(capturer_.jobs())) hset.push_back(std::move(field));
      status = broker->RunOk(hset).status();
      if (status.ok()) status = broker->RunOk({"EXPIRE", key, kReportSeconds}).status();
      reported = now;
    }
    if (!status.ok()) broker.reset();
  }
}

void Worker::Leave() {
  Result<std::unique_ptr<BrokerConnection>> broker =
      BrokerConnection::Connect(address_, kCommandTimeout);
  if (!broker.ok()) return;  // the status hash expires by itself
  (void)(*broker)->Run({"DEL", kWorkerKeyPrefix + name_});
  std::lock_guard lock(consumers_mutex_);
  for (const std::string& consumer : consumers_) {
    // A consumer with a job pending keeps it, for another worker to take over.
    Result<RedisReply> pending =
        (*broker)->Run({"XPENDING", kJobStream, kWorkerGroup, "-", "+", "1", consumer});
    if (pending.ok() && !pending->is_error() && pending->elements.empty()) {
      (void)(*broker)->Run({"XGROUP", "DELCONSUMER", kJobStream, kWorkerGroup, consumer});
    }
  }
}

void PrintStatus(const BrokerAddress& address, const BrokerStatus& s) {
  std::cout << "broker       " << address.url << "\n"
            << "queued       " << s.queued << "  jobs no worker has taken yet\n"
            << "pending      " << s.pending << "  taken by a worker, not answered yet\n"
            << "claimed      " << s.claimed
            << "  of those, taken over from a worker that stopped answering\n"
            << "redelivered  " << s.redelivered << "  jobs taken over so far\n"
            << "failed       " << s.failed << "  pages given up after " << kMaxDeliveries
            << " deliveries\n"
            << "dropped      " << s.dropped << "  jobs whose archive side had stopped\n"
            << "workers      " << s.workers.size() << "\n";
  for (const WorkerStatus& w : s.workers) {
    char rate[32];
    snprintf(rate, sizeof rate, "%.2f", w.pages_per_second);
    std::cout << "  " << w.name << "  " << w.jobs << " at once, reading " << w.reading << ", "
              << rate << " pages/s (last minute), " << w.pages << " pages since "
              << IsoTime(w.started) << "\n";
  }
}

}  // namespace

int RunWorker(const GlobalOptions& /*global*/, const PipelineOptions& pipeline,
              const WorkerOptions& options) {
  Result<BrokerAddress> address = ParseBrokerUrl(options.broker);
  if (!address.ok()) return ReportError(address.status());
  if (!(options.claim_after_seconds > 0)) {
    return ReportError(Status::InvalidArgument("--claim-after must be more than 0 seconds"));
  }
  Result<int> signal_fd = StopSignals();
  if (!signal_fd.ok()) return ReportError(signal_fd.status());
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(pipeline.capture);
  if (!capturer.ok()) return ReportError(capturer.status());

  Worker worker(*address, options, **capturer);
  Log("reading pages from " + address->url + " as " + worker.name() + ", " +
      std::to_string((*capturer)->jobs()) + " at once");
  std::vector<std::thread> threads;
  for (int slot = 0; slot < (*capturer)->jobs(); ++slot) {
    threads.emplace_back([&worker, slot] { worker.Fetch(slot); });
  }
  std::thread keeper([&worker] { worker.Keep(); });
  uint64_t signal_info[16];  // a signalfd_siginfo is 128 bytes
  if (read(*signal_fd, signal_info, sizeof signal_info) < 0) {
    // Woken all the same: stop.
  }
  Log("stopping (finishing the pages in hand)");
  worker.Stop();
  for (std::thread& thread : threads) thread.join();
  keeper.join();
  worker.Leave();
  close(*signal_fd);
  return kExitOk;
}

int RunWorkerStatus(const GlobalOptions& global, const WorkerOptions& options) {
  Result<BrokerAddress> address = ParseBrokerUrl(options.broker);
  if (!address.ok()) return ReportError(address.status());
  Result<std::unique_ptr<BrokerConnection>> broker =
      BrokerConnection::Connect(*address, kCommandTimeout);
  if (!broker.ok()) return ReportError(broker.status());
  Result<BrokerStatus> status = ReadBrokerStatus(**broker);
  if (!status.ok()) return ReportError(status.status());
  if (global.json) {
    PrintJson(status->ToJson());
  } else {
    PrintStatus(*address, *status);
  }
  return kExitOk;
}

}  // namespace quire::app
