#include "query_parser.h"

#include <catch2/catch.hpp>

using quire::index::FilterKind;
using quire::index::ItemKind;
using quire::index::ParseQuery;
using quire::index::Query;
using quire::index::SortOrder;
using quire::index::EncodeFilterValue;
using quire::index::ValueRange;

namespace {

Query Parse(const std::string& text) {
  auto query = ParseQuery(text);
  INFO(query.status().ToString());
  REQUIRE(query.ok());
  return std::move(*query);
}

// Whether a document whose field holds `value` (as stored: "2000.01", "2024-03-31") is in the
// range; the index keeps the stored value's encoding and takes the keys in [lower, upper).
bool Holds(const ValueRange& range, FilterKind kind, const std::string& value) {
  const std::optional<std::string> stored = EncodeFilterValue(kind, value);
  REQUIRE(stored.has_value());
  return *stored >= range.lower && (range.upper.empty() || *stored < range.upper);
}

std::string Error(const std::string& text) {
  auto query = ParseQuery(text);
  REQUIRE_FALSE(query.ok());
  CHECK(query.status().code() == quire::Status::Code::kInvalidArgument);
  return query.status().message();
}

}  // namespace

TEST_CASE("words are ANDed, OR joins neighbours, '-' excludes") {
  const Query q = Parse("acme invoice OR receipt -draft");
  REQUIRE(q.clauses.size() == 3);
  CHECK(q.clauses[0].any_of.size() == 1);
  CHECK(q.clauses[0].any_of[0].text == "acme");
  REQUIRE(q.clauses[1].any_of.size() == 2);
  CHECK(q.clauses[1].any_of[1].text == "receipt");
  CHECK(q.clauses[2].negated);
  CHECK(q.clauses[2].any_of[0].text == "draft");
  CHECK(q.clauses[2].any_of[0].column == 25);  // where the "-" is
}

TEST_CASE("phrases, prefixes and fuzzy words") {
  const Query q = Parse("\"total amount\" inv* lnvoice~ T0TAL~1");
  REQUIRE(q.clauses.size() == 4);
  CHECK(q.clauses[0].any_of[0].kind == ItemKind::kPhrase);
  CHECK(q.clauses[0].any_of[0].text == "total amount");
  CHECK(q.clauses[1].any_of[0].kind == ItemKind::kPrefix);
  CHECK(q.clauses[1].any_of[0].text == "inv");
  CHECK(q.clauses[2].any_of[0].kind == ItemKind::kFuzzy);
  CHECK(q.clauses[2].any_of[0].text == "lnvoice");
  CHECK(q.clauses[2].any_of[0].max_edits == 0);
  CHECK(q.clauses[3].any_of[0].max_edits == 1);
  CHECK(Parse("-\"paid in full\"").clauses[0].negated);
}

TEST_CASE("field filters and ranges") {
  const Query q = Parse(
      "type:invoice vendor:\"acme corp\" number:INV-4711 total:>2000 "
      "date:2024-01-01..2024-03-31");
  REQUIRE(q.clauses.size() == 5);
  CHECK(q.clauses[0].any_of[0].kind == ItemKind::kFilter);
  CHECK(q.clauses[0].any_of[0].text == "invoice");
  CHECK(q.clauses[1].any_of[0].text == "acme corp");
  CHECK(q.clauses[1].any_of[0].filter->field == "vendor_name");
  CHECK(q.clauses[2].any_of[0].text == "INV-4711");
  const auto& total = q.clauses[3].any_of[0];
  CHECK(total.kind == ItemKind::kRange);
  CHECK_FALSE(Holds(total.range, FilterKind::kAmount, "2000.00"));  // ">" excludes the bound
  CHECK(Holds(total.range, FilterKind::kAmount, "2000.01"));
  CHECK(Holds(total.range, FilterKind::kAmount, "1000000.00"));
  CHECK(total.range.upper.empty());
  const auto& date = q.clauses[4].any_of[0];
  CHECK(date.range.lower == "2024-01-01");
  CHECK(date.range.upper == "2024-03-31\xff");
  CHECK(Parse("date:2024-03").clauses[0].any_of[0].range.upper == "2024-03\xff");
  const ValueRange hundreds = Parse("total:100..500").clauses[0].any_of[0].range;
  CHECK_FALSE(Holds(hundreds, FilterKind::kAmount, "99.99"));
  CHECK(Holds(hundreds, FilterKind::kAmount, "100.00"));  // both ends are in the range
  CHECK(Holds(hundreds, FilterKind::kAmount, "500.00"));
  CHECK_FALSE(Holds(hundreds, FilterKind::kAmount, "500.01"));
  CHECK(Holds(Parse("date:2024-03").clauses[0].any_of[0].range, FilterKind::kDate, "2024-03-31"));
  CHECK_FALSE(
      Holds(Parse("date:2024-03").clauses[0].any_of[0].range, FilterKind::kDate, "2024-04-01"));
  // Not a filter name: the colon is part of a word.
  CHECK(Parse("10:30").clauses[0].any_of[0].kind == ItemKind::kWord);
}

TEST_CASE("sort: sets the order") {
  CHECK(Parse("acme sort:date").sort == SortOrder::kDateNewest);
  CHECK(Parse("acme sort:oldest").sort == SortOrder::kDateOldest);
  CHECK(Parse("acme sort:relevance").sort == SortOrder::kRelevance);
  CHECK_FALSE(Parse("acme").sort.has_value());
}

TEST_CASE("a query that cannot be parsed says where") {
  CHECK(Error("total \"amount due") == "unclosed quote at column 7");
  CHECK(Error("OR acme") == "OR needs a term on both sides at column 1");
  CHECK(Error("acme OR") == "OR needs a term on both sides at column 6");
  CHECK(Error("acme OR -beta").starts_with("OR cannot join an excluded term at column 6"));
  CHECK(Error("acme - beta") == "'-' must be followed by the word to exclude at column 6");
  CHECK(Error("\"\"") == "empty phrase at column 1");
  CHECK(Error("type:bill").starts_with("unknown document type 'bill' at column 1"));
  CHECK(Error("acme total:>abc").starts_with("'abc' is not a valid total at column 6"));
  CHECK(Error("date:2024-13").starts_with("'2024-13' is not a valid date at column 1"));
  CHECK(Error("total:500..100").starts_with("the range 500..100 is empty at column 1"));
  CHECK(Error("vendor:") == "vendor: needs a value at column 1");
  CHECK(Error("acme sort:size").starts_with("unknown sort order 'size' at column 6"));
  CHECK(Error("lnvoice~3").starts_with("fuzzy '~3' allows 1 or 2 edits at column 1"));
  CHECK(Error("   ").starts_with("the query is empty"));
  CHECK(Error("Über \"x").find("column 6") != std::string::npos);  // columns count characters
}
