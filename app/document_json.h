// The JSON of archive records and search results, one shape for the command line
// (`quire show --json`, `list --json`) and the HTTP API, so a script reads both alike.
#pragma once

#include <nlohmann/json.hpp>

#include "quire/index/index.h"
#include "quire/store/archive.h"

namespace quire::app {

nlohmann::json ToJson(const store::DocumentSummary& summary);
nlohmann::json ToJson(const store::AuditEvent& event);
// The summary with the pages (text and words), fields, review reasons and history.
nlohmann::json ToJson(const store::DocumentRecord& doc);

// {"total", "total_exact", "results": [{"id", "score", "type", "title", "vendor", "date",
// "total", "currency", "snippet", "all_words", "hits": [{"page", "box", "word"}]}], "facets"}.
nlohmann::json ToJson(const index::SearchResults& found);
// "relevance", "newest" or "oldest" (anything else is relevance).
index::SortOrder ParseSortOrder(const std::string& sort);

}  // namespace quire::app
