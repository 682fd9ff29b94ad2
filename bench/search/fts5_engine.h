// SQLite FTS5 with its bm25, the peer bench_search measures quire's search against.
#pragma once

#include <memory>
#include <string>

#include "quire/common/status.h"
#include "search_engine.h"

namespace quire::bench {

// A new SQLite database at `path`: an FTS5 table of the page text (porter stemming over
// unicode61 with diacritics removed, as quire folds and stems) and a meta table with B-tree
// indexes on date and total for the field ranges. Rows are inserted in transactions of
// kFtsTransactionRows, FTS5's bulk-load path.
Result<std::unique_ptr<SearchEngine>> OpenFts5(const std::string& path);
inline constexpr int kFtsTransactionRows = 1000;

}  // namespace quire::bench
