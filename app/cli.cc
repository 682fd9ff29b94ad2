#include "cli.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "quire/common/file.h"
#include "quire/index/index.h"

namespace quire::app {

namespace fs = std::filesystem;

std::string ArchivePath(const GlobalOptions& options) {
  if (!options.archive.empty()) return options.archive;
  if (const char* env = std::getenv("QUIRE_ARCHIVE"); env != nullptr && *env != '\0') return env;
  return "quire-archive";
}

Result<std::unique_ptr<store::Archive>> OpenArchive(const GlobalOptions& options, bool read_only) {
  const std::string path = ArchivePath(options);
  if (read_only && !fs::exists(path)) {
    return Status::NotFound("no archive at " + path +
                            "; ingest documents first (quire ingest FILE) or pass --archive DIR");
  }
  store::ArchiveOptions archive_options = index::IndexedArchiveOptions();
  archive_options.read_only = read_only;
  archive_options.create_if_missing = !read_only;
  return store::Archive::Open(path, archive_options);
}

Result<std::unique_ptr<store::Archive>> OpenArchiveForImport(const GlobalOptions& options) {
  return store::Archive::Open(ArchivePath(options),
                              store::ForBulkImport(index::IndexedArchiveOptions()));
}

int ReportError(const Status& status) {
  std::cerr << "quire: " << status.message() << "\n";
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kNotFound: return kExitNotFound;
    case Status::Code::kInvalidArgument: return kExitUsage;
    // An archive of another schema, or a damaged one, cannot be opened: exit 3, as one in use.
    // Exit 5 is verify's alone.
    case Status::Code::kUnsupported:
    case Status::Code::kCorruption:
    case Status::Code::kIoError:
    case Status::Code::kResourceExhausted:
    case Status::Code::kInternal: return kExitArchive;
  }
  return kExitFailed;
}

int WriteOutputFile(const std::string& path, const std::string& contents) {
  std::error_code error;
  const fs::path parent = fs::absolute(path, error).parent_path();
  if (fs::is_directory(path, error)) {
    return ReportError(Status::InvalidArgument(path + " is a folder: name a file to write"));
  }
  if (!fs::is_directory(parent, error)) {
    return ReportError(Status::InvalidArgument("cannot write " + path + ": the folder " +
                                               parent.string() + " does not exist"));
  }
  if (Status s = WriteFileAtomically(path, contents); !s.ok()) {
    ReportError(s);
    return kExitFailed;
  }
  return kExitOk;
}

std::string CurrentUser() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "unknown";
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

std::string IsoTime(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return out.str();
}

}  // namespace quire::app
