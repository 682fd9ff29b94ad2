// The field filters of the query language ("vendor:acme", "total:>2000", "date:2024-03") and the
// extracted fields behind them. One table, read by the indexer and by the query parser, so what
// is indexed and what can be asked for never drift apart.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quire::index {

enum class FilterKind {
  kWords,    // matches documents whose field holds all the given words: vendor:acme
  kTag,      // like kWords, over the document's tags (store::NewDocument::tags): tag:acme
  kBarcode,  // like kWords, over the barcodes read on its pages (PageText::barcodes)
  kType,     // the document type: type:invoice
  kReview,   // whether the document awaits a person's review: review:yes, review:no
  kDate,     // ISO dates, compared as ranges: date:2024-03, date:2024-01-01..2024-03-31
  kAmount,   // decimal amounts, compared as ranges: total:>2000, total:100..500
};

struct FilterField {
  std::string_view name;   // as written in queries
  std::string_view field;  // the Extraction field it reads; empty for kType, kTag, kReview and
                           // kBarcode
  FilterKind kind;
};

const std::vector<FilterField>& FilterFields();
// The filter called `name` (ASCII case-insensitive), if any.
const FilterField* FindFilter(std::string_view name);

// The value of a kReview filter: "yes" for a document awaiting review, "no" for the others. The
// same words name the "review" facet.
inline std::string_view ReviewValue(bool needs_review) { return needs_review ? "yes" : "no"; }

// The filter term for one folded word of a kWords, kTag, kBarcode, kType or kReview filter:
// "Xvendor:acme".
std::string FilterTerm(std::string_view filter, std::string_view folded_word);

// A range of encoded filter values: lower <= v < upper; an empty `upper` means unbounded.
struct ValueRange {
  std::string lower;
  std::string upper;
};

// The encoded values one written value stands for: every date in "2024-03", or the one amount
// "120.5". nullopt when `text` is not a date (YYYY, YYYY-MM or YYYY-MM-DD) or an amount.
std::optional<ValueRange> ValueInterval(FilterKind kind, std::string_view text);

// The key encoding of a stored field value (a full ISO date, or a normalised amount), or nullopt
// when the value does not have that form and so cannot be range-filtered.
std::optional<std::string> EncodeFilterValue(FilterKind kind, std::string_view value);

}  // namespace quire::index
