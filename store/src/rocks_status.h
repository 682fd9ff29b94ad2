// The edge between RocksDB's errors and quire's: every rocksdb::Status is translated here.
#pragma once

#include <rocksdb/status.h>

#include <string>

#include "quire/common/status.h"

namespace quire::store {

// OK stays OK; otherwise the matching quire code, with the message prefixed by `context`
// ("writing document 7: ...").
Status ToStatus(const rocksdb::Status& status, const std::string& context);

// Whether RocksDB failed because a file it listed is gone: a writer in another process deleted it
// (after a compaction) under this reader. RocksDB reports it as an I/O error, or as corruption
// wrapping one ("Corruption: IO error: No such file or directory: While open a file for ...").
bool FileVanished(const rocksdb::Status& status);

}  // namespace quire::store
