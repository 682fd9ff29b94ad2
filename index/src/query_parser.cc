#include "query_parser.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "quire/common/fields.h"

namespace quire::index {
namespace {

enum class LexKind { kTerm, kOpen, kClose, kAnd, kOr, kNot };

// A query split at spaces and parentheses; a quoted phrase is one lexeme, also inside a filter
// (vendor:"a b"), and so is a bracketed range (date:[2024 to 2025]).
struct Lexeme {
  LexKind kind = LexKind::kTerm;
  std::string text;  // without the leading '-', and for a phrase without its quotes
  size_t offset = 0;
  bool negated = false;  // '-' before a term or a '('
  bool phrase = false;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char AsciiLower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string AsciiLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](char c) { return AsciiLower(c); });
  return s;
}

// A field name as people write one: letters and underscores ("correspondent", "document_type").
bool IsFieldName(std::string_view name) {
  return name.size() >= 2 && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
         });
}

// Paperless-ngx's search fields (its Whoosh index) that users bring along, and what quire
// understands instead.
struct ForeignField {
  std::string_view name;
  std::string_view quire_field;  // the quire filter meaning the same; empty when there is none
  std::string_view hint;         // when there is none: what to write
};

constexpr ForeignField kForeignFields[] = {
    {"correspondent", "vendor", ""},
    {"tags", "tag", ""},
    {"created", "date", ""},
    {"added", "",
     "quire filters by the document's own date (date:2024-03), not by when it was added"},
    {"modified", "",
     "quire filters by the document's own date (date:2024-03), not by when it changed"},
    {"content", "", "plain words search the text: leave out content:"},
    {"title", "",
     "plain words search the text and the fields; vendor: and number: the title's parts"},
};

const ForeignField* FindForeignField(std::string_view name) {
  const std::string lower = AsciiLower(std::string(name));
  for (const ForeignField& field : kForeignFields) {
    if (field.name == lower) return &field;
  }
  return nullptr;
}

// Whoosh's range "[low to high]" (also "{...}", either end "*", "now" or left out) as quire's
// "low..high"; nullopt when `value` is no such range.
std::optional<std::string> WhooshRange(const std::string& value) {
  if (value.size() < 2 || (value.front() != '[' && value.front() != '{') ||
      (value.back() != ']' && value.back() != '}')) {
    return std::nullopt;
  }
  const std::string inner = " " + value.substr(1, value.size() - 2) + " ";
  const size_t to = AsciiLower(inner).find(" to ");
  if (to == std::string::npos) return std::nullopt;
  const auto end = [](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s == "*" || AsciiLower(s) == "now" ? "" : s;
  };
  return end(inner.substr(0, to)) + ".." + end(inner.substr(to + 4));
}

std::string KnownFields() {
  std::string names;
  for (const FilterField& field : FilterFields()) names += std::string(field.name) + ":, ";
  return names + "sort:";
}

QueryNode Not(QueryNode child) {
  if (child.kind == NodeKind::kNot) return std::move(child.children.front());
  QueryNode node;
  node.kind = NodeKind::kNot;
  node.children.push_back(std::move(child));
  return node;
}

QueryNode Join(NodeKind kind, std::vector<QueryNode> children, bool implicit = false) {
  if (children.size() == 1) return std::move(children.front());
  QueryNode node;
  node.kind = kind;
  node.children = std::move(children);
  node.implicit = implicit;
  return node;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  Result<Query> Parse() {
    QUIRE_RETURN_IF_ERROR(Lex());
    if (lexemes_.empty()) {
      return Status::InvalidArgument("the query is empty: give words to search for or a filter");
    }
    QUIRE_ASSIGN_OR_RETURN(QueryNode root, ParseOr());
    if (pos_ < lexemes_.size()) {  // ParseOr stops only at the end or at a ')'
      return Error("')' without a matching '('", lexemes_[pos_].offset);
    }
    query_.root = std::move(root);
    return std::move(query_);
  }

 private:
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

  // The index of the quote or bracket closing the one at `open`, or npos.
  size_t Closing(size_t open) const {
    if (text_[open] == '"') return text_.find('"', open + 1);
    return text_.find_first_of("]}", open + 1);
  }

  Status Lex() {
    size_t i = 0;
    while (i < text_.size()) {
      if (IsSpace(text_[i])) {
        ++i;
        continue;
      }
      Lexeme lex;
      lex.offset = i;
      if (text_[i] == ')') {
        lex.kind = LexKind::kClose;
        lexemes_.push_back(std::move(lex));
        ++i;
        continue;
      }
      if (text_[i] == '-') {
        if (i + 1 == text_.size() || IsSpace(text_[i + 1]) || text_[i + 1] == ')') {
          return Error("'-' must be followed by the word to exclude", i);
        }
        lex.negated = true;
        ++i;
      }
      if (text_[i] == '(') {
        lex.kind = LexKind::kOpen;
        lexemes_.push_back(std::move(lex));
        ++i;
        continue;
      }
      if (text_[i] == '"') {
        const size_t close = Closing(i);
        if (close == std::string::npos) return Error("unclosed quote", i);
        lex.phrase = true;
        lex.text = text_.substr(i + 1, close - i - 1);
        i = close + 1;
        if (i < text_.size() && !IsSpace(text_[i]) && text_[i] != ')') {
          return Error("a closing quote must be followed by a space", close);
        }
        lexemes_.push_back(std::move(lex));
        continue;
      }
      QUIRE_RETURN_IF_ERROR(LexWord(i, std::move(lex)));
    }
    return Status::Ok();
  }

  // A word from text_[i] to the next space. Closing parentheses at its end close groups, unless
  // the word opened them itself ("(12345-X)" is a word, as printed on receipts).
  Status LexWord(size_t& i, Lexeme lex) {
    const size_t start = i;
    int opened = 0;
    int closed = 0;
    while (i < text_.size() && !IsSpace(text_[i])) {
      const bool quoted_value = text_[i] == '"';  // vendor:"acme corp"
      const bool range_value = (text_[i] == '[' || text_[i] == '{') && i > start &&
                               text_[i - 1] == ':';  // date:[2024 to 2025]
      if (quoted_value || range_value) {
        const size_t close = Closing(i);
        if (close == std::string::npos) {
          return Error(quoted_value ? "unclosed quote" : "unclosed '['", i);
        }
        i = close;
      }
      opened += text_[i] == '(';
      closed += text_[i] == ')';
      ++i;
    }
    size_t end = i;
    std::vector<size_t> closers;
    while (closed > opened && end > start + 1 && text_[end - 1] == ')') {
      closers.push_back(--end);
      --closed;
    }
    lex.text = text_.substr(start, end - start);
    if (!lex.negated && lex.text == "AND") lex.kind = LexKind::kAnd;
    if (!lex.negated && lex.text == "OR") lex.kind = LexKind::kOr;
    if (!lex.negated && lex.text == "NOT") lex.kind = LexKind::kNot;
    if (lex.kind == LexKind::kTerm && !lex.negated && lex.text.starts_with("sort:")) {
      QUIRE_RETURN_IF_ERROR(ParseSort(lex));
    } else {
      lexemes_.push_back(std::move(lex));
    }
    for (auto it = closers.rbegin(); it != closers.rend(); ++it) {
      lexemes_.push_back(Lexeme{LexKind::kClose, ")", *it});
    }
    return Status::Ok();
  }

  bool At(LexKind kind) const { return pos_ < lexemes_.size() && lexemes_[pos_].kind == kind; }

  // After the operator at `op`: the term it needs must follow.
  Status CheckOperand(size_t op) const {
    if (pos_ < lexemes_.size() && !At(LexKind::kClose) && !At(LexKind::kOr) && !At(LexKind::kAnd)) {
      return Status::Ok();
    }
    const Lexeme& lex = lexemes_[op];
    if (lex.kind == LexKind::kNot) return Error("NOT needs a term after it", lex.offset);
    return Error(lex.text + " needs a term on both sides", lex.offset);
  }

  // or := and ("OR" and)*
  Result<QueryNode> ParseOr() {
    if (At(LexKind::kOr) || At(LexKind::kAnd)) {
      return Error(lexemes_[pos_].text + " needs a term on both sides", lexemes_[pos_].offset);
    }
    if (At(LexKind::kClose)) return Error("')' without a matching '('", lexemes_[pos_].offset);
    std::vector<QueryNode> any_of;
    for (;;) {
      QUIRE_ASSIGN_OR_RETURN(QueryNode term, ParseAnd());
      any_of.push_back(std::move(term));
      if (!At(LexKind::kOr)) break;
      QUIRE_RETURN_IF_ERROR(CheckOperand(pos_++));
    }
    return Join(NodeKind::kOr, std::move(any_of));
  }

  // and := unary (["AND"] unary)*
  Result<QueryNode> ParseAnd() {
    std::vector<QueryNode> all_of;
    bool implicit = true;
    for (;;) {
      QUIRE_ASSIGN_OR_RETURN(QueryNode term, ParseUnary());
      all_of.push_back(std::move(term));
      if (pos_ == lexemes_.size() || At(LexKind::kClose) || At(LexKind::kOr)) break;
      if (At(LexKind::kAnd)) {
        implicit = false;
        QUIRE_RETURN_IF_ERROR(CheckOperand(pos_++));
      }
    }
    return Join(NodeKind::kAnd, std::move(all_of), implicit);
  }

  // unary := ("NOT" | "-") unary | "(" or ")" | item
  Result<QueryNode> ParseUnary() {
    const Lexeme& lex = lexemes_[pos_];
    if (lex.kind == LexKind::kNot) {
      QUIRE_RETURN_IF_ERROR(CheckOperand(pos_++));
      QUIRE_ASSIGN_OR_RETURN(QueryNode child, ParseUnary());
      return Not(std::move(child));
    }
    if (lex.kind == LexKind::kOpen) {
      if (++depth_ > kMaxQueryDepth) {
        return Error("parentheses nested more than " + std::to_string(kMaxQueryDepth) + " deep",
                     lex.offset);
      }
      ++pos_;
      if (pos_ == lexemes_.size()) return Error("unclosed parenthesis", lex.offset);
      if (At(LexKind::kClose)) return Error("empty parentheses", lex.offset);
      QUIRE_ASSIGN_OR_RETURN(QueryNode group, ParseOr());
      if (!At(LexKind::kClose)) return Error("unclosed parenthesis", lex.offset);
      ++pos_;
      --depth_;
      return lex.negated ? Not(std::move(group)) : std::move(group);
    }
    QUIRE_ASSIGN_OR_RETURN(QueryItem item, ParseItem(lex));
    ++pos_;
    QueryNode node;
    node.item = std::move(item);
    return lex.negated ? Not(std::move(node)) : node;
  }

  Status ParseSort(const Lexeme& lex) {
    const std::string order = lex.text.substr(5);
    if (order == "relevance") {
      query_.sort = SortOrder::kRelevance;
    } else if (order == "date" || order == "newest") {
      query_.sort = SortOrder::kDateNewest;
    } else if (order == "oldest") {
      query_.sort = SortOrder::kDateOldest;
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
      const std::string name = lex.text.substr(0, colon);
      const std::string value = lex.text.substr(colon + 1);
      if (const FilterField* filter = FindFilter(name)) {
        return ParseFilter(lex, *filter, value, std::move(item));
      }
      // "10:30", "Invoice:" and "https://..." are words; "foo:bar" is a field quire does not know.
      if (IsFieldName(name) && !value.empty() && !value.starts_with("//")) {
        return UnknownField(lex, name, value);
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

  // Refuses a field quire does not know, naming the quire form of a Paperless-ngx field.
  Status UnknownField(const Lexeme& lex, const std::string& name, const std::string& value) const {
    const ForeignField* foreign = FindForeignField(name);
    if (foreign == nullptr) {
      return Error("unknown field '" + name + "'", lex.offset,
                   "the fields are " + KnownFields() + "; to search for the text, quote it: \"" +
                       lex.text + "\"");
    }
    const std::string what = name + ": is Paperless-ngx's field";
    if (foreign->quire_field.empty()) return Error(what, lex.offset, std::string(foreign->hint));
    const FilterField& filter = *FindFilter(foreign->quire_field);
    std::string quire_value = value;
    if (filter.kind == FilterKind::kDate) {
      quire_value = WhooshRange(value).value_or(value);
      if (!ParseRange(filter, quire_value, lex.offset).ok()) {
        return Error(what, lex.offset,
                     "in quire write date:2024-03-15, date:2024-03, date:2024 or a range like "
                     "date:2024-01-01..2024-03-31");
      }
    }
    return Error(what, lex.offset,
                 "in quire write " + std::string(filter.name) + ":" + quire_value);
  }

  Result<QueryItem> ParseFilter(const Lexeme& lex, const FilterField& filter, std::string value,
                                QueryItem item) const {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (filter.kind == FilterKind::kDate || filter.kind == FilterKind::kAmount) {
      value = WhooshRange(value).value_or(value);
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
      case FilterKind::kReview:
        std::transform(value.begin(), value.end(), value.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (value != ReviewValue(true) && value != ReviewValue(false)) {
          return Error("review: takes yes or no, not '" + value + "'", lex.offset,
                       "use review:yes for documents awaiting review, review:no for the others");
        }
        item.text = value;
        item.kind = ItemKind::kFilter;
        return item;
      case FilterKind::kWords:
      case FilterKind::kTag:
      case FilterKind::kBarcode: item.kind = ItemKind::kFilter; return item;
      case FilterKind::kDate:
      case FilterKind::kAmount: {
        item.kind = ItemKind::kRange;
        QUIRE_ASSIGN_OR_RETURN(ValueRange range, ParseRange(filter, value, lex.offset));
        item.range = std::move(range);
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
                             : filter.name == "asn"
                                 ? "use a serial number like 42, or a range like 100..199"
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
      QUIRE_ASSIGN_OR_RETURN(ValueRange v, interval(value.substr(op.size())));
      if (op == ">") range.lower = v.upper;
      if (op == ">=") range.lower = v.lower;
      if (op == "<") range.upper = v.lower;
      if (op == "<=") range.upper = v.upper;
    } else if (dots != std::string::npos) {
      const std::string low = value.substr(0, dots);
      const std::string high = value.substr(dots + 2);
      if (low.empty() && high.empty()) return Error("'..' needs at least one end", offset, hint);
      if (!low.empty()) {
        QUIRE_ASSIGN_OR_RETURN(ValueRange v, interval(low));
        range.lower = v.lower;
      }
      if (!high.empty()) {
        QUIRE_ASSIGN_OR_RETURN(ValueRange v, interval(high));
        range.upper = v.upper;
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
  std::vector<Lexeme> lexemes_;
  size_t pos_ = 0;  // the next lexeme to parse
  int depth_ = 0;   // parentheses open around it
  Query query_;
};

// A term of the words side by side that a relaxed query joins by OR: no filter, range or
// exclusion anywhere inside it.
bool IsWordTerm(const QueryNode& node) {
  if (node.kind == NodeKind::kNot) return false;
  if (node.kind == NodeKind::kItem) {
    return node.item.kind != ItemKind::kFilter && node.item.kind != ItemKind::kRange;
  }
  return std::all_of(node.children.begin(), node.children.end(), IsWordTerm);
}

}  // namespace

Result<Query> ParseQuery(const std::string& text) { return Parser(text).Parse(); }

std::optional<Query> RelaxedQuery(const Query& query) {
  if (query.root.kind != NodeKind::kAnd || !query.root.implicit) return std::nullopt;
  std::vector<QueryNode> kept;
  std::vector<QueryNode> words;
  for (const QueryNode& child : query.root.children) {
    (IsWordTerm(child) ? words : kept).push_back(child);
  }
  if (words.size() < 2) return std::nullopt;
  kept.push_back(Join(NodeKind::kOr, std::move(words)));
  return Query{Join(NodeKind::kAnd, std::move(kept)), query.sort};
}

}  // namespace quire::index
