// The hot folder as the watcher sees it: which files are there, and which are ready to take.
//
// Files are learnt of by inotify (on every folder of the tree) and by walking the tree every
// poll interval, so files on network shares and files whose events were lost are found too.
// A file is ready once its size and modification time have not changed for the settle time and
// no one has it open for writing (where the file system lets us see that); a file renamed into
// the folder was finished elsewhere and is ready at once. Temporary names (".part", ".tmp",
// "~$*") and dot files and folders are never taken; neither is anything under `excluded`.
//
// Not thread-safe: one thread owns the Inbox.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "quire/common/env.h"
#include "quire/common/status.h"

namespace quire::app {

// Wall-clock time in milliseconds since the epoch, as the journal records it.
inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using Clock = Env::Clock;

struct InboxOptions {
  std::string root;                   // an absolute, canonical folder path
  std::vector<std::string> excluded;  // absolute folders inside `root` never to look into
  std::chrono::milliseconds poll{5000};
  std::chrono::milliseconds settle{2000};
  bool inotify = true;
  Env* env = Env::Default();  // its clock times the settling and the retries
};

// What Update found.
struct InboxChanges {
  std::vector<std::string> seen;   // new files
  std::vector<std::string> ready;  // files to take now; not returned again until Release()d
  std::vector<std::string> gone;   // files seen but not taken that have left
};

class Inbox {
 public:
  static Result<std::unique_ptr<Inbox>> Open(const InboxOptions& options);
  ~Inbox();

  // The inotify descriptor to wait on (readable when there are events), or -1 without inotify.
  int fd() const { return inotify_fd_; }

  // Reads pending events, walks the tree when the poll interval has passed, and checks the files
  // whose settle time is over.
  InboxChanges Update();

  // Gives back a file Update() returned as ready: it is looked at again like a new file, but not
  // before `not_before` (to retry later).
  void Release(const std::string& file, Clock::time_point not_before = {});

  // True for names the watcher never takes: dot files, ".part", ".tmp", "~$" office lock files.
  static bool IsTemporaryName(const std::string& name);

 private:
  struct PendingFile {
    int64_t size = -1;
    int64_t mtime_ns = -1;
    Clock::time_point stable_since;
    bool renamed_in = false;
  };

  explicit Inbox(const InboxOptions& options) : options_(options) {}

  void Walk(InboxChanges& changes);
  void WatchFolder(const std::string& folder);
  void ReadEvents(InboxChanges& changes);
  // Takes note of a file: a new candidate, or a change to a known one.
  void Note(const std::string& file, bool renamed_in, InboxChanges& changes);
  // Moves the candidates that are complete to changes.ready, and the vanished to changes.gone.
  void CheckSettled(InboxChanges& changes);
  bool IsExcluded(const std::string& path) const;

  const InboxOptions options_;
  int inotify_fd_ = -1;
  std::map<int, std::string> watched_;  // inotify watch descriptor -> folder
  std::map<std::string, PendingFile> candidates_;
  std::set<std::string> taken_;                          // ready, not yet released
  std::map<std::string, Clock::time_point> not_before_;  // released for a later retry
  Clock::time_point next_walk_;
};

}  // namespace quire::app
