// The watcher's folders and what it does to the files in them: reading an original safely,
// deleting it or moving it to --keep once committed, moving it to --failed with its reason.
//
// Every move keeps the file's path below INBOX (INBOX/a/b.pdf goes to FAILED/a/b.pdf), adds
// " (2)", " (3)"... before the extension when the name holds another file (a file with the same
// bytes is replaced), and is synced, so that after a crash a file is in exactly one of the two
// places; a move across file systems, interrupted, leaves it in both, and the next start's move
// replaces the copy. All of it goes through the folders' Env.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "quire/common/env.h"
#include "quire/common/status.h"
#include "watch.h"

namespace quire::app {

// A file the watcher could not take, waiting in the failed folder for a person.
struct FailedFile {
  std::string name;    // its path below the failed folder
  std::string reason;  // NAME.error.txt, as the watcher wrote it
  int64_t time = 0;    // Unix time it failed, seconds
};

struct WatchFolders {
  std::string root;           // INBOX: absolute and canonical, so journal keys are stable
  std::string failed;         // absolute
  std::string keep;           // absolute; empty: originals are deleted
  Env* env = Env::Default();  // WatchOptions::env: what reads, moves, removes and syncs files

  // Resolves the folders of `options` and creates the failed and keep folders.
  static Result<WatchFolders> Make(const WatchOptions& options);

  // The failed and keep folders when they lie inside INBOX: never watched.
  std::vector<std::string> Excluded() const;
  // `file`'s path below INBOX, for messages.
  std::string Relative(const std::string& file) const;
  // The names of the subfolders of INBOX that hold `file`, outermost first.
  std::vector<std::string> Tags(const std::string& file) const;

  // Reads a file of INBOX whole. Refuses, without reading them, symbolic links (only what was
  // put into INBOX is taken), anything but a regular file (a FIFO would block) and files over
  // `max_bytes`. NotFound when the file is gone.
  Result<std::string> ReadOriginal(const std::string& file, int64_t max_bytes) const;
  // Deletes the committed original, or moves it to `keep`.
  Status RemoveOriginal(const std::string& file) const;
  // Writes NAME.error.txt (why, and what to do) into the failed folder, then moves the file
  // beside it.
  Status MoveToFailed(const std::string& file, const Status& why) const;

  // The files in the failed folder with their reasons, newest first.
  Result<std::vector<FailedFile>> ListFailed() const;
  // Moves the failed file `name` (FailedFile::name) back into INBOX, where the watcher takes it
  // again, and removes its reason. NotFound when there is no such failed file.
  Status RetryFailed(const std::string& name) const;
  // Deletes the failed file `name` and its reason. NotFound when there is no such failed file.
  Status DiscardFailed(const std::string& name) const;

 private:
  // `name` below the failed folder, refused when it leads out of it or is no failed file.
  Result<std::filesystem::path> FailedPath(const std::string& name) const;
};

// The files in the folders' INBOX that a watcher would take (not the failed or keep folders):
// one walk, without waiting for them to settle.
Result<size_t> CountWaitingFiles(const WatchFolders& folders);

}  // namespace quire::app
