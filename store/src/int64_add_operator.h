// The merge operator of the index_term_stats column: values are little-endian int64 sums, and a
// merge operand is a little-endian int64 delta (IndexBatch::Add). Merging lets the index count
// terms and documents without reading the old value inside a commit.
#pragma once

#include <rocksdb/merge_operator.h>

#include <memory>

namespace quire::store {

std::shared_ptr<rocksdb::MergeOperator> NewInt64AddOperator();

}  // namespace quire::store
