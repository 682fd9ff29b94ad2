// Whole-file reads and writes, with errors that name the file and say what to do.
#pragma once

#include <sys/types.h>

#include <string>

#include "quire/common/status.h"

namespace quire {

// Reads the whole file. NotFound, InvalidArgument (a folder, not a file) or IoError.
Result<std::string> ReadFile(const std::string& path);

// Writes `contents` to `path` through a temporary file and a rename, so a reader never sees a
// half-written file. fsyncs the file before the rename. A new file gets `mode` (before umask).
Status WriteFileAtomically(const std::string& path, const std::string& contents,
                           mode_t mode = 0644);

// fsyncs a folder, so that the files created, renamed or removed in it stay so after a crash.
Status SyncFolder(const std::string& folder);

}  // namespace quire
