// `quire watch`: the hot folder. Every file that appears in INBOX (or is there at start) is taken
// exactly once, whatever crashes, bad files or full disks happen on the way.
//
// How each file goes (the journal, store/journal.h, records every step in the archive):
//   seen       noticed; waits until complete (watch_inbox.h)
//   working    read and hashed (synced), then captured, extracted and committed (synced)
//   committed  the document is durable; only now does the original leave INBOX: deleted, or
//              moved to --keep; then the record becomes history
//   failed     not a document quire can read: moved to --failed beside NAME.error.txt
// A file whose archive write fails (a full disk) stays in INBOX and is retried after --retry
// seconds. Such an error stops RocksDB's writes. Where RocksDB can resume them (DB::Resume, tried
// at every write, see store/src/archive_batch.h), the watcher carries on and the retry goes
// through once space is back. Where it cannot (a failed log append leaves the database stopped
// until it is reopened), the watcher finishes the files in hand, says so and exits with code 3,
// as a daemon does with a store it cannot write: the files wait in INBOX, and a restart (by hand,
// or by a supervisor such as systemd with Restart=on-failure) reopens the archive and takes them.
// After a crash, a restart meets the interrupted files again in INBOX and redoes them; commits are
// idempotent by SHA-256, and the journal tells a redone commit from a duplicate drop.
#pragma once

#include <functional>
#include <string>

#include "cli.h"
#include "commands.h"
#include "quire/common/env.h"
#include "quire/store/journal.h"

namespace quire::app {

struct WatchOptions {
  std::string inbox;

  // Seconds between walks of the whole folder tree, which finds what inotify missed (network
  // shares, lost events). Default: 5.
  double poll_seconds = 5;

  // Seconds a file's size and modification time must stay the same before it is taken.
  // Default: 2.
  double settle_seconds = 2;

  // Where originals go once committed; empty: they are deleted. Default: empty.
  std::string keep_dir;

  // Where files that cannot be read go, each beside NAME.error.txt. Default: INBOX/.failed.
  std::string failed_dir;

  // Give a document the names of the subfolders it was dropped in as tags. Default: false.
  bool tags = false;

  // Learn of files by inotify as well as by polling. Default: true.
  bool inotify = true;

  // Log one JSON object per line instead of plain text. Default: false.
  bool log_json = false;

  // Seconds a file whose archive write failed (a full disk) waits in INBOX before the next try.
  // Default: 30.
  double retry_seconds = 30;

  // Split each file into documents at separator sheets or every N pages (--separate); the
  // file's documents are committed one by one before the file leaves INBOX.
  // Default: none, a file is one document.
  capture::Separation separation;

  // Files larger than this are failed without being read, to bound memory. Default: 1 GiB.
  int64_t max_file_bytes = int64_t{1} << 30;

  // The file system and clock the watcher works with: it reads, moves, removes and syncs files,
  // and times the settling and the retries, through it. Not owned; must outlive the watcher.
  // Default: Env::Default(), the real ones.
  Env* env = Env::Default();
};

// What a watcher inside a larger program (`quire serve`) learns of each file. Every member may be
// empty; each is called from the watcher's worker threads.
struct WatchEvents {
  // Where the document says it came from and who ingested it. Default: the file's path, and
  // "quire watch".
  std::function<void(const std::string& file, std::string& source, std::string& by)> origin;
  // Pages read so far of the file's document.
  std::function<void(const std::string& file, int done, int total)> on_pages;
  // The file is finished: committed (perhaps as a duplicate) or failed, as the journal records it.
  std::function<void(const store::JournalEntry& entry)> on_finished;
};

// Settles what a crash interrupted, then watches `options.inbox` on an open archive until
// `stop_fd` becomes readable (a signalfd, an eventfd), and finishes the files in hand.
// REQUIRES: the capturer, extractor and archive outlive the call.
Status WatchFolder(const WatchOptions& options, capture::Capturer& capturer,
                   const extract::Extractor& extractor, store::Archive& archive, int stop_fd,
                   const WatchEvents& events = {});

// Watches until SIGTERM or SIGINT, then finishes the files in hand and returns.
int RunWatch(const GlobalOptions& global, const PipelineOptions& pipeline,
             const WatchOptions& options);

// Prints the backlog, the throughput and the last failures of the watcher of `options.inbox`;
// reads the archive without locking it, so it can run while the watcher does.
int RunWatchStatus(const GlobalOptions& global, const WatchOptions& options);

// SIGTERM and SIGINT become readable on the returned descriptor instead of ending the process, so
// a long-running command can finish what it has in hand. Call before any thread starts, so that
// every thread inherits the mask.
Result<int> StopSignals();

}  // namespace quire::app
