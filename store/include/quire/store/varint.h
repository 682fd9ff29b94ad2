// LEB128 varints (7 bits a byte, low bits first), the integer encoding of the archive's binary
// records (pages, list blocks) and of the index's postings; zigzag maps signed integers to
// unsigned ones so that small magnitudes stay short; strings are prefixed with their size.
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

inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

inline void PutString(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s);
}

// Reads a size-prefixed string from the front of `in` (a view into `in`); false when truncated.
inline bool GetString(std::string_view& in, std::string_view& s) {
  uint64_t size;
  if (!GetVarint(in, size) || size > in.size()) return false;
  s = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

}  // namespace quire::store
