// What the crash and power-loss tests check of an archive that a failure left behind.
#pragma once

#include <memory>
#include <string>

#include "quire/index/index.h"
#include "quire/store/archive.h"

namespace quire::store::testing {

// Opened as quire opens an archive: with the index, to index again the documents whose index
// writes a crash lost.
std::unique_ptr<Archive> OpenOrFail(const std::string& dir,
                                    const ArchiveOptions& options = index::IndexedArchiveOptions());

// Checks that the document is whole.
void CheckWhole(Archive& archive, const DocumentSummary& summary);

// Checks that the archive's own verify pass finds nothing wrong.
void CheckVerified(Archive& archive);

// Checks that the index holds every document and nothing else: its own cross-checks, and a
// filter every document matches (each has the total 120.00).
void CheckIndexed(Archive& archive, size_t documents);

}  // namespace quire::store::testing
