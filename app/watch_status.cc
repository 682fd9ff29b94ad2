// `quire watch --status INBOX`: the watcher's backlog, throughput and last failures, from the
// folder itself and the journal. Reads the archive read-only, so it runs beside the watcher.
#include <filesystem>

#include "quire/store/journal.h"
#include "watch.h"
#include "watch_files.h"
#include "watch_inbox.h"

namespace quire::app {
namespace fs = std::filesystem;
using store::FileState;
using store::JournalEntry;

namespace {

// Enough history for the last hour of a busy folder.
constexpr size_t kHistoryRead = 5000;
constexpr size_t kFailuresShown = 10;

// The files in `root` the watcher would take: one walk, without waiting for them to settle.
Result<size_t> CountWaiting(const std::string& root, std::vector<std::string> excluded) {
  InboxOptions inbox_options;
  inbox_options.root = root;
  inbox_options.inotify = false;
  inbox_options.excluded = std::move(excluded);
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<Inbox> inbox, Inbox::Open(inbox_options));
  return inbox->Update().seen.size();
}

std::string Quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json Summarize(const std::string& root, size_t waiting,
                         const std::vector<JournalEntry>& pending,
                         const std::vector<JournalEntry>& history) {
  int working = 0;
  for (const JournalEntry& e : pending) working += e.state != FileState::kSeen;
  const int64_t now = NowMs();
  int committed = 0, duplicates = 0, failed = 0, last_10_min = 0;
  int64_t total_ms = 0;
  nlohmann::json failures = nlohmann::json::array();
  for (const JournalEntry& e : history) {
    if (e.state == FileState::kFailed && failures.size() < kFailuresShown) {
      failures.push_back({{"file", fs::path(e.file).lexically_relative(root).string()},
                          {"error", e.error},
                          {"time_ms", e.time_ms}});
    }
    if (now - e.time_ms > 3600'000) continue;
    if (now - e.time_ms <= 600'000) ++last_10_min;
    if (e.state == FileState::kFailed) ++failed;
    if (e.state != FileState::kCommitted) continue;
    ++(e.duplicate ? duplicates : committed);
    total_ms += e.duration_ms;
  }
  return {{"inbox", root},
          {"waiting", waiting},
          {"in_progress", working},
          {"last_hour", {{"committed", committed}, {"duplicates", duplicates}, {"failed", failed}}},
          {"per_minute", last_10_min / 10.0},
          {"mean_ms", committed + duplicates > 0 ? total_ms / (committed + duplicates) : 0},
          {"last_failures", failures}};
}

void PrintText(const nlohmann::json& s) {
  printf("hot folder %s\n", s["inbox"].get<std::string>().c_str());
  printf("  waiting in the folder: %zu\n", s["waiting"].get<size_t>());
  printf("  in progress (interrupted if no watcher runs): %d\n", s["in_progress"].get<int>());
  const nlohmann::json& hour = s["last_hour"];
  printf("  last hour: %d committed, %d duplicates, %d failed\n", hour["committed"].get<int>(),
         hour["duplicates"].get<int>(), hour["failed"].get<int>());
  printf("  throughput (last 10 minutes): %.1f files per minute, %lld ms per file\n",
         s["per_minute"].get<double>(), static_cast<long long>(s["mean_ms"].get<int64_t>()));
  if (s["last_failures"].empty()) return;
  printf("  last failures (newest first; reasons in the failed folder's NAME.error.txt):\n");
  for (const nlohmann::json& f : s["last_failures"]) {
    printf("    %s: %s\n", Quoted(f["file"].get<std::string>()).c_str(),
           f["error"].get<std::string>().c_str());
  }
}

}  // namespace

Result<size_t> CountWaitingFiles(const WatchFolders& folders) {
  return CountWaiting(folders.root, folders.Excluded());
}

int RunWatchStatus(const GlobalOptions& global, const WatchOptions& options) {
  std::error_code error;
  const std::string root = fs::canonical(options.inbox, error).string();
  if (error)
    return ReportError(Status::NotFound(options.inbox + " is not a folder; name the hot folder"));
  Result<std::unique_ptr<store::Archive>> archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return ReportError(archive.status());
  Result<std::unique_ptr<store::Journal>> journal = store::Journal::Open(**archive);
  if (!journal.ok()) return ReportError(journal.status());
  Result<std::vector<JournalEntry>> pending = (*journal)->Pending(root + "/");
  if (!pending.ok()) return ReportError(pending.status());
  Result<std::vector<JournalEntry>> history = (*journal)->History(root + "/", kHistoryRead);
  if (!history.ok()) return ReportError(history.status());
  std::vector<std::string> excluded;
  for (const std::string& folder : {options.failed_dir, options.keep_dir}) {
    if (!folder.empty()) excluded.push_back(fs::absolute(folder).string());
  }
  Result<size_t> waiting = CountWaiting(root, std::move(excluded));
  if (!waiting.ok()) return ReportError(waiting.status());

  const nlohmann::json summary = Summarize(root, *waiting, *pending, *history);
  if (global.json) {
    PrintJson(summary);
  } else {
    PrintText(summary);
  }
  return kExitOk;
}

}  // namespace quire::app
