// The watcher's folders and what it does to the files in them: reading an original safely,
// deleting it or moving it to --keep once committed, moving it to --failed with its reason.
//
// Every move keeps the file's path below INBOX (INBOX/a/b.pdf goes to FAILED/a/b.pdf), adds
// " (2)", " (3)"... before the extension when the name is taken, and is synced, so that after a
// crash a file is in exactly one of the two places.
#pragma once

#include <string>
#include <vector>

#include "quire/common/status.h"
#include "watch.h"

namespace quire::app {

struct WatchFolders {
  std::string root;    // INBOX: absolute and canonical, so journal keys are stable
  std::string failed;  // absolute
  std::string keep;    // absolute; empty: originals are deleted

  // Resolves the folders of `options` and creates the failed and keep folders.
  static Result<WatchFolders> Make(const WatchOptions& options);

  // The failed and keep folders when they lie inside INBOX: never watched.
  std::vector<std::string> Excluded() const;
  // `file`'s path below INBOX, for messages.
  std::string Relative(const std::string& file) const;
  // The names of the subfolders of INBOX that hold `file`, outermost first.
  std::vector<std::string> Tags(const std::string& file) const;

  // Deletes the committed original, or moves it to `keep`.
  Status RemoveOriginal(const std::string& file) const;
  // Writes NAME.error.txt (why, and what to do) into the failed folder, then moves the file
  // beside it.
  Status MoveToFailed(const std::string& file, const Status& why) const;
};

// Reads a file of INBOX whole. Refuses, without reading them, symbolic links (only what was put
// into INBOX is taken), anything but a regular file (a FIFO would block) and files over
// `max_bytes`. NotFound when the file is gone.
Result<std::string> ReadOriginal(const std::string& file, int64_t max_bytes);

}  // namespace quire::app
