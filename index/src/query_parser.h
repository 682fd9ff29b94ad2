// Parses the query language (README.md, "Query language") into clauses. Words are kept as
// typed; the searcher folds, splits and stems them with the same tokenizer the index used.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "filter_fields.h"
#include "quire/common/status.h"
#include "quire/index/index.h"

namespace quire::index {

enum class ItemKind {
  kWord,    // invoice
  kPrefix,  // inv*            (text without the '*')
  kFuzzy,   // lnvoice~  ~2    (text without the '~')
  kPhrase,  // "total amount"  (text without the quotes)
  kFilter,  // vendor:acme, type:invoice, tag:acme (kWords, kType, kTag)
  kRange,   // total:>2000, date:2024-03
};

struct QueryItem {
  ItemKind kind = ItemKind::kWord;
  std::string text;
  int column = 0;                       // 1-based, in characters, where the item starts
  int max_edits = 0;                    // kFuzzy: 1 or 2 as written; 0 to choose by length
  const FilterField* filter = nullptr;  // kFilter, kRange
  ValueRange range;                     // kRange
};

// Documents match a clause when they match any of its items (several items: joined by OR).
// A negated clause excludes the documents it matches.
struct QueryClause {
  bool negated = false;
  std::vector<QueryItem> any_of;
};

struct Query {
  std::vector<QueryClause> clauses;  // all must hold
  std::optional<SortOrder> sort;     // sort:..., when given
};

// InvalidArgument naming the column of the problem: "unclosed quote at column 7".
Result<Query> ParseQuery(const std::string& text);

// The query with its word clauses (words, prefixes, fuzzy words, phrases) joined by OR into one,
// filters and exclusions kept: what a search falls back to when no document has every word, so
// that a word OCR read beyond repair does not hide the document. BM25 still ranks documents with
// more (and rarer) of the words first. nullopt when the query has fewer than two word clauses.
std::optional<Query> AnyWordOf(const Query& query);

}  // namespace quire::index
