#include "broker_pages.h"

#include <chrono>
#include <random>

#include "page_jobs.h"

namespace quire::app {
namespace {

using namespace std::chrono_literals;

constexpr auto kCommandTimeout = 10s;
// How long a read of results waits for one; also how soon the link thread notices a stop.
constexpr char kBlockMs[] = "1000";
// Between attempts to reach a broker that is gone.
constexpr auto kRetryDelay = 1s;
// The client key lives this long without a refresh, and is refreshed this often.
constexpr char kClientSeconds[] = "60";
constexpr auto kClientRefresh = 10s;
// The entry a stopping reader adds to its own results stream to end its blocking read.
constexpr char kWakeField[] = "wake";

std::string RandomClient() {
  std::random_device random;
  std::string id;
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) id += kHex[random() % 16];
  return id;
}

std::string Megabytes(size_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20) + " MB"; }

}  // namespace

BrokerPageReader::BrokerPageReader(const BrokerAddress& address,
                                   std::function<void(const std::string&)> log)
    : address_(address), log_(std::move(log)), client_(RandomClient()) {}

Result<std::shared_ptr<BrokerPageReader>> BrokerPageReader::Start(
    const BrokerAddress& address, std::function<void(const std::string&)> log) {
  std::shared_ptr<BrokerPageReader> reader(new BrokerPageReader(address, std::move(log)));
  {
    std::lock_guard submit(reader->submit_mutex_);
    QUIRE_RETURN_IF_ERROR(reader->Reconnect());
  }
  reader->link_ = std::thread([raw = reader.get()] { raw->Link(); });
  return reader;
}

BrokerPageReader::~BrokerPageReader() {
  stopping_ = true;
  {
    // Wakes the link thread's blocking read at once, rather than after its timeout.
    std::lock_guard submit(submit_mutex_);
    if (connected_) (void)submit_->Run({"XADD", ResultStream(client_), "*", kWakeField, "1"});
  }
  if (link_.joinable()) link_.join();
  if (connected_) {
    (void)results_->Run({"DEL", ClientKey(client_), ResultStream(client_)});
  }
}

void BrokerPageReader::Read(capture::PageJob page, std::function<void(Result<PageText>)> done) {
  if (page.image.size() > kMaxJobBytes) {
    return done(Status::ResourceExhausted(
        "page " + std::to_string(page.index + 1) + " is " + Megabytes(page.image.size()) +
        " as an image, over the " + Megabytes(kMaxJobBytes) +
        " a page job may carry to a worker: scan it at 300 dpi, or read it without --broker"));
  }
  uint64_t job;
  {
    std::lock_guard lock(mutex_);
    job = next_job_++;
    waiting_.emplace(job, Waiting{std::move(page), std::move(done), ""});
  }
  std::lock_guard submit(submit_mutex_);
  if (!connected_) return;  // sent by Reconnect once the broker is back
  const capture::PageJob* to_send;
  {
    std::lock_guard lock(mutex_);
    auto it = waiting_.find(job);
    // Holding submit_mutex_, nothing sends it nor, unsent, can its result arrive: it stays put.
    if (it == waiting_.end() || !it->second.entry.empty()) return;
    to_send = &it->second.page;
  }
  Status sent = Send(job, *to_send);
  if (!sent.ok()) connected_ = false;  // the link thread reconnects and sends it again
}

Status BrokerPageReader::Send(uint64_t job, const capture::PageJob& page) {
  std::vector<std::string> args = {"XADD", kJobStream, "*"};
  for (std::string& field : EncodeJob(PageJobEntry{client_, job, page})) {
    args.push_back(std::move(field));
  }
  QUIRE_ASSIGN_OR_RETURN(RedisReply entry, submit_->RunOk(args));
  std::lock_guard lock(mutex_);
  if (auto it = waiting_.find(job); it != waiting_.end()) it->second.entry = entry.str;
  return Status::Ok();
}

Status BrokerPageReader::Reconnect() {
  connected_ = false;
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<BrokerConnection> submit,
                         BrokerConnection::Connect(address_, kCommandTimeout));
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<BrokerConnection> results,
                         BrokerConnection::Connect(address_, kCommandTimeout));
  submit_ = std::move(submit);
  results_ = std::move(results);
  QUIRE_ASSIGN_OR_RETURN(RedisReply alive,
                         results_->RunOk({"SET", ClientKey(client_), "1", "EX", kClientSeconds}));
  // Results that came while away first, so that only jobs without one are sent again.
  for (;;) {
    const std::string before = last_result_;
    QUIRE_RETURN_IF_ERROR(TakeResults());
    if (last_result_ == before) break;
  }
  std::vector<uint64_t> lost;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [job, waiting] : waiting_) {
      if (waiting.entry.empty()) {
        lost.push_back(job);
        continue;
      }
      QUIRE_ASSIGN_OR_RETURN(RedisReply there,
                             submit_->RunOk({"XRANGE", kJobStream, waiting.entry, waiting.entry}));
      if (there.elements.empty()) lost.push_back(job);  // neither done nor waiting there
    }
  }
  for (uint64_t job : lost) {
    const capture::PageJob* page;
    {
      std::lock_guard lock(mutex_);
      auto it = waiting_.find(job);
      if (it == waiting_.end()) continue;
      page = &it->second.page;
    }
    QUIRE_RETURN_IF_ERROR(Send(job, *page));
  }
  connected_ = true;
  return Status::Ok();
}

void BrokerPageReader::Link() {
  bool away = false;
  auto refreshed = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (!connected_) {
      Status back;
      {
        std::lock_guard submit(submit_mutex_);
        back = Reconnect();
      }
      if (!back.ok()) {
        if (!away) {
          size_t waiting;
          {
            std::lock_guard lock(mutex_);
            waiting = waiting_.size();
          }
          log_(back.message() + "; " + std::to_string(waiting) +
               " pages wait here, their files stay where they are, and reading goes on when "
               "it is back");
          away = true;
        }
        for (auto until = std::chrono::steady_clock::now() + kRetryDelay;
             !stopping_ && std::chrono::steady_clock::now() < until;) {
          std::this_thread::sleep_for(50ms);
        }
        continue;
      }
      if (away) log_("the broker at " + address_.url + " is back; reading goes on");
      away = false;
      refreshed = std::chrono::steady_clock::now();
    }
    if (std::chrono::steady_clock::now() - refreshed > kClientRefresh) {
      if (!results_->Run({"SET", ClientKey(client_), "1", "EX", kClientSeconds}).ok()) {
        connected_ = false;
        continue;
      }
      refreshed = std::chrono::steady_clock::now();
    }
    if (!TakeResults().ok()) connected_ = false;
  }
}

Status BrokerPageReader::TakeResults() {
  // Blocks only once connected: Reconnect drains what is there.
  std::vector<std::string> args = {"XREAD", "COUNT", "100"};
  if (connected_) args.insert(args.end(), {"BLOCK", kBlockMs});
  args.insert(args.end(), {"STREAMS", ResultStream(client_), last_result_});
  QUIRE_ASSIGN_OR_RETURN(RedisReply reply, results_->RunOk(args));
  std::vector<std::string> taken = {"XDEL", ResultStream(client_)};
  for (StreamEntry& entry : ReadEntries(reply)) {
    last_result_ = entry.id;
    taken.push_back(entry.id);
    if (stopping_) continue;
    Result<PageResultEntry> result = DecodeResult(entry.fields);
    if (!result.ok()) {
      log_("a page result from the broker cannot be read, and is skipped: " +
           result.status().message());
      continue;
    }
    if (!result->error.empty()) {
      Finish(result->job, Status::InvalidArgument(result->error), result->seconds);
    } else {
      Finish(result->job, std::move(result->page), result->seconds);
    }
  }
  if (taken.size() > 2) return results_->RunOk(taken).status();
  return Status::Ok();
}

BrokerPageReader::Overhead BrokerPageReader::overhead() {
  std::lock_guard lock(mutex_);
  return Overhead{pages_, pages_ > 0 ? overhead_seconds_ / pages_ : 0};
}

void BrokerPageReader::Finish(uint64_t job, Result<PageText> page, double read_seconds) {
  std::function<void(Result<PageText>)> done;
  {
    std::lock_guard lock(mutex_);
    auto it = waiting_.find(job);
    if (it == waiting_.end()) {
      ++duplicates_;  // a second reading of a page already done
      return;
    }
    ++pages_;
    overhead_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second.handed)
            .count() -
        read_seconds;
    done = std::move(it->second.done);
    waiting_.erase(it);
  }
  done(std::move(page));
}

Status UseBroker(const std::string& url, capture::CaptureOptions& capture,
                 std::function<void(const std::string&)> log) {
  if (url.empty()) return Status::Ok();
  QUIRE_ASSIGN_OR_RETURN(BrokerAddress address, ParseBrokerUrl(url));
  QUIRE_ASSIGN_OR_RETURN(std::shared_ptr<BrokerPageReader> reader,
                         BrokerPageReader::Start(address, log));
  capture.remote = std::move(reader);
  return Status::Ok();
}

}  // namespace quire::app
