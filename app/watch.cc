#include "watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "broker_pages.h"
#include "ingest.h"
#include "quire/common/file.h"
#include "quire/common/hash.h"
#include "quire/store/journal.h"
#include "separated_ingest.h"
#include "watch_files.h"
#include "watch_inbox.h"

namespace quire::app {
namespace fs = std::filesystem;
using store::FileState;
using store::JournalEntry;

namespace {

// How often the main loop looks at the folder when nothing wakes it.
constexpr int kTickMs = 200;

// "30", "0.5": seconds as the user would write them.
std::string FormatSeconds(double seconds) {
  char text[32];
  snprintf(text, sizeof text, "%g", seconds);
  return text;
}

JournalEntry Entry(const std::string& file, FileState state) {
  JournalEntry entry;
  entry.file = file;
  entry.state = state;
  entry.time_ms = NowMs();
  return entry;
}

// What became of a file the watcher took.
struct Outcome {
  enum Kind { kCommitted, kDuplicate, kFailed, kRetry, kGone } kind;
  store::DocId id = 0;
  std::string error;
  int64_t ms = 0;
};

// One line per event on stderr: plain text, or one JSON object with --log-json.
class WatchLog {
 public:
  explicit WatchLog(bool json) : json_(json) {}

  // `plain` is what follows the file name in the plain format; `details` go into the JSON.
  void Write(const std::string& event, const std::string& file, const std::string& plain,
             nlohmann::json details = nlohmann::json::object()) {
    details["file"] = file;
    // Quoted, so names with spaces, quotes or newlines stay on one unambiguous line.
    Emit(event, Dump(file) + plain, std::move(details));
  }

  // What concerns the watcher as a whole rather than one file, e.g. missing language data.
  void Warn(const std::string& message) { Emit("warning", message, {{"message", message}}); }

 private:
  void Emit(const std::string& event, const std::string& plain, nlohmann::json details) {
    std::string line;
    if (json_) {
      details["event"] = event;
      details["time_ms"] = NowMs();
      line = Dump(details);
    } else {
      line = "quire watch: " + event + " " + plain;
    }
    std::lock_guard lock(mu_);
    fprintf(stderr, "%s\n", line.c_str());
  }

  static std::string Dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  const bool json_;
  std::mutex mu_;
};

class Watcher {
 public:
  Watcher(const WatchOptions& options, const WatchFolders& folders, capture::Capturer& capturer,
          const extract::Extractor& extractor, store::Archive& archive, store::Journal& journal,
          WatchLog& log, const WatchEvents& events)
      : options_(options),
        folders_(folders),
        capturer_(capturer),
        extractor_(extractor),
        archive_(archive),
        journal_(journal),
        log_(log),
        events_(events) {}

  // Settles what the journal says was interrupted by a crash.
  Status Recover();
  // Watches until `signal_fd` is readable.
  Status Run(int signal_fd);

 private:
  // Takes one file from INBOX to the archive or the failed folder. Runs on a worker thread.
  Outcome Process(const std::string& file);
  Outcome Store(JournalEntry& entry, std::string bytes);
  Outcome StoreSeparated(JournalEntry& entry, const std::string& bytes, const std::string& source,
                         const std::string& by, const std::vector<std::string>& tags,
                         const capture::PageProgress& progress);
  Outcome Commit(JournalEntry& entry, Clock::time_point start);
  Outcome Fail(JournalEntry& entry, const Status& why);
  Outcome Retry(JournalEntry& entry, const Status& why);
  Outcome Gone(JournalEntry& entry);
  // The file's record from before this attempt (a crash or a retry), if any.
  std::optional<JournalEntry> TakeInterrupted(const std::string& file);
  // How long a file whose archive write failed waits in INBOX before the next try.
  Clock::duration RetryDelay() const;

  void Report(const std::string& file, const Outcome& outcome);
  void WorkerLoop();
  void Dispatch(std::deque<std::string>& ready, size_t& in_flight);
  // Hands back the files the workers finished; returns how many.
  size_t Collect(Inbox& inbox);
  void NoteChanges(const InboxChanges& changes);

  const WatchOptions& options_;
  const WatchFolders& folders_;
  capture::Capturer& capturer_;
  const extract::Extractor& extractor_;
  store::Archive& archive_;
  store::Journal& journal_;
  WatchLog& log_;
  const WatchEvents& events_;

  std::mutex mu_;
  std::map<std::string, JournalEntry> interrupted_;        // guarded by mu_
  std::deque<std::string> queue_;                          // guarded by mu_; at most --jobs long
  std::vector<std::pair<std::string, Outcome>> finished_;  // guarded by mu_
  bool closing_ = false;                                   // guarded by mu_
  std::condition_variable work_cv_;
  int done_fd_ = -1;  // an eventfd the workers ring when a file is finished
  Status stopped_;    // main loop only: why the archive takes no more writes
};

Status Watcher::Recover() {
  QUIRE_ASSIGN_OR_RETURN(std::vector<JournalEntry> pending, journal_.Pending(folders_.root + "/"));
  for (JournalEntry& entry : pending) {
    // When the file system cannot tell, the file is taken to be there: redoing it is harmless.
    if (options_.env->LinkStatus(entry.file).status().code() != Status::Code::kNotFound) {
      interrupted_[entry.file] = entry;  // met again in INBOX, and redone
      continue;
    }
    // The original left INBOX. After committed or failed that was our doing; before, someone
    // else removed it.
    if (entry.state != FileState::kCommitted && entry.state != FileState::kFailed) {
      entry.state = FileState::kGone;
      log_.Write("gone", folders_.Relative(entry.file),
                 " (removed from INBOX before it was taken)");
    }
    QUIRE_RETURN_IF_ERROR(journal_.Finish(entry));
  }
  return Status::Ok();
}

std::optional<JournalEntry> Watcher::TakeInterrupted(const std::string& file) {
  std::lock_guard lock(mu_);
  auto it = interrupted_.find(file);
  if (it == interrupted_.end()) return std::nullopt;
  JournalEntry entry = std::move(it->second);
  interrupted_.erase(it);
  return entry;
}

Outcome Watcher::Process(const std::string& file) {
  const Clock::time_point start = options_.env->Now();
  const std::optional<JournalEntry> before = TakeInterrupted(file);
  JournalEntry entry = Entry(file, FileState::kSeen);
  log_.Write("taken", folders_.Relative(file), "");

  Result<std::string> bytes = folders_.ReadOriginal(file, options_.max_file_bytes);
  if (!bytes.ok()) {
    if (bytes.status().code() == Status::Code::kNotFound) return Gone(entry);
    return Fail(entry, bytes.status());
  }
  entry.state = FileState::kWorking;
  entry.sha256 = Sha256Hex(*bytes);
  if (Status s = journal_.Record(entry, /*sync=*/true); !s.ok()) return Retry(entry, s);

  Result<std::optional<store::DocId>> earlier = archive_.FindBySha256(entry.sha256);
  if (!earlier.ok()) return Retry(entry, earlier.status());
  if (earlier->has_value()) {
    // Either this very file, committed before a crash or a failed removal, or the same content
    // dropped again: the journal's record from before tells which.
    const bool redone =
        before && before->sha256 == entry.sha256 && !before->duplicate &&
        (before->state == FileState::kWorking || before->state == FileState::kCommitted);
    entry.id = **earlier;
    entry.duplicate = !redone;
    return Commit(entry, start);
  }
  Outcome outcome = Store(entry, std::move(*bytes));
  if (outcome.kind != Outcome::kCommitted) return outcome;
  return Commit(entry, start);
}

// Captures, extracts and commits. A file that cannot be read fails; an archive that cannot be
// written leaves the file for a retry.
Outcome Watcher::Store(JournalEntry& entry, std::string bytes) {
  // The tags go into the document's one commit, so a crash cannot leave it untagged.
  const std::vector<std::string> tags =
      options_.tags ? folders_.Tags(entry.file) : std::vector<std::string>();
  std::string source = entry.file, by = "quire watch";
  if (events_.origin) events_.origin(entry.file, source, by);
  capture::PageProgress progress;
  if (events_.on_pages) {
    progress = [this, &entry](int done, int total) { events_.on_pages(entry.file, done, total); };
  }
  if (options_.separation.kind != capture::Separation::Kind::kNone) {
    return StoreSeparated(entry, bytes, source, by, tags, progress);
  }
  const Committed c = CaptureAndCommit(std::move(bytes), source, by, tags, capturer_, extractor_,
                                       archive_, progress);
  if (!c.bad_file.ok()) return Fail(entry, c.bad_file);
  if (!c.archive_error.ok()) return Retry(entry, c.archive_error);
  entry.id = c.commit.id;
  entry.duplicate = c.commit.duplicate;  // another worker had the same content
  return Outcome{Outcome::kCommitted, entry.id, "", 0};
}

// Store with --separate: each document of the stack in its own commit, one log line each. After
// a crash or a full disk the stack is split again, and the documents stored before are
// duplicates of themselves.
Outcome Watcher::StoreSeparated(JournalEntry& entry, const std::string& bytes,
                                const std::string& source, const std::string& by,
                                const std::vector<std::string>& tags,
                                const capture::PageProgress& progress) {
  const SeparatedStack stack = CaptureSeparateAndCommit(
      bytes, source, by, tags, options_.separation, capturer_, extractor_, archive_, progress);
  if (!stack.bad_file.ok()) return Fail(entry, stack.bad_file);
  for (const StackPart& part : stack.parts) {
    if (!part.committed.archive_error.ok()) return Retry(entry, part.committed.archive_error);
    const store::CommitResult& commit = part.committed.commit;
    log_.Write("document", folders_.Relative(entry.file),
               " pages " + part.file_pages + (commit.duplicate ? " = document " : " as ") +
                   std::to_string(commit.id),
               {{"pages", part.file_pages}, {"id", commit.id}, {"duplicate", commit.duplicate}});
  }
  entry.id = stack.parts.front().committed.commit.id;
  entry.duplicate = std::all_of(stack.parts.begin(), stack.parts.end(),
                                [](const StackPart& p) { return p.committed.commit.duplicate; });
  return Outcome{Outcome::kCommitted, entry.id, "", 0};
}

Clock::duration Watcher::RetryDelay() const {
  return std::chrono::milliseconds(static_cast<int64_t>(options_.retry_seconds * 1000));
}

// The document is durable: records that, then lets the original leave INBOX.
Outcome Watcher::Commit(JournalEntry& entry, Clock::time_point start) {
  entry.state = FileState::kCommitted;
  entry.time_ms = NowMs();
  if (Status s = journal_.Record(entry, /*sync=*/true); !s.ok()) return Retry(entry, s);
  if (Status s = folders_.RemoveOriginal(entry.file); !s.ok()) return Retry(entry, s);
  entry.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.env->Now() - start).count();
  // Should this write fail, the record stays "committed" and the next start finishes it.
  (void)journal_.Finish(entry);
  if (events_.on_finished) events_.on_finished(entry);
  return Outcome{entry.duplicate ? Outcome::kDuplicate : Outcome::kCommitted, entry.id, "",
                 entry.duration_ms};
}

Outcome Watcher::Fail(JournalEntry& entry, const Status& why) {
  entry.state = FileState::kFailed;
  entry.error = why.message();
  entry.time_ms = NowMs();
  if (Status s = journal_.Record(entry, /*sync=*/true); !s.ok()) return Retry(entry, s);
  if (Status s = folders_.MoveToFailed(entry.file, why); !s.ok()) return Retry(entry, s);
  (void)journal_.Finish(entry);  // as in Commit
  if (events_.on_finished) events_.on_finished(entry);
  return Outcome{Outcome::kFailed, 0, entry.error, 0};
}

// The file stays in INBOX; the next attempt learns from `entry` how far this one got.
Outcome Watcher::Retry(JournalEntry& entry, const Status& why) {
  std::lock_guard lock(mu_);
  interrupted_[entry.file] = entry;
  return Outcome{Outcome::kRetry, 0, why.message(), 0};
}

Outcome Watcher::Gone(JournalEntry& entry) {
  entry.state = FileState::kGone;
  (void)journal_.Finish(entry);  // a stale record is finished at the next start
  return Outcome{Outcome::kGone, 0, "", 0};
}

void Watcher::Report(const std::string& file, const Outcome& o) {
  const std::string name = folders_.Relative(file);
  switch (o.kind) {
    case Outcome::kCommitted:
      log_.Write("committed", name,
                 " as " + std::to_string(o.id) + " in " + std::to_string(o.ms) + " ms",
                 {{"id", o.id}, {"ms", o.ms}});
      break;
    case Outcome::kDuplicate:
      log_.Write("duplicate", name, " of " + std::to_string(o.id), {{"id", o.id}});
      break;
    case Outcome::kFailed: log_.Write("failed", name, ": " + o.error, {{"error", o.error}}); break;
    case Outcome::kRetry:
      log_.Write("retry", name,
                 ": " + o.error + "; it stays in INBOX and is tried again in " +
                     FormatSeconds(options_.retry_seconds) + " s",
                 {{"error", o.error}});
      break;
    case Outcome::kGone:
      log_.Write("gone", name, " (removed from INBOX before it was read)");
      break;
  }
}

void Watcher::WorkerLoop() {
  for (;;) {
    std::string file;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and no work in hand
      file = std::move(queue_.front());
      queue_.pop_front();
    }
    Outcome outcome = Process(file);
    Report(file, outcome);
    std::lock_guard lock(mu_);
    finished_.emplace_back(file, std::move(outcome));
    const uint64_t one = 1;
    if (write(done_fd_, &one, sizeof one) < 0) {
      // The counter cannot overflow in practice; the tick wakes the main loop anyway.
    }
  }
}

// Hands ready files to the workers, never more than --jobs at once, so a backlog of thousands
// of files costs a list of names, not their contents.
void Watcher::Dispatch(std::deque<std::string>& ready, size_t& in_flight) {
  const size_t jobs = static_cast<size_t>(std::max(1, capturer_.jobs()));
  std::lock_guard lock(mu_);
  while (in_flight < jobs && !ready.empty()) {
    queue_.push_back(std::move(ready.front()));
    ready.pop_front();
    ++in_flight;
    work_cv_.notify_one();
  }
}

size_t Watcher::Collect(Inbox& inbox) {
  uint64_t count;
  if (read(done_fd_, &count, sizeof count) < 0) {
    // EAGAIN: nothing finished since the last look.
  }
  std::vector<std::pair<std::string, Outcome>> finished;
  {
    std::lock_guard lock(mu_);
    finished.swap(finished_);
  }
  for (const auto& [file, outcome] : finished) {
    if (outcome.kind == Outcome::kRetry && stopped_.ok()) {
      if (Status s = archive_.Writable(); !s.ok()) stopped_ = s;
    }
    inbox.Release(file, outcome.kind == Outcome::kRetry ? options_.env->Now() + RetryDelay()
                                                        : Clock::time_point{});
  }
  return finished.size();
}

void Watcher::NoteChanges(const InboxChanges& changes) {
  for (const std::string& file : changes.seen) {
    {
      std::lock_guard lock(mu_);
      if (interrupted_.contains(file)) continue;  // keep what the journal knows of it
    }
    // Not synced: a lost "seen" costs nothing, the file is seen again.
    (void)journal_.Record(Entry(file, FileState::kSeen), /*sync=*/false);
  }
  for (const std::string& file : changes.gone) {
    log_.Write("gone", folders_.Relative(file), " (removed from INBOX before it was taken)");
    (void)journal_.Finish(Entry(file, FileState::kGone));  // else finished at the next start
  }
}

Status Watcher::Run(int signal_fd) {
  InboxOptions inbox_options;
  inbox_options.root = folders_.root;
  inbox_options.excluded = folders_.Excluded();
  inbox_options.poll =
      std::chrono::milliseconds(static_cast<int64_t>(options_.poll_seconds * 1000));
  inbox_options.settle =
      std::chrono::milliseconds(static_cast<int64_t>(options_.settle_seconds * 1000));
  inbox_options.inotify = options_.inotify;
  inbox_options.env = options_.env;
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<Inbox> inbox, Inbox::Open(inbox_options));

  done_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (done_fd_ < 0) return Status::IoError(std::string("eventfd: ") + strerror(errno));
  std::vector<std::jthread> workers;
  for (int i = 0; i < std::max(1, capturer_.jobs()); ++i)
    workers.emplace_back([this] { WorkerLoop(); });

  log_.Write("watching", folders_.root, "");
  std::deque<std::string> ready;
  size_t in_flight = 0;
  for (;;) {
    pollfd fds[] = {{signal_fd, POLLIN, 0}, {done_fd_, POLLIN, 0}, {inbox->fd(), POLLIN, 0}};
    poll(fds, inbox->fd() >= 0 ? 3 : 2, kTickMs);
    if (fds[0].revents & POLLIN) break;
    in_flight -= Collect(*inbox);
    if (!stopped_.ok()) break;
    InboxChanges changes = inbox->Update();
    NoteChanges(changes);
    ready.insert(ready.end(), changes.ready.begin(), changes.ready.end());
    Dispatch(ready, in_flight);
  }

  log_.Write("stopping", folders_.root, " (finishing the files in hand)");
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  work_cv_.notify_all();
  workers.clear();  // joins: each finishes its file, those not started stay in INBOX
  close(done_fd_);
  if (!stopped_.ok()) {
    return Status::IoError(
        stopped_.message() +
        "; the files not taken stay in INBOX. Free space (or fix the cause), then "
        "start quire watch again; it takes them then. Under a supervisor "
        "(systemd Restart=on-failure) this restart is automatic");
  }
  return Status::Ok();
}

}  // namespace

Result<int> StopSignals() {
  // Leases are taken for an instant only, but should one be broken meanwhile, its SIGIO must
  // not end the process.
  signal(SIGIO, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  const int fd = signalfd(-1, &set, SFD_CLOEXEC);
  if (fd < 0) return Status::IoError(std::string("signalfd: ") + strerror(errno));
  return fd;
}

Status WatchFolder(const WatchOptions& options, capture::Capturer& capturer,
                   const extract::Extractor& extractor, store::Archive& archive, int stop_fd,
                   const WatchEvents& events) {
  QUIRE_ASSIGN_OR_RETURN(WatchFolders folders, WatchFolders::Make(options));
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<store::Journal> journal, store::Journal::Open(archive));
  WatchLog log(options.log_json);
  Watcher watcher(options, folders, capturer, extractor, archive, *journal, log, events);
  QUIRE_RETURN_IF_ERROR(watcher.Recover());
  return watcher.Run(stop_fd);
}

int RunWatch(const GlobalOptions& global, const PipelineOptions& pipeline,
             const WatchOptions& options) {
  Result<int> signal_fd = StopSignals();
  if (!signal_fd.ok()) return ReportError(signal_fd.status());
  if (Result<WatchFolders> folders = WatchFolders::Make(options); !folders.ok()) {
    return ReportError(folders.status());
  }
  if (std::optional<ServerLink> server = FindServer(ArchivePath(global))) {
    return ReportError(Status::IoError("a server owns " + ArchivePath(global) + " at " +
                                       server->url + " (process " + std::to_string(server->pid) +
                                       "): give it the folder with `quire serve --watch " +
                                       options.inbox + "`, or stop it first"));
  }
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return ReportError(archive.status());
  capture::CaptureOptions capture_options = pipeline.capture;
  WatchLog warnings(options.log_json);
  capture_options.on_warning = [&warnings](const std::string& message) { warnings.Warn(message); };
  if (Status s = UseBroker(pipeline.broker, capture_options, capture_options.on_warning); !s.ok()) {
    return ReportError(s);
  }
  Result<std::unique_ptr<capture::Capturer>> capturer = capture::Capturer::Create(capture_options);
  if (!capturer.ok()) return ReportError(capturer.status());
  Result<std::unique_ptr<extract::Extractor>> extractor =
      extract::Extractor::Create(pipeline.extract);
  if (!extractor.ok()) return ReportError(extractor.status());

  const Status status = WatchFolder(options, **capturer, **extractor, **archive, *signal_fd);
  close(*signal_fd);
  return status.ok() ? kExitOk : ReportError(status);
}

}  // namespace quire::app
