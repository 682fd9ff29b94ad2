// Parses the query language (README.md, "Query language") into a tree of AND, OR and NOT over
// query items. Words are kept as typed; the searcher folds, splits and stems them with the same
// tokenizer the index used.
//
// Grammar (operators are upper case; lower-case "and", "or", "not" are words):
//   query := or
//   or    := and ("OR" and)*
//   and   := unary (["AND"] unary)*          words side by side are ANDed
//   unary := ("NOT" | "-") unary | "(" or ")" | item
// so NOT binds tightest, then AND, then OR: `a b OR c` is (a AND b) OR c.
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

enum class NodeKind { kItem, kAnd, kOr, kNot };

struct QueryNode {
  NodeKind kind = NodeKind::kItem;
  QueryItem item;                   // kItem
  std::vector<QueryNode> children;  // kAnd, kOr: two or more; kNot: one
  // kAnd: its terms were written side by side, without AND (see RelaxedQuery).
  bool implicit = false;
};

struct Query {
  QueryNode root;
  std::optional<SortOrder> sort;  // sort:..., when given
};

// Parentheses nest at most this deep (each level is a frame of the parser and of the matchers).
inline constexpr int kMaxQueryDepth = 100;

// InvalidArgument naming the column of the problem: "unclosed quote at column 7". Field names of
// Paperless-ngx (correspondent:, created:[2024 to 2025] ...) are refused with the quire form to
// write instead; an unknown field with the list of known ones.
Result<Query> ParseQuery(const std::string& text);

// What a search falls back to when no document matches: the query's words side by side (words,
// prefixes, fuzzy words, phrases, and groups of them) joined by OR into one term, its filters and
// exclusions kept, so that a word OCR read beyond repair does not hide the document. BM25 still
// ranks documents with more (and rarer) of the words first. nullopt unless the query is at least
// two such word terms side by side (an AND written out is meant as written).
std::optional<Query> RelaxedQuery(const Query& query);

}  // namespace quire::index
