// LEB128 varints (7 bits a byte, low bits first), the integer encoding of the archive's list
// blocks and of the index's postings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace quire::store {

inline void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads one varint from the front of `in`; false when `in` ends first or it is over 64 bits.
inline bool GetVarint(std::string_view& in, uint64_t& v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in.empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      v = result;
      return true;
    }
  }
  return false;
}

}  // namespace quire::store
