// Feeds arbitrary bytes to the archive's record decoders (store/src/schema.h), as a damaged disk
// would: the first byte picks the record kind, the rest is its value. Each must return a Status,
// never crash, hang or allocate without bound. A record that decodes must encode to bytes that
// decode again to the same encoding: what a reader accepts, a writer can store (a correction
// rewrites the fields record it read).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "schema.h"

namespace {

using namespace quire;
using namespace quire::store;

// Aborts, so that libFuzzer keeps the input, when `encoded` does not read back as itself.
template <typename Decode, typename Encode>
void CheckStable(const std::string& encoded, Decode decode, Encode encode) {
  auto again = decode(encoded);
  if (!again.ok() || encode(*again) != encoded) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      Result<PageText> page = DecodePage(value);
      (void)MigratePageRecord(value).ok();
      if (page.ok()) CheckStable(EncodePage(*page), DecodePage, EncodePage);
      break;
    }
    case 1: {
      Result<Extraction> extraction = DecodeExtraction(value);
      if (extraction.ok()) {
        CheckStable(EncodeExtraction(*extraction), DecodeExtraction, EncodeExtraction);
      }
      break;
    }
    case 2: {
      Result<AuditEvent> event = DecodeAudit(value);
      if (event.ok()) CheckStable(EncodeAudit(*event), DecodeAudit, EncodeAudit);
      break;
    }
    case 3: {
      const auto decode = [](std::string_view v) { return DecodeSummary(7, v); };
      Result<DocumentSummary> summary = decode(value);
      if (summary.ok()) CheckStable(EncodeSummary(*summary), decode, EncodeSummary);
      break;
    }
    case 4: {
      Result<Tally> tally = DecodeTally(value);
      if (tally.ok()) CheckStable(EncodeTally(*tally), DecodeTally, EncodeTally);
      break;
    }
  }
  return 0;
}
