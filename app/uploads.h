// Uploads through the API, taken as a hot folder takes files.
//
// Each uploaded file is written into the server's own inbox, ARCHIVE/uploads, and synced there
// before the upload is acknowledged; a watcher then takes it like any hot folder's file (watch.h).
// So an acknowledged upload survives a crash of the server and is stored exactly once, and a file
// quire cannot read lands in ARCHIVE/uploads/.failed with its reason, to be retried or discarded
// like a hot folder's.
//
// A file in the inbox is named JOB~USER~NAME: the job's id (decimal), the person who uploaded it,
// and the file's name as uploaded (without folders). The document's source is NAME, and its
// history names USER.
//
// Thread safety: every method may be called from several threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "quire/common/status.h"
#include "quire/store/journal.h"
#include "watch.h"

namespace quire::app {

class Uploads {
 public:
  // The uploads of the archive in `archive_dir`; creates the inbox folder.
  static Result<std::unique_ptr<Uploads>> Open(const std::string& archive_dir);

  // How the uploads' watcher runs: no settle time (a file appears whole, renamed into place), a
  // short poll. `base` gives the rest (jobs, retry delay, log format).
  WatchOptions watch_options(const WatchOptions& base) const;
  // The watcher's callbacks that follow each job. REQUIRES: this outlives the watcher.
  WatchEvents events();

  // Writes the file into the inbox, synced, and returns its job id.
  Result<uint64_t> Submit(std::string_view name, std::string_view bytes, const std::string& user);

  // The job as GET /api/jobs/ID shows it: {"state": "queued"|"reading"|"stored"|"duplicate"|
  // "failed", "document"?, "error"?, "pages_done", "pages", "name"}. Jobs of an earlier run of the
  // server are found in the journal. NotFound for an unknown id.
  Result<nlohmann::json> Job(uint64_t id, store::Journal& journal);

  // Jobs submitted and not finished in this run.
  size_t backlog() const;

  const std::string& folder() const { return folder_; }

 private:
  struct JobState {
    std::string state = "queued";
    std::string name;
    store::DocId document = 0;
    std::string error;
    int pages_done = 0;
    int pages = 0;
  };

  explicit Uploads(std::string folder);
  nlohmann::json ToJson(const JobState& job) const;
  void Finished(const store::JournalEntry& entry);

  const std::string folder_;  // absolute and canonical, as the watcher names its files
  std::atomic<uint64_t> next_id_;

  mutable std::mutex mu_;
  std::map<uint64_t, JobState> jobs_;  // guarded by mu_; this run's, the oldest forgotten first
  size_t backlog_ = 0;                 // guarded by mu_
};

}  // namespace quire::app
