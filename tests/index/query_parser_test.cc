#include "query_parser.h"

#include <catch2/catch.hpp>

using quire::index::EncodeFilterValue;
using quire::index::FilterKind;
using quire::index::ItemKind;
using quire::index::NodeKind;
using quire::index::ParseQuery;
using quire::index::Query;
using quire::index::QueryItem;
using quire::index::QueryNode;
using quire::index::SortOrder;
using quire::index::ValueRange;

namespace {

Query Parse(const std::string& text) {
  auto query = ParseQuery(text);
  INFO(text << ": " << query.status().ToString());
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
  INFO(text);
  REQUIRE_FALSE(query.ok());
  CHECK(query.status().code() == quire::Status::Code::kInvalidArgument);
  return query.status().message();
}

// The tree as text: AND(a, OR(b, c), NOT(d)); items as typed, with ~ and * for fuzzy and
// prefix words, quotes for phrases.
std::string Tree(const QueryNode& node) {
  switch (node.kind) {
    case NodeKind::kItem: {
      const auto& item = node.item;
      if (item.kind == ItemKind::kPhrase) return "\"" + item.text + "\"";
      if (item.kind == ItemKind::kPrefix) return item.text + "*";
      if (item.kind == ItemKind::kFuzzy) return item.text + "~";
      if (item.filter != nullptr) return std::string(item.filter->name) + ":" + item.text;
      return item.text;
    }
    case NodeKind::kNot: return "NOT(" + Tree(node.children[0]) + ")";
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      std::string text = node.kind == NodeKind::kAnd ? "AND(" : "OR(";
      for (size_t i = 0; i < node.children.size(); ++i) {
        text += (i > 0 ? ", " : "") + Tree(node.children[i]);
      }
      return text + ")";
    }
  }
  return "?";
}

std::string Tree(const std::string& text) { return Tree(Parse(text).root); }

// The i-th term of the query's top-level AND.
const QueryItem& Term(const Query& q, size_t i) {
  REQUIRE(q.root.kind == NodeKind::kAnd);
  REQUIRE(i < q.root.children.size());
  REQUIRE(q.root.children[i].kind == NodeKind::kItem);
  return q.root.children[i].item;
}

}  // namespace

TEST_CASE("words side by side are ANDed, AND binds tighter than OR, NOT and '-' exclude") {
  CHECK(Tree("acme invoice") == "AND(acme, invoice)");
  CHECK(Tree("acme AND invoice") == "AND(acme, invoice)");
  CHECK(Tree("acme OR globex") == "OR(acme, globex)");
  CHECK(Tree("acme invoice OR receipt -draft") ==
        "OR(AND(acme, invoice), AND(receipt, NOT(draft)))");
  CHECK(Tree("a OR b AND c OR d") == "OR(a, AND(b, c), d)");
  CHECK(Tree("NOT a") == "NOT(a)");
  CHECK(Tree("-a") == "NOT(a)");
  CHECK(Tree("NOT NOT a") == "a");
  CHECK(Tree("a NOT b") == "AND(a, NOT(b))");
  CHECK(Tree("NOT a b") == "AND(NOT(a), b)");  // NOT binds tightest
  CHECK(Tree("acme OR -beta") == "OR(acme, NOT(beta))");
  // Lower-case operators are words.
  CHECK(Tree("salt and pepper or not") == "AND(salt, and, pepper, or, not)");
  CHECK(Parse("acme invoice").root.implicit);
  CHECK_FALSE(Parse("acme AND invoice").root.implicit);
  const Query q = Parse("acme invoice -draft");
  CHECK(Term(q, 0).column == 1);
  CHECK(q.root.children[2].children[0].item.column == 14);  // where the "-" is
}

TEST_CASE("parentheses group to any depth") {
  CHECK(Tree("(a OR b) c") == "AND(OR(a, b), c)");
  CHECK(Tree("(a OR b) AND (c OR d)") == "AND(OR(a, b), OR(c, d))");
  CHECK(Tree("-(a OR b) c") == "AND(NOT(OR(a, b)), c)");
  CHECK(Tree("NOT (a b)") == "NOT(AND(a, b))");
  CHECK(Tree("((((a))))") == "a");
  CHECK(Tree("(a (b OR (c -d)))") == "AND(a, OR(b, AND(c, NOT(d))))");
  CHECK(Tree("(vendor:acme OR vendor:brightline) total:>100 -type:receipt") ==
        "AND(OR(vendor:acme, vendor:brightline), total:>100, NOT(type:receipt))");
  CHECK(Tree("(\"total due\")") == "\"total due\"");
  // A word that opens its own parenthesis keeps it, as printed on receipts.
  CHECK(Tree("(12345-X)") == "12345-X");
  CHECK(Tree("SDN.BHD(12345-X)") == "SDN.BHD(12345-X)");
  CHECK(Tree("(a f(x))") == "AND(a, f(x))");
  std::string deep = "x";
  for (int i = 0; i < quire::index::kMaxQueryDepth; ++i) deep = "(" + deep + " OR y)";
  CHECK(Tree(deep).starts_with("OR(OR("));
  CHECK(Error("(" + deep + " OR y)").starts_with("parentheses nested more than 100 deep"));
}

TEST_CASE("phrases, prefixes and fuzzy words") {
  const Query q = Parse("\"total amount\" inv* lnvoice~ T0TAL~1");
  CHECK(Term(q, 0).kind == ItemKind::kPhrase);
  CHECK(Term(q, 0).text == "total amount");
  CHECK(Term(q, 1).kind == ItemKind::kPrefix);
  CHECK(Term(q, 1).text == "inv");
  CHECK(Term(q, 2).kind == ItemKind::kFuzzy);
  CHECK(Term(q, 2).text == "lnvoice");
  CHECK(Term(q, 2).max_edits == 0);
  CHECK(Term(q, 3).max_edits == 1);
  CHECK(Parse("-\"paid in full\"").root.kind == NodeKind::kNot);
}

TEST_CASE("field filters and ranges") {
  const Query q = Parse(
      "type:invoice vendor:\"acme corp\" number:INV-4711 total:>2000 "
      "date:2024-01-01..2024-03-31");
  REQUIRE(q.root.children.size() == 5);
  CHECK(Term(q, 0).kind == ItemKind::kFilter);
  CHECK(Term(q, 0).text == "invoice");
  CHECK(Term(q, 1).text == "acme corp");
  CHECK(Term(q, 1).filter->field == "vendor_name");
  CHECK(Term(q, 2).text == "INV-4711");
  const auto& total = Term(q, 3);
  CHECK(total.kind == ItemKind::kRange);
  CHECK_FALSE(Holds(total.range, FilterKind::kAmount, "2000.00"));  // ">" excludes the bound
  CHECK(Holds(total.range, FilterKind::kAmount, "2000.01"));
  CHECK(Holds(total.range, FilterKind::kAmount, "1000000.00"));
  CHECK(total.range.upper.empty());
  const auto& date = Term(q, 4);
  CHECK(date.range.lower == "2024-01-01");
  CHECK(date.range.upper == "2024-03-31\xff");
  CHECK(Parse("date:2024-03").root.item.range.upper == "2024-03\xff");
  const ValueRange hundreds = Parse("total:100..500").root.item.range;
  CHECK_FALSE(Holds(hundreds, FilterKind::kAmount, "99.99"));
  CHECK(Holds(hundreds, FilterKind::kAmount, "100.00"));  // both ends are in the range
  CHECK(Holds(hundreds, FilterKind::kAmount, "500.00"));
  CHECK_FALSE(Holds(hundreds, FilterKind::kAmount, "500.01"));
  CHECK(Holds(Parse("date:2024-03").root.item.range, FilterKind::kDate, "2024-03-31"));
  CHECK_FALSE(Holds(Parse("date:2024-03").root.item.range, FilterKind::kDate, "2024-04-01"));
  // Ranges as Paperless-ngx (Whoosh) writes them.
  const Query whoosh = Parse("date:[2024 to 2025]");
  CHECK(whoosh.root.item.range.lower == "2024");
  CHECK(whoosh.root.item.range.upper == "2025\xff");
  CHECK(Parse("total:[100 TO *]").root.item.range.upper.empty());
  // Not a field: the colon is part of a word.
  CHECK(Parse("10:30").root.item.kind == ItemKind::kWord);
  CHECK(Parse("Invoice:").root.item.kind == ItemKind::kWord);
  CHECK(Parse("https://acme.example").root.item.kind == ItemKind::kWord);
}

TEST_CASE("Paperless-ngx's fields are refused with the quire form, unknown ones with the list") {
  CHECK(Error("created:[2024 to 2025]") ==
        "created: is Paperless-ngx's field at column 1: in quire write date:2024..2025");
  CHECK(Error("acme correspondent:acme") ==
        "correspondent: is Paperless-ngx's field at column 6: in quire write vendor:acme");
  CHECK(Error("tags:inbox").ends_with("in quire write tag:inbox"));
  CHECK(Error("created:2024-03").ends_with("in quire write date:2024-03"));
  CHECK(Error("created:[-1 week to now]").ends_with("a range like date:2024-01-01..2024-03-31"));
  CHECK(Error("added:[2024 to 2025]").starts_with("added: is Paperless-ngx's field at column 1: "));
  CHECK(Error("content:toner").ends_with("leave out content:"));
  const std::string unknown = Error("invoice foo:bar");
  CHECK(unknown.starts_with("unknown field 'foo' at column 9: the fields are type:, vendor:, "));
  CHECK(unknown.find("tag:, review:, barcode:, asn:, sort:") != std::string::npos);
  CHECK(unknown.ends_with("quote it: \"foo:bar\""));
  CHECK(Parse("\"foo:bar\"").root.item.kind == ItemKind::kPhrase);
}

TEST_CASE("barcode: is a filter on words, asn: a number or a range of them") {
  CHECK(Parse("barcode:PO-7781").root.item.kind == ItemKind::kFilter);
  CHECK(Parse("asn:42").root.item.kind == ItemKind::kRange);
  CHECK(Parse("asn:100..199").root.item.kind == ItemKind::kRange);
  CHECK(Error("asn:abc").starts_with("'abc' is not a valid asn"));
  CHECK(Error("asn:abc").find("a serial number like 42") != std::string::npos);
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
  CHECK(Error("acme AND OR b") == "AND needs a term on both sides at column 6");
  CHECK(Error("(acme OR) b") == "OR needs a term on both sides at column 7");
  CHECK(Error("acme NOT") == "NOT needs a term after it at column 6");
  CHECK(Error("(acme OR b") == "unclosed parenthesis at column 1");
  CHECK(Error("acme OR b)") == "')' without a matching '(' at column 10");
  CHECK(Error(") acme") == "')' without a matching '(' at column 1");
  CHECK(Error("acme () b") == "empty parentheses at column 6");
  CHECK(Error("acme - beta") == "'-' must be followed by the word to exclude at column 6");
  CHECK(Error("date:[2024 to") == "unclosed '[' at column 6");
  CHECK(Error("\"\"") == "empty phrase at column 1");
  CHECK(Error("type:bill").starts_with("unknown document type 'bill' at column 1"));
  CHECK(Error("review:maybe").starts_with("review: takes yes or no, not 'maybe' at column 1"));
  CHECK(Error("acme total:>abc").starts_with("'abc' is not a valid total at column 6"));
  CHECK(Error("date:2024-13").starts_with("'2024-13' is not a valid date at column 1"));
  // A day the month does not have, and a leap day outside a leap year.
  CHECK(Error("date:2024-02-30").starts_with("'2024-02-30' is not a valid date"));
  CHECK(Error("date:2023-02-29..2023-03-10").starts_with("'2023-02-29' is not a valid date"));
  Parse("date:2024-02-29");  // REQUIREs that it parses
  CHECK(Error("total:500..100").starts_with("the range 500..100 is empty at column 1"));
  CHECK(Error("vendor:") == "vendor: needs a value at column 1");
  CHECK(Error("acme sort:size").starts_with("unknown sort order 'size' at column 6"));
  CHECK(Error("lnvoice~3").starts_with("fuzzy '~3' allows 1 or 2 edits at column 1"));
  CHECK(Error("   ").starts_with("the query is empty"));
  CHECK(Error("Über \"x").find("column 6") != std::string::npos);  // columns count characters
}
