#include "watch_inbox.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace quire::app {
namespace fs = std::filesystem;

namespace {

// What a writer leaves behind: a new name, a closed or grown file, a name moved in.
constexpr uint32_t kEvents = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR;

struct FileStat {
  bool exists = false;
  int64_t size = -1;
  int64_t mtime_ns = -1;
};

FileStat Stat(const std::string& file) {
  struct stat st;
  if (lstat(file.c_str(), &st) != 0) return FileStat{errno != ENOENT};
  return FileStat{true, st.st_size,
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// True when another process has the file open for writing. A read lease is granted only on a
// file no one has open for writing (fcntl(2), F_SETLEASE), so asking for one and releasing it at
// once tells. File systems without leases (NFS, many FUSE ones) refuse with another error, and
// then the settle time is all there is to go by.
bool OpenForWriting(const std::string& file) {
  const int fd = open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  const bool writing = fcntl(fd, F_SETLEASE, F_RDLCK) != 0 && errno == EAGAIN;
  if (!writing) fcntl(fd, F_SETLEASE, F_UNLCK);
  close(fd);
  return writing;
}

}  // namespace

Result<std::unique_ptr<Inbox>> Inbox::Open(const InboxOptions& options) {
  std::unique_ptr<Inbox> inbox(new Inbox(options));
  if (options.inotify) {
    inbox->inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inbox->inotify_fd_ < 0) {
      return Status::IoError(std::string("cannot start inotify: ") + strerror(errno) +
                             "; raise fs.inotify.max_user_instances or use --no-inotify");
    }
  }
  return inbox;
}

Inbox::~Inbox() {
  if (inotify_fd_ >= 0) close(inotify_fd_);
}

bool Inbox::IsTemporaryName(const std::string& name) {
  return name.starts_with(".") || name.starts_with("~$") || name.ends_with(".part") ||
         name.ends_with(".tmp");
}

bool Inbox::IsExcluded(const std::string& path) const {
  for (const std::string& folder : options_.excluded) {
    if (path == folder || path.starts_with(folder + "/")) return true;
  }
  return false;
}

InboxChanges Inbox::Update() {
  InboxChanges changes;
  ReadEvents(changes);
  if (options_.env->Now() >= next_walk_) {
    Walk(changes);
    next_walk_ = options_.env->Now() + options_.poll;
  }
  CheckSettled(changes);
  return changes;
}

void Inbox::Release(const std::string& file, Clock::time_point not_before) {
  taken_.erase(file);
  if (not_before > options_.env->Now()) not_before_[file] = not_before;
}

void Inbox::Walk(InboxChanges& changes) {
  WatchFolder(options_.root);
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(
           options_.root, fs::directory_options::skip_permission_denied, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string path = it->path().string();
    const bool folder = !it->is_symlink() && it->is_directory();
    if (IsTemporaryName(it->path().filename().string()) || IsExcluded(path)) {
      if (folder) it.disable_recursion_pending();
      continue;
    }
    if (folder) {
      WatchFolder(path);
    } else {
      Note(path, /*renamed_in=*/false, changes);
    }
  }
}

void Inbox::WatchFolder(const std::string& folder) {
  if (inotify_fd_ < 0) return;
  const int wd = inotify_add_watch(inotify_fd_, folder.c_str(), kEvents);
  if (wd >= 0) watched_[wd] = folder;  // else: the walk still finds its files
}

void Inbox::ReadEvents(InboxChanges& changes) {
  if (inotify_fd_ < 0) return;
  alignas(inotify_event) char buffer[64 * 1024];
  ssize_t n;
  while ((n = read(inotify_fd_, buffer, sizeof buffer)) > 0) {
    for (char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) next_walk_ = {};  // events were lost: walk now
      auto folder = watched_.find(event->wd);
      if (folder == watched_.end() || event->len == 0) continue;
      const std::string name = event->name;
      const std::string path = folder->second + "/" + name;
      if (IsTemporaryName(name) || IsExcluded(path)) continue;
      if (event->mask & IN_ISDIR) {
        next_walk_ = {};  // a new folder: watch it, and find what was put in it meanwhile
      } else {
        Note(path, (event->mask & IN_MOVED_TO) != 0, changes);
        auto known = candidates_.find(path);
        if (known != candidates_.end())
          known->second.stable_since = options_.env->Now();  // written to
      }
    }
  }
}

void Inbox::Note(const std::string& file, bool renamed_in, InboxChanges& changes) {
  if (taken_.contains(file)) return;
  auto later = not_before_.find(file);
  if (later != not_before_.end()) {
    if (options_.env->Now() < later->second) return;
    not_before_.erase(later);
  }
  auto [it, added] = candidates_.try_emplace(file);
  it->second.renamed_in |= renamed_in;
  if (!added) return;
  const FileStat st = Stat(file);
  it->second.size = st.size;
  it->second.mtime_ns = st.mtime_ns;
  it->second.stable_since = options_.env->Now();
  changes.seen.push_back(file);
}

void Inbox::CheckSettled(InboxChanges& changes) {
  const Clock::time_point now = options_.env->Now();
  for (auto it = candidates_.begin(); it != candidates_.end();) {
    const std::string& file = it->first;
    PendingFile& c = it->second;
    if (!c.renamed_in && now - c.stable_since < options_.settle) {
      ++it;
      continue;
    }
    const FileStat st = Stat(file);
    if (!st.exists) {
      changes.gone.push_back(file);
      it = candidates_.erase(it);
      continue;
    }
    const bool changed = st.size != c.size || st.mtime_ns != c.mtime_ns;
    if ((changed && !c.renamed_in) || OpenForWriting(file)) {
      c = PendingFile{st.size, st.mtime_ns, now, false};
      ++it;
      continue;
    }
    taken_.insert(file);
    changes.ready.push_back(file);
    it = candidates_.erase(it);
  }
}

}  // namespace quire::app
