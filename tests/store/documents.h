// Documents for the archive tests: small, made up, and different for every `seed`.
#pragma once

#include <string>

#include "quire/store/archive.h"

namespace quire::store::testing {

// A document with `pages` pages whose text and original bytes depend on `seed`, an invoice with a
// "total" field. `original_bytes` sets the original's size (large ones go to blob files).
NewDocument MakeDocument(const std::string& seed, int pages = 2, size_t original_bytes = 100);

// An index hook that records, in kDocTerms, "doc:<id>" -> the document's source, and counts
// documents in kTermStats under "documents".
IndexHook RecordingHook();

// What RecordingHook wrote for `id`, or "" when nothing.
std::string RecordedSource(Archive& archive, DocId id);

}  // namespace quire::store::testing
