// The index's consistency check (Searcher::Verify).
#pragma once

#include <string>
#include <vector>

#include "quire/index/index.h"
#include "quire/store/archive.h"

namespace quire::index {

// Appends one line per problem: documents missing from the index or from the archive, postings
// of documents that are not indexed, terms of a document without their posting (or the other way
// round), and statistics that disagree with the postings. Non-OK only when reading fails.
Status VerifyIndex(store::Archive& archive, const IndexOptions& options,
                   std::vector<std::string>& problems);

}  // namespace quire::index
