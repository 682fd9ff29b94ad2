#include "watch_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

namespace quire::app {
namespace fs = std::filesystem;

namespace {

// Beside each failed file: why it failed, and what to do.
constexpr char kReasonSuffix[] = ".error.txt";
// A copy across file systems is made as ".NAME" + kCopySuffix beside NAME (see MoveFile).
constexpr char kCopySuffix[] = ".quire-copy";

Status IoError(const std::string& what, const std::error_code& error) {
  return Status::IoError(what + ": " + error.message());
}

// Whether `a` and `b` are regular files with the same bytes.
Result<bool> SameFile(Env& env, const fs::path& a, const fs::path& b) {
  QUIRE_ASSIGN_OR_RETURN(const FileInfo info_a, env.LinkStatus(a.string()));
  QUIRE_ASSIGN_OR_RETURN(const FileInfo info_b, env.LinkStatus(b.string()));
  if (info_a.kind != FileInfo::Kind::kRegular || info_b.kind != FileInfo::Kind::kRegular ||
      info_a.size != info_b.size) {
    return false;
  }
  QUIRE_ASSIGN_OR_RETURN(const std::string bytes_a, env.ReadFile(a.string()));
  QUIRE_ASSIGN_OR_RETURN(const std::string bytes_b, env.ReadFile(b.string()));
  return bytes_a == bytes_b;
}

// Where to move `from`: `dest`, or `dest` with " (2)", " (3)"... before its extension when that
// name holds another file. A name that holds the same bytes is no other file: it is the copy a
// move across file systems left when it was interrupted before it removed `from` (or the same
// file, dropped again), and the move replaces it, so that a crash leaves no second copy.
Result<fs::path> FreeName(Env& env, const fs::path& from, const fs::path& dest) {
  fs::path candidate = dest;
  for (int n = 2;; ++n) {
    Result<FileInfo> taken = env.LinkStatus(candidate.string());
    if (taken.status().code() == Status::Code::kNotFound) return candidate;
    if (!taken.ok()) return taken.status();
    QUIRE_ASSIGN_OR_RETURN(const bool same, SameFile(env, from, candidate));
    if (same) return candidate;
    candidate = dest.parent_path() /
                (dest.stem().string() + " (" + std::to_string(n) + ")" + dest.extension().string());
  }
}

// What the user can do when a file cannot be moved, removed or synced.
Status WithAdvice(const Status& error, const std::string& folders) {
  return Status::IoError(error.message() + "; quire needs write permission on " + folders +
                         ", and a sound disk with space free");
}

// Renames `from` to `to`, creating its folder; across file systems, copies, syncs and deletes.
// The copy is made under a name of its own and then renamed, so that a crash mid-copy leaves no
// part of the file under its name; the next try copies again, and removes what an earlier one
// left. Syncs both folders.
Status MoveFile(Env& env, const fs::path& from, const fs::path& to) {
  const std::string folders = from.parent_path().string() + " and " + to.parent_path().string();
  const std::string copy = to.parent_path() / ("." + to.filename().string() + kCopySuffix);
  Status moved = env.CreateFolders(to.parent_path().string());
  if (moved.ok()) moved = env.RenameFile(from.string(), to.string());
  if (moved.code() == Status::Code::kUnsupported) {  // another file system
    moved = env.CopyFile(from.string(), copy);
    if (moved.ok()) moved = env.SyncFile(copy);
    if (moved.ok()) moved = env.RenameFile(copy, to.string());
    if (moved.ok()) moved = env.RemoveFile(from.string());
  }
  if (moved.ok()) {
    const Status left = env.RemoveFile(copy);  // an earlier try's
    if (left.code() != Status::Code::kNotFound) moved = left;
  }
  if (moved.ok()) moved = env.SyncFolder(to.parent_path().string());
  if (moved.ok()) moved = env.SyncFolder(from.parent_path().string());
  return moved.ok() ? moved : WithAdvice(moved, folders);
}

// What the person who dropped the file can do about it.
std::string Advice(const Status& why) {
  switch (why.code()) {
    case Status::Code::kResourceExhausted:
      return "The file is over quire's limits (pixels, pages or size). Scan it at a lower "
             "resolution or split it into smaller documents.";
    case Status::Code::kIoError:
      return "quire could not read the file. Check that quire may read it (its permissions) and "
             "that the disk is sound.";
    case Status::Code::kInternal: return "This is a bug in quire; please report it with this file.";
    default:
      return "Check that the file is a PNG, JPEG, TIFF or PDF that opens in a viewer. A damaged "
             "or incomplete file must be scanned or exported again; an encrypted PDF must be "
             "saved without its password; a link must be replaced by the file itself.";
  }
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm;
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

std::string ErrorText(const std::string& name, const Status& why) {
  return "quire could not take this file from the hot folder.\n\nFile:  " + name +
         "\nWhen:  " + UtcNow() + "\nWhy:   " + why.message() + "\n\nWhat to do: " + Advice(why) +
         "\nThen put the file into the hot folder again; quire takes it from there.\n";
}

Result<fs::path> Absolute(const std::string& folder) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) return IoError("cannot create the folder " + folder, error);
  fs::path path = fs::canonical(folder, error);
  if (error) return IoError("cannot resolve the folder " + folder, error);
  return path;
}

}  // namespace

Result<WatchFolders> WatchFolders::Make(const WatchOptions& options) {
  std::error_code error;
  if (!fs::is_directory(options.inbox, error)) {
    return Status::NotFound(options.inbox +
                            " is not a folder; create it, or name the hot folder to watch");
  }
  WatchFolders folders;
  folders.env = options.env;
  folders.root = fs::canonical(options.inbox, error).string();
  if (error) return IoError("cannot resolve the folder " + options.inbox, error);
  QUIRE_ASSIGN_OR_RETURN(
      fs::path failed,
      Absolute(options.failed_dir.empty() ? folders.root + "/.failed" : options.failed_dir));
  folders.failed = failed.string();
  if (!options.keep_dir.empty()) {
    QUIRE_ASSIGN_OR_RETURN(fs::path keep, Absolute(options.keep_dir));
    folders.keep = keep.string();
  }
  if (folders.failed == folders.root || folders.keep == folders.root) {
    return Status::InvalidArgument("--failed and --keep must not be the hot folder itself");
  }
  return folders;
}

std::vector<std::string> WatchFolders::Excluded() const {
  std::vector<std::string> excluded = {failed};
  if (!keep.empty()) excluded.push_back(keep);
  return excluded;
}

std::string WatchFolders::Relative(const std::string& file) const {
  return fs::path(file).lexically_relative(root).string();
}

std::vector<std::string> WatchFolders::Tags(const std::string& file) const {
  std::vector<std::string> tags;
  for (const fs::path& part : fs::path(Relative(file)).parent_path()) tags.push_back(part.string());
  return tags;
}

Status WatchFolders::RemoveOriginal(const std::string& file) const {
  if (!keep.empty()) {
    Result<fs::path> dest = FreeName(*env, file, fs::path(keep) / Relative(file));
    if (!dest.ok()) return WithAdvice(dest.status(), keep);
    return MoveFile(*env, file, *dest);
  }
  const std::string folder = fs::path(file).parent_path().string();
  Status removed = env->RemoveFile(file);
  if (removed.code() == Status::Code::kNotFound) removed = Status::Ok();
  if (removed.ok()) removed = env->SyncFolder(folder);
  return removed.ok() ? removed : WithAdvice(removed, "the hot folder " + folder);
}

Status WatchFolders::MoveToFailed(const std::string& file, const Status& why) const {
  Result<fs::path> dest = FreeName(*env, file, fs::path(failed) / Relative(file));
  if (!dest.ok()) return WithAdvice(dest.status(), failed);
  if (Status s = env->CreateFolders(dest->parent_path().string()); !s.ok()) {
    return WithAdvice(s, failed);
  }
  // The reason first: a crash between the two leaves the file in INBOX, to be redone.
  if (Status s =
          env->WriteFileAtomically(dest->string() + kReasonSuffix, ErrorText(Relative(file), why));
      !s.ok()) {
    return WithAdvice(s, failed);
  }
  return MoveFile(*env, file, *dest);
}

Result<std::vector<FailedFile>> WatchFolders::ListFailed() const {
  std::vector<FailedFile> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(failed, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string path = it->path().string();
    // A copy that a crash left is removed by the move it was for, and is no failed file.
    if (!it->is_regular_file() || path.ends_with(kReasonSuffix) || path.ends_with(kCopySuffix)) {
      continue;
    }
    FailedFile file;
    file.name = it->path().lexically_relative(failed).string();
    Result<std::string> reason = env->ReadFile(path + kReasonSuffix);
    file.reason = reason.ok() ? *reason : "";
    struct stat st;
    if (stat(path.c_str(), &st) == 0) file.time = st.st_mtime;
    files.push_back(std::move(file));
  }
  if (error) return IoError("cannot list the failed folder " + failed, error);
  std::sort(files.begin(), files.end(),
            [](const FailedFile& a, const FailedFile& b) { return a.time > b.time; });
  return files;
}

Result<fs::path> WatchFolders::FailedPath(const std::string& name) const {
  const fs::path path = (fs::path(failed) / name).lexically_normal();
  const std::string relative = path.lexically_relative(failed).string();
  std::error_code error;
  if (name.empty() || relative.empty() || relative.starts_with("..") ||
      path.string().ends_with(kReasonSuffix) || !fs::is_regular_file(path, error)) {
    return Status::NotFound("no failed file " + name + " in " + failed);
  }
  return path;
}

Status WatchFolders::RetryFailed(const std::string& name) const {
  QUIRE_ASSIGN_OR_RETURN(fs::path from, FailedPath(name));
  QUIRE_ASSIGN_OR_RETURN(const fs::path to, FreeName(*env, from, fs::path(root) / name));
  // The reason goes first: once the file is back, the watcher may fail it again at once, under
  // the same name, and its new reason must stay.
  (void)env->RemoveFile(from.string() + kReasonSuffix);  // a missing reason is no matter
  return MoveFile(*env, from, to);
}

Status WatchFolders::DiscardFailed(const std::string& name) const {
  QUIRE_ASSIGN_OR_RETURN(fs::path path, FailedPath(name));
  Status removed = env->RemoveFile(path.string());
  if (removed.ok()) (void)env->RemoveFile(path.string() + kReasonSuffix);  // may be missing
  if (removed.ok()) removed = env->SyncFolder(path.parent_path().string());
  return removed.ok() ? removed : WithAdvice(removed, failed);
}

Result<std::string> WatchFolders::ReadOriginal(const std::string& file, int64_t max_bytes) const {
  QUIRE_ASSIGN_OR_RETURN(const FileInfo info, env->LinkStatus(file));
  if (info.kind == FileInfo::Kind::kSymlink) {
    return Status::InvalidArgument(
        "it is a symbolic link; quire does not follow links, so that only files put into the hot "
        "folder are taken");
  }
  if (info.kind != FileInfo::Kind::kRegular) {
    return Status::InvalidArgument("it is not a regular file (a FIFO, socket or device)");
  }
  if (info.size > max_bytes) {
    return Status::ResourceExhausted("it is " + std::to_string(info.size) +
                                     " bytes, over the limit of " + std::to_string(max_bytes));
  }
  return env->ReadFile(file);
}

}  // namespace quire::app
