// The edge between RocksDB's errors and quire's: every rocksdb::Status is translated here.
#pragma once

#include <rocksdb/status.h>

#include <string>

#include "quire/common/status.h"

namespace quire::store {

// OK stays OK; otherwise the matching quire code, with the message prefixed by `context`
// ("writing document 7: ...").
Status ToStatus(const rocksdb::Status& status, const std::string& context);

}  // namespace quire::store
