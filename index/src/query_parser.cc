#include "query_parser.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "quire/common/fields.h"

namespace quire::index {
namespace {

// A query split at spaces; a quoted phrase is one lexeme, also inside a filter (vendor:"a b").
struct Lexeme {
  std::string text;  // without the leading '-', and for a phrase without its quotes
  size_t offset = 0;
  bool negated = false;
  bool phrase = false;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  Result<Query> Parse() {
    std::vector<Lexeme> lexemes;
    QUIRE_RETURN_IF_ERROR(Lex(lexemes));
    Query query;
    for (size_t i = 0; i < lexemes.size(); ++i) {
      const Lexeme& lex = lexemes[i];
      if (IsOr(lex)) {
        QUIRE_RETURN_IF_ERROR(CheckOr(lexemes, i, query));
        continue;
      }
      if (!lex.negated && !lex.phrase && lex.text.starts_with("sort:")) {
        QUIRE_RETURN_IF_ERROR(ParseSort(lex, query));
        continue;
      }
      Result<QueryItem> item = ParseItem(lex);
      if (!item.ok()) return item.status();
      if (i > 0 && IsOr(lexemes[i - 1])) {
        query.clauses.back().any_of.push_back(std::move(*item));
      } else {
        query.clauses.push_back(QueryClause{lex.negated, {std::move(*item)}});
      }
    }
    if (query.clauses.empty()) {
      return Status::InvalidArgument("the query is empty: give words to search for or a filter");
    }
    return query;
  }

 private:
  static bool IsOr(const Lexeme& lex) { return !lex.negated && !lex.phrase && lex.text == "OR"; }

  // 1-based, in characters (UTF-8 continuation bytes do not count).
  int Column(size_t offset) const {
    int column = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xc0) != 0x80) ++column;
    }
    return column;
  }

  Status Error(const std::string& what, size_t offset, const std::string& hint = "") const {
    std::string message = what + " at column " + std::to_string(Column(offset));
    if (!hint.empty()) message += ": " + hint;
    return Status::InvalidArgument(message);
  }

  Status Lex(std::vector<Lexeme>& lexemes) const {
    size_t i = 0;
    while (i < text_.size()) {
      if (IsSpace(text_[i])) {
        ++i;
        continue;
      }
      Lexeme lex;
      lex.offset = i;
      if (text_[i] == '-') {
        if (i + 1 == text_.size() || IsSpace(text_[i + 1])) {
          return Error("'-' must be followed by the word to exclude", i);
        }
        lex.negated = true;
        ++i;
      }
      if (text_[i] == '"') {
        const size_t close = text_.find('"', i + 1);
        if (close == std::string::npos) return Error("unclosed quote", i);
        lex.phrase = true;
        lex.text = text_.substr(i + 1, close - i - 1);
        i = close + 1;
        if (i < text_.size() && !IsSpace(text_[i])) {
          return Error("a closing quote must be followed by a space", close);
        }
      } else {
        const size_t start = i;
        while (i < text_.size() && !IsSpace(text_[i])) {
          if (text_[i] == '"') {  // a quoted filter value: vendor:"acme corp"
            const size_t close = text_.find('"', i + 1);
            if (close == std::string::npos) return Error("unclosed quote", i);
            i = close;
          }
          ++i;
        }
        lex.text = text_.substr(start, i - start);
      }
      lexemes.push_back(std::move(lex));
    }
    return Status::Ok();
  }

  Status CheckOr(const std::vector<Lexeme>& lexemes, size_t i, const Query& query) const {
    const bool after_term = i > 0 && !IsOr(lexemes[i - 1]) && !query.clauses.empty();
    const bool before_term = i + 1 < lexemes.size() && !IsOr(lexemes[i + 1]);
    if (!after_term || !before_term) {
      return Error("OR needs a term on both sides", lexemes[i].offset);
    }
    if (query.clauses.back().negated || lexemes[i + 1].negated) {
      return Error("OR cannot join an excluded term", lexemes[i].offset,
                   "write the exclusion as its own term");
    }
    return Status::Ok();
  }

  Status ParseSort(const Lexeme& lex, Query& query) const {
    const std::string order = lex.text.substr(5);
    if (order == "relevance") {
      query.sort = SortOrder::kRelevance;
    } else if (order == "date" || order == "newest") {
      query.sort = SortOrder::kDateNewest;
    } else if (order == "oldest") {
      query.sort = SortOrder::kDateOldest;
    } else {
      return Error("unknown sort order '" + order + "'", lex.offset,
                   "use sort:relevance, sort:date (newest first) or sort:oldest");
    }
    return Status::Ok();
  }

  Result<QueryItem> ParseItem(const Lexeme& lex) const {
    QueryItem item;
    item.column = Column(lex.offset);
    item.text = lex.text;
    if (lex.phrase) {
      if (lex.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        return Error("empty phrase", lex.offset);
      }
      item.kind = ItemKind::kPhrase;
      return item;
    }
    const size_t colon = lex.text.find(':');
    if (colon != std::string::npos && colon > 0) {
      if (const FilterField* filter = FindFilter(lex.text.substr(0, colon))) {
        return ParseFilter(lex, *filter, lex.text.substr(colon + 1), std::move(item));
      }
    }
    if (lex.text.size() > 1 && lex.text.back() == '*') {
      item.kind = ItemKind::kPrefix;
      item.text.pop_back();
    } else if (const size_t tilde = lex.text.rfind('~'); tilde != std::string::npos && tilde > 0) {
      const std::string edits = lex.text.substr(tilde + 1);
      if (edits != "" && edits != "1" && edits != "2") {
        return Error("fuzzy '~" + edits + "' allows 1 or 2 edits", lex.offset,
                     "write word~, word~1 or word~2");
      }
      item.kind = ItemKind::kFuzzy;
      item.max_edits = edits.empty() ? 0 : edits[0] - '0';
      item.text.resize(tilde);
    }
    return item;
  }

  Result<QueryItem> ParseFilter(const Lexeme& lex, const FilterField& filter, std::string value,
                                QueryItem item) const {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    const std::string name(filter.name);
    if (value.empty()) return Error(name + ": needs a value", lex.offset);
    item.filter = &filter;
    item.text = value;
    switch (filter.kind) {
      case FilterKind::kType:
        std::transform(value.begin(), value.end(), value.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        item.text = value;
        if (std::string(DocumentTypeName(ParseDocumentType(value))) != value) {
          return Error("unknown document type '" + value + "'", lex.offset,
                       "use type:invoice, receipt, form, letter or other");
        }
        item.kind = ItemKind::kFilter;
        return item;
      case FilterKind::kWords:
      case FilterKind::kTag:
        item.kind = ItemKind::kFilter;
        return item;
      case FilterKind::kDate:
      case FilterKind::kAmount: {
        item.kind = ItemKind::kRange;
        Result<ValueRange> range = ParseRange(filter, value, lex.offset);
        if (!range.ok()) return range.status();
        item.range = std::move(*range);
        return item;
      }
    }
    return item;
  }

  // value, >value, >=value, <value, <=value, low..high (either end may be left out).
  Result<ValueRange> ParseRange(const FilterField& filter, const std::string& value,
                                size_t offset) const {
    const std::string hint = filter.kind == FilterKind::kDate
                                 ? "use a date like 2024-03-15, 2024-03 or 2024, a range like "
                                   "2024-01-01..2024-03-31, or >2024-01"
                                 : "use an amount like 2000 or 120.50, a range like 100..500, "
                                   "or >2000";
    const std::string name(filter.name);
    auto interval = [&](const std::string& text) -> Result<ValueRange> {
      std::optional<ValueRange> range = ValueInterval(filter.kind, text);
      if (!range) return Error("'" + text + "' is not a valid " + name, offset, hint);
      return *range;
    };
    ValueRange range;
    const size_t dots = value.find("..");
    const std::string_view op =
        value.starts_with(">=") || value.starts_with("<=") ? std::string_view(value).substr(0, 2)
        : value.starts_with('>') || value.starts_with('<') ? std::string_view(value).substr(0, 1)
                                                           : std::string_view();
    if (!op.empty()) {
      Result<ValueRange> v = interval(value.substr(op.size()));
      if (!v.ok()) return v.status();
      if (op == ">") range.lower = v->upper;
      if (op == ">=") range.lower = v->lower;
      if (op == "<") range.upper = v->lower;
      if (op == "<=") range.upper = v->upper;
    } else if (dots != std::string::npos) {
      const std::string low = value.substr(0, dots);
      const std::string high = value.substr(dots + 2);
      if (low.empty() && high.empty()) return Error("'..' needs at least one end", offset, hint);
      if (!low.empty()) {
        Result<ValueRange> v = interval(low);
        if (!v.ok()) return v.status();
        range.lower = v->lower;
      }
      if (!high.empty()) {
        Result<ValueRange> v = interval(high);
        if (!v.ok()) return v.status();
        range.upper = v->upper;
      }
      if (!range.upper.empty() && range.lower >= range.upper) {
        return Error("the range " + value + " is empty", offset, "write the lower end first");
      }
    } else {
      return interval(value);
    }
    return range;
  }

  const std::string& text_;
};

}  // namespace

Result<Query> ParseQuery(const std::string& text) { return Parser(text).Parse(); }

std::optional<Query> AnyWordOf(const Query& query) {
  const auto is_word = [](const QueryItem& item) {
    return item.kind != ItemKind::kFilter && item.kind != ItemKind::kRange;
  };
  Query relaxed{{}, query.sort};
  QueryClause any_word;
  int word_clauses = 0;
  for (const QueryClause& clause : query.clauses) {
    if (clause.negated || !std::all_of(clause.any_of.begin(), clause.any_of.end(), is_word)) {
      relaxed.clauses.push_back(clause);
      continue;
    }
    ++word_clauses;
    any_word.any_of.insert(any_word.any_of.end(), clause.any_of.begin(), clause.any_of.end());
  }
  if (word_clauses < 2) return std::nullopt;
  relaxed.clauses.push_back(std::move(any_word));
  return relaxed;
}

}  // namespace quire::index
