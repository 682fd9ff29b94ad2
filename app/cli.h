// What every `quire` command shares: exit codes, where the archive is, and how errors are told.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "quire/common/status.h"
#include "quire/store/archive.h"

namespace quire::app {

// The exit codes are part of the command-line contract (README.md, "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,    // some input could not be processed; the others were
  kExitUsage = 2,     // bad command line or query
  kExitArchive = 3,   // the archive could not be opened or written
  kExitNotFound = 4,  // no such file or document
  kExitProblems = 5,  // verify found damage
  // ingest stopped by Ctrl-C or SIGTERM, what it had in hand finished (the shell's code for a
  // command that SIGINT ended)
  kExitStopped = 130,
};

struct GlobalOptions {
  std::string archive;  // from --archive; empty: $QUIRE_ARCHIVE, else ./quire-archive
  bool json = false;    // print JSON instead of text
};

// --archive, else $QUIRE_ARCHIVE, else ./quire-archive.
std::string ArchivePath(const GlobalOptions& options);

// Opens the archive; read-only commands do not create it and can run beside a writer.
Result<std::unique_ptr<store::Archive>> OpenArchive(const GlobalOptions& options, bool read_only);
// Opens or creates the archive for `quire import` (store::ForBulkImport).
Result<std::unique_ptr<store::Archive>> OpenArchiveForImport(const GlobalOptions& options);

// Prints "quire: MESSAGE" to stderr and returns the exit code that fits the status.
int ReportError(const Status& status);

// Writes the file a command's --out (or --pdf) names, whole or not at all. Returns the exit code:
// 0; 2 when `path` is a folder or in a folder that does not exist; 1 when writing failed.
int WriteOutputFile(const std::string& path, const std::string& contents);

// Who runs quire, for the audit log: $USER, else "unknown".
std::string CurrentUser();

// Prints `j` on stdout, indented.
void PrintJson(const nlohmann::json& j);

// "2024-03-14T09:30:00Z" (UTC).
std::string IsoTime(int64_t unix_seconds);

}  // namespace quire::app
