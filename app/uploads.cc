#include "uploads.h"

#include <filesystem>

#include "quire/common/file.h"
#include "watch_inbox.h"

namespace quire::app {
namespace fs = std::filesystem;

namespace {

constexpr char kFolder[] = "uploads";
constexpr char kSeparator = '~';
// This run's finished jobs kept in memory; older ones are found in the journal.
constexpr size_t kJobsKept = 10000;
constexpr size_t kMaxNameBytes = 150;

// The uploaded name as a file name of the inbox: no folders, no separators or control
// characters, not a name the watcher takes for a file still being written.
std::string SafeName(std::string_view uploaded) {
  std::string name(fs::path(std::string(uploaded)).filename().string());
  for (char& c : name) {
    if (c == '/' || c == kSeparator || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  if (name.size() > kMaxNameBytes) name.erase(0, name.size() - kMaxNameBytes);
  if (name.empty() || name == "." || name == "..") name = "upload";
  if (Inbox::IsTemporaryName("x" + name)) name += "_";  // "a.part", "a.tmp"
  return name;
}

// JOB~USER~NAME, split; false for a name of another shape.
bool ParseInboxName(const std::string& file, uint64_t& job, std::string& user, std::string& name) {
  const std::string base = fs::path(file).filename().string();
  const size_t first = base.find(kSeparator);
  const size_t second = first == std::string::npos ? first : base.find(kSeparator, first + 1);
  if (second == std::string::npos) return false;
  try {
    job = std::stoull(base.substr(0, first));
  } catch (const std::exception&) {
    return false;
  }
  user = base.substr(first + 1, second - first - 1);
  name = base.substr(second + 1);
  return true;
}

}  // namespace

Result<std::unique_ptr<Uploads>> Uploads::Open(const std::string& archive_dir) {
  std::error_code error;
  const fs::path folder = fs::path(archive_dir) / kFolder;
  fs::create_directories(folder, error);
  if (!error) {
    const fs::path canonical = fs::canonical(folder, error);
    if (!error) return std::unique_ptr<Uploads>(new Uploads(canonical.string()));
  }
  return Status::IoError("cannot create the uploads folder " + folder.string() + ": " +
                         error.message());
}

Uploads::Uploads(std::string folder) : folder_(std::move(folder)), next_id_(NowMs()) {}

WatchOptions Uploads::watch_options(const WatchOptions& base) const {
  WatchOptions options = base;
  options.inbox = folder_;
  options.settle_seconds = 0;
  options.poll_seconds = 1;
  options.keep_dir.clear();
  options.failed_dir.clear();  // uploads/.failed
  options.tags = false;
  options.separation = {};  // an upload is one document: --separate is the hot folders'
  return options;
}

WatchEvents Uploads::events() {
  WatchEvents events;
  events.origin = [](const std::string& file, std::string& source, std::string& by) {
    uint64_t job;
    ParseInboxName(file, job, by, source);
  };
  events.on_pages = [this](const std::string& file, int done, int total) {
    uint64_t job;
    std::string user, name;
    if (!ParseInboxName(file, job, user, name)) return;
    std::lock_guard lock(mu_);
    auto it = jobs_.find(job);
    if (it == jobs_.end()) return;
    it->second.state = "reading";
    it->second.pages_done = done;
    it->second.pages = total;
  };
  events.on_finished = [this](const store::JournalEntry& entry) { Finished(entry); };
  return events;
}

void Uploads::Finished(const store::JournalEntry& entry) {
  uint64_t job;
  std::string user, name;
  if (!ParseInboxName(entry.file, job, user, name)) return;
  std::lock_guard lock(mu_);
  auto [it, new_here] = jobs_.try_emplace(job);  // new here: submitted before a restart
  JobState& state = it->second;
  if (!new_here && (state.state == "queued" || state.state == "reading")) --backlog_;
  state.name = name;
  state.state = entry.state == store::FileState::kFailed ? "failed"
                : entry.duplicate                        ? "duplicate"
                                                         : "stored";
  state.document = entry.id;
  state.error = entry.error;
  state.pages_done = state.pages;
  while (jobs_.size() > kJobsKept) jobs_.erase(jobs_.begin());
}

Result<uint64_t> Uploads::Submit(std::string_view name, std::string_view bytes,
                                 const std::string& user) {
  const uint64_t job = next_id_++;
  const std::string safe = SafeName(name);
  const std::string path =
      folder_ + "/" + std::to_string(job) + kSeparator + user + kSeparator + safe;
  {
    // Counted before the file appears, so the watcher's report always finds the job.
    std::lock_guard lock(mu_);
    jobs_[job].name = safe;
    ++backlog_;
  }
  Status written = WriteFileAtomically(path, std::string(bytes));
  if (written.ok()) written = SyncFolder(folder_);
  if (!written.ok()) {
    std::lock_guard lock(mu_);
    jobs_.erase(job);
    --backlog_;
    return Status::IoError("the upload could not be saved (" + written.message() +
                           "); nothing was stored: free disk space and upload it again");
  }
  return job;
}

nlohmann::json Uploads::ToJson(const JobState& job) const {
  nlohmann::json j = {{"state", job.state},
                      {"name", job.name},
                      {"pages_done", job.pages_done},
                      {"pages", job.pages}};
  if (job.document != 0) j["document"] = job.document;
  if (!job.error.empty()) j["error"] = job.error;
  return j;
}

Result<nlohmann::json> Uploads::Job(uint64_t id, store::Journal& journal) {
  {
    std::lock_guard lock(mu_);
    if (auto it = jobs_.find(id); it != jobs_.end()) return ToJson(it->second);
  }
  // A job of an earlier run: its file's record, or its last entry in the history.
  const std::string prefix = folder_ + "/" + std::to_string(id) + kSeparator;
  QUIRE_ASSIGN_OR_RETURN(std::vector<store::JournalEntry> pending, journal.Pending(prefix));
  QUIRE_ASSIGN_OR_RETURN(std::vector<store::JournalEntry> history, journal.History(prefix, 1));
  const std::vector<store::JournalEntry>& found = !pending.empty() ? pending : history;
  if (found.empty()) return Status::NotFound("no upload job " + std::to_string(id));
  const store::JournalEntry& entry = found.front();
  JobState job;
  uint64_t ignored_id;
  std::string user;
  ParseInboxName(entry.file, ignored_id, user, job.name);
  switch (entry.state) {
    case store::FileState::kSeen: break;
    case store::FileState::kWorking: job.state = "reading"; break;
    case store::FileState::kCommitted: job.state = entry.duplicate ? "duplicate" : "stored"; break;
    case store::FileState::kFailed:
    case store::FileState::kGone: job.state = "failed"; break;
  }
  job.document = entry.id;
  job.error = entry.error;
  return ToJson(job);
}

size_t Uploads::backlog() const {
  std::lock_guard lock(mu_);
  return backlog_;
}

}  // namespace quire::app
