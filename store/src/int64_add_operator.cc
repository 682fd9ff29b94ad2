#include "int64_add_operator.h"

#include "schema.h"

namespace quire::store {
namespace {

class Int64AddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  // Returning false makes RocksDB report the key as corrupt instead of summing garbage.
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing,
             const rocksdb::Slice& operand, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    if (operand.size() != 8 || (existing != nullptr && existing->size() != 8)) return false;
    const int64_t base = existing == nullptr ? 0 : DecodeInt64Le(existing->ToStringView());
    *new_value = EncodeInt64Le(base + DecodeInt64Le(operand.ToStringView()));
    return true;
  }

  // Stored in the archive's OPTIONS file; never rename it.
  const char* Name() const override { return "quire.Int64Add"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> NewInt64AddOperator() {
  return std::make_shared<Int64AddOperator>();
}

}  // namespace quire::store
