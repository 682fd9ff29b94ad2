// The hot folder's journal: what the watcher knows about each file it has noticed, kept in the
// archive so that it survives crashes beside the documents it leads to.
//
// Each file the watcher has noticed and not yet finished has one record, its current state; the
// watcher moves it seen -> working (content hash known) -> committed or failed, and finishes it
// once the original has left the folder, which turns the record into a history entry. After a
// crash, the records still present tell a restarted watcher which files were interrupted and how
// far they got. The history keeps the last kHistoryKept finished files, for `quire watch --status`.
//
// Thread safety: all methods may be called from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::store {

enum class FileState {
  kSeen,       // noticed in the folder, not read yet
  kWorking,    // read; `sha256` is its content; the document may or may not be committed
  kCommitted,  // its document `id` is durably in the archive (or was already: `duplicate`)
  kFailed,     // not a document quire can read; `error` says why; it goes to the failed folder
  kGone,       // left the folder before it was taken (history only)
};

const char* FileStateName(FileState state);

struct JournalEntry {
  std::string file;  // the file's path, as the watcher names it
  FileState state = FileState::kSeen;
  std::string sha256;
  DocId id = 0;
  bool duplicate = false;   // the content was already in the archive as document `id`
  std::string error;        // kFailed: why, and what to do
  int64_t time_ms = 0;      // Unix time of this state, milliseconds
  int64_t duration_ms = 0;  // history: from taking the file to finishing it
};

class Journal {
 public:
  static constexpr size_t kHistoryKept = 10000;

  // The journal of `archive`. REQUIRES: the archive outlives the journal.
  static Result<std::unique_ptr<Journal>> Open(Archive& archive);
  virtual ~Journal() = default;

  // Sets the file's current state. With `sync`, the record is on disk when this returns OK.
  virtual Status Record(const JournalEntry& entry, bool sync) = 0;
  // Removes the file's record and appends `entry` to the history, in one synced write.
  virtual Status Finish(const JournalEntry& entry) = 0;
  // The current records of files whose names start with `prefix`, in name order.
  virtual Result<std::vector<JournalEntry>> Pending(std::string_view prefix) = 0;
  // The last `limit` history entries of files whose names start with `prefix`, newest first.
  virtual Result<std::vector<JournalEntry>> History(std::string_view prefix, size_t limit) = 0;
};

}  // namespace quire::store
