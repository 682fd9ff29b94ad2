// Feeds arbitrary text to the search query parser, which reads whatever a user types.
#include <cstddef>
#include <cstdint>
#include <string>

#include "query_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  quire::Result<quire::index::Query> query = quire::index::ParseQuery(text);
  (void)query.ok();
  return 0;
}
