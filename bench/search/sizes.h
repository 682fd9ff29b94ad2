// Sizes on disk, split so that each engine's search index compares with the other's alone: quire's
// archive also keeps the page records (words with their boxes) and the originals, FTS5's table a
// copy of the text, and neither copy is part of an index.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "quire/common/status.h"

namespace quire::bench {

// The live table and blob files of each column family of the quire archive in `dir`, by name
// ("index_postings", "pages", ...), read through a read-only RocksDB handle (the archive may be
// open). Column families named "index_..." are the search index.
Result<std::map<std::string, int64_t>> ArchiveColumnBytes(const std::string& dir);
inline constexpr std::string_view kIndexColumnPrefix = "index_";

// The bytes of the SQLite database at `path` (dbstat's pages) that are not FTS5's copy of the
// text (the table "docs_content"): the inverted index, its document sizes and the meta table with
// its B-tree indexes, what a contentless table (content='') with the same meta table holds.
Result<int64_t> Fts5IndexBytes(const std::string& path);

}  // namespace quire::bench
