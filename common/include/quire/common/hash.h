// Content hashes: originals are addressed by the SHA-256 of their bytes (FIPS 180-4).
#pragma once

#include <string>
#include <string_view>

namespace quire {

// Lower-case hex SHA-256 of `bytes`: 64 characters.
std::string Sha256Hex(std::string_view bytes);

}  // namespace quire
