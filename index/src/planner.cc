#include "planner.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <optional>
#include <set>

#include "filter_fields.h"
#include "spelling.h"

namespace quire::index {
namespace {

using store::IndexColumn;

// Counts are read through an iterator over kTermStats, not by point reads: in a 300k-document
// bench archive a point read re-read blocks from the file nearly every time (likely the Bloom
// filter of the column's big file, which holds the spelling keys; an iterator never reads it),
// and the counts took half of a search's time; through one iterator they take about 1%.
Result<int64_t> ReadCount(store::KvIterator& stats, std::string_view key) {
  stats.Seek(key);
  QUIRE_RETURN_IF_ERROR(stats.status());
  if (!stats.Valid() || stats.key() != key) return int64_t{0};
  return DecodeCount(stats.value());
}

// A term that a fuzzy or prefix word expands to.
struct Expansion {
  std::string term;
  int64_t frequency;
  int cost = 0;  // a fuzzy word's edits to the term, in half edits (BoundedEditCost)
};

// Characters OCR reads for one another, folded: 0/o, 1/l/i, 5/s, 8/b.
bool Confused(char32_t a, char32_t b) {
  static constexpr std::pair<char32_t, char32_t> kPairs[] = {{'0', 'o'}, {'1', 'l'}, {'1', 'i'},
                                                             {'i', 'l'}, {'5', 's'}, {'8', 'b'}};
  for (const auto& [x, y] : kPairs) {
    if ((a == x && b == y) || (a == y && b == x)) return true;
  }
  return false;
}

// Edit costs between a fixed word and a term read one code point at a time: row i of Wagner &
// Fischer's table (1974), the costs from the term's first i code points to each prefix of the
// word. With confusions, a substitution of confused characters costs kConfusionCost, and so does
// "m" read as "rn" or "rn" as "m" (from the row before the last). A row is built from the two
// before it: when both minimums exceed the bound, so does every later row, and no term starting
// with those code points can match.
class EditRows {
 public:
  EditRows(std::u32string word, bool confusions)
      : word_(std::move(word)),
        confusions_(confusions),
        row_(word_.size() + 1),
        before_(word_.size() + 1, kFar) {
    for (size_t j = 0; j < row_.size(); ++j) row_[j] = static_cast<int>(j) * kEditCost;
  }

  void Push(char32_t c) {
    next_.resize(row_.size());
    next_[0] = row_[0] + kEditCost;
    for (size_t j = 1; j < row_.size(); ++j) {
      const char32_t w = word_[j - 1];
      const int substitution = w == c                          ? 0
                               : confusions_ && Confused(w, c) ? kConfusionCost
                                                               : kEditCost;
      int cost =
          std::min({row_[j] + kEditCost, next_[j - 1] + kEditCost, row_[j - 1] + substitution});
      if (confusions_ && c == 'n' && last_ == 'r' && w == 'm') {
        cost = std::min(cost, before_[j - 1] + kConfusionCost);
      }
      if (confusions_ && c == 'm' && j >= 2 && word_[j - 2] == 'r' && w == 'n') {
        cost = std::min(cost, row_[j - 2] + kConfusionCost);
      }
      next_[j] = cost;
    }
    before_.swap(row_);
    row_.swap(next_);
    last_ = c;
  }
  int RowMin() const {
    return std::min(*std::min_element(row_.begin(), row_.end()),
                    *std::min_element(before_.begin(), before_.end()));
  }
  int Cost() const { return row_.back(); }

 private:
  static constexpr int kFar = 1 << 20;  // the row before the first

  std::u32string word_;
  bool confusions_;
  std::vector<int> row_, before_, next_;
  char32_t last_ = 0;  // the code point pushed last
};

// The length in bytes of the shortest prefix of `term` that costs more than `max_cost` from every
// prefix of `word` (so no term starting with it is within reach), or 0 when there is none.
size_t DeadPrefix(const std::u32string& word, std::string_view term, int max_cost) {
  EditRows rows(word, /*confusions=*/true);
  const int32_t n = static_cast<int32_t>(term.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(term.data(), i, n, c);
    rows.Push(static_cast<char32_t>(c));
    if (rows.RowMin() > max_cost) return static_cast<size_t>(i);
  }
  return 0;
}

// The code points whose edits to `word` cost differently: the word's own, those confused with
// them, and "r", "n" and "m" where the word has "m" or "rn". Every other code point costs alike.
std::u32string Alphabet(const std::u32string& word) {
  std::u32string alphabet = word;
  for (char32_t c : std::u32string(U"0158bilos")) {
    for (char32_t w : word) {
      if (Confused(c, w)) alphabet.push_back(c);
    }
  }
  if (word.find('m') != std::u32string::npos) alphabet += U"rn";
  if (word.find(U"rn") != std::u32string::npos) alphabet += U"m";
  std::sort(alphabet.begin(), alphabet.end());
  alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
  return alphabet;
}

// The smallest code point after `c` outside `alphabet`, or nullopt past Unicode's end.
std::optional<char32_t> NextOutside(const std::u32string& alphabet, char32_t c) {
  for (++c; c <= 0x10ffff; ++c) {
    if (c >= 0xd800 && c <= 0xdfff) c = 0xe000;  // surrogates are no code points of UTF-8
    if (alphabet.find(c) == std::u32string::npos) return c;
  }
  return std::nullopt;
}

// The smallest string after every string starting with `dead` (a prefix costing more than
// `max_cost` from every prefix of `word`) that starts with a live prefix, or nullopt when there is
// none: where a fuzzy walk of the sorted dictionary seeks next (a Levenshtein automaton's "next
// valid string"), so that it skips whole runs of dead prefixes with one seek. Every code point
// outside the word's alphabet moves the edit costs alike, so only the alphabet and the first
// outside code point need trying at each position.
std::optional<std::string> NextLivePrefix(const std::u32string& word, const std::u32string& dead,
                                          int max_cost) {
  const std::u32string alphabet = Alphabet(word);
  for (size_t i = dead.size(); i-- > 0;) {
    EditRows rows(word, /*confusions=*/true);
    for (size_t j = 0; j < i; ++j) rows.Push(dead[j]);
    std::vector<char32_t> candidates;
    for (char32_t c : alphabet) {
      if (c > dead[i]) candidates.push_back(c);
    }
    if (std::optional<char32_t> outside = NextOutside(alphabet, dead[i])) {
      candidates.push_back(*outside);
    }
    std::sort(candidates.begin(), candidates.end());
    for (char32_t c : candidates) {
      EditRows next = rows;
      next.Push(c);
      if (next.RowMin() > max_cost) continue;
      std::string live;
      for (size_t j = 0; j < i; ++j) AppendUtf8(live, dead[j]);
      AppendUtf8(live, c);
      return live;
    }
  }
  return std::nullopt;
}

// The cost of reading `term` for the fuzzy word `word` (BoundedEditCost), or nullopt when it is
// out of reach: more than max_edits edits with confusions at their cost, or more than
// kSpellingEdits edits of any kind (what the spelling index reaches).
std::optional<int> FuzzyCost(std::string_view term, std::string_view word, int max_edits) {
  const int budget = kEditCost * max_edits;
  const int cost = BoundedEditCost(term, word, budget);
  if (cost > budget) return std::nullopt;
  const int plain_budget = kEditCost * kSpellingEdits;
  if (BoundedEditCost(term, word, plain_budget, /*confusions=*/false) > plain_budget) {
    return std::nullopt;
  }
  return cost;
}

// Moves `it` to the first key >= target. The next live prefix of a fuzzy walk is often a few
// keys on, and a step is much cheaper than a seek.
void MoveTo(store::KvIterator& it, const std::string& target) {
  constexpr int kSteps = 4;
  for (int i = 0; i < kSteps && it.Valid() && it.key() < target; ++i) it.Next();
  if (it.Valid() && it.key() < target) it.Seek(target);
}

// The terms of the kMaxExpansions best candidates: the nearest to a fuzzy word, then the most
// frequent, so that a misread's own word is never crowded out by frequent words two edits away.
std::vector<std::string> Best(std::vector<Expansion> candidates) {
  const size_t keep = std::min(candidates.size(), kMaxExpansions);
  std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end(),
                    [](const Expansion& a, const Expansion& b) {
                      return a.cost != b.cost ? a.cost < b.cost : a.frequency > b.frequency;
                    });
  std::vector<std::string> terms;
  for (size_t i = 0; i < keep; ++i) terms.push_back(std::move(candidates[i].term));
  return terms;
}

}  // namespace

Result<CorpusStats> ReadCorpusStats(store::Archive& archive) {
  const std::unique_ptr<store::KvIterator> stats =
      archive.NewIndexIterator(IndexColumn::kTermStats);
  QUIRE_ASSIGN_OR_RETURN(int64_t documents, ReadCount(*stats, kDocumentCountKey));
  QUIRE_ASSIGN_OR_RETURN(int64_t total_length, ReadCount(*stats, kTotalLengthKey));
  return CorpusStats{documents, total_length};
}

int DefaultMaxEdits(std::string_view folded_word) {
  return CodePoints(folded_word).size() <= 5 ? 1 : 2;
}

int BoundedEditCost(std::string_view a, std::string_view b, int max_cost, bool confusions) {
  EditRows rows(CodePoints(b), confusions);
  for (char32_t c : CodePoints(a)) {
    rows.Push(c);
    if (rows.RowMin() > max_cost) return max_cost + 1;
  }
  return std::min(rows.Cost(), max_cost + 1);
}

Result<std::unique_ptr<DocMatcher>> QueryPlanner::Plan(const Query& query) {
  MatcherResult root = PlanNode(query.root);
  if (!root.ok()) return root.status();
  if (*root == nullptr) {
    return Status::InvalidArgument(
        "the query has nothing to search for: give a word or a filter (punctuation is not "
        "indexed)");
  }
  return root;
}

// A NOT inside an AND excludes from the AND's other terms; anywhere else, and in an AND of
// exclusions only, it excludes from every document.
QueryPlanner::MatcherResult QueryPlanner::PlanNode(const QueryNode& node) {
  if (node.kind == NodeKind::kItem) return PlanItem(node.item);
  if (node.kind == NodeKind::kNot) return Excluding(nullptr, node.children);
  MatcherResult matcher = PlanTerms(node);
  if (!matcher.ok() || node.kind == NodeKind::kOr) return matcher;
  return WithJoinedReadings(node, std::move(*matcher));
}

QueryPlanner::MatcherResult QueryPlanner::PlanTerms(const QueryNode& node) {
  std::vector<std::unique_ptr<DocMatcher>> terms;
  std::vector<QueryNode> excluded;
  for (const QueryNode& child : node.children) {
    if (node.kind == NodeKind::kAnd && child.kind == NodeKind::kNot) {
      excluded.push_back(child.children.front());
      continue;
    }
    MatcherResult matcher = PlanNode(child);
    if (!matcher.ok()) return matcher.status();
    if (*matcher != nullptr) terms.push_back(std::move(*matcher));
  }
  std::unique_ptr<DocMatcher> matcher;
  if (!terms.empty()) {
    matcher = node.kind == NodeKind::kAnd ? MakeAnd(std::move(terms)) : MakeOr(std::move(terms));
  }
  if (excluded.empty()) return matcher;
  return Excluding(std::move(matcher), excluded);
}

// OCR joins words the print sets close ("SUBTOTAL" for "SUB TOTAL", "ORINGKANCIL"): an AND with
// two fuzzy words side by side also matches the documents holding the two as one fuzzy word, with
// its other terms. `matcher` is the AND as written.
QueryPlanner::MatcherResult QueryPlanner::WithJoinedReadings(const QueryNode& node,
                                                             std::unique_ptr<DocMatcher> matcher) {
  const auto fuzzy = [](const QueryNode& child) {
    return child.kind == NodeKind::kItem && child.item.kind == ItemKind::kFuzzy;
  };
  std::vector<std::unique_ptr<DocMatcher>> readings;
  for (size_t i = 0; i + 1 < node.children.size(); ++i) {
    if (!fuzzy(node.children[i]) || !fuzzy(node.children[i + 1])) continue;
    QueryNode joined = node;
    QueryItem& word = joined.children[i].item;
    word.text += node.children[i + 1].item.text;
    word.max_edits = 0;  // by the joined word's length
    joined.children.erase(joined.children.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    MatcherResult reading =
        joined.children.size() == 1 ? PlanItem(joined.children[0].item) : PlanTerms(joined);
    if (!reading.ok()) return reading.status();
    if (*reading != nullptr && (*reading)->Estimate() > 0) readings.push_back(std::move(*reading));
  }
  if (readings.empty()) return matcher;
  if (matcher != nullptr) readings.push_back(std::move(matcher));
  return MakeOr(std::move(readings));
}

// `required` (every document when null) without the documents any of `excluded` matches.
QueryPlanner::MatcherResult QueryPlanner::Excluding(std::unique_ptr<DocMatcher> required,
                                                    const std::vector<QueryNode>& excluded) {
  std::vector<std::unique_ptr<DocMatcher>> any_of;
  for (const QueryNode& node : excluded) {
    MatcherResult matcher = PlanNode(node);
    if (!matcher.ok()) return matcher.status();
    if (*matcher != nullptr) any_of.push_back(std::move(*matcher));
  }
  if (any_of.empty()) return required;
  if (required == nullptr) {
    required =
        MakeAllDocuments(archive_.NewIndexIterator(IndexColumn::kDocTerms), corpus_.documents);
  }
  return MakeAndNot(std::move(required), MakeOr(std::move(any_of)));
}

QueryPlanner::MatcherResult QueryPlanner::PlanItem(const QueryItem& item) {
  switch (item.kind) {
    case ItemKind::kWord: return PlanWord(item.text);
    case ItemKind::kPhrase: return PlanPhrase(item.text);
    case ItemKind::kPrefix:
    case ItemKind::kFuzzy: return PlanExpansion(item);
    case ItemKind::kFilter: return PlanFilter(item);
    case ItemKind::kRange: return PlanRange(item);
  }
  return Status::Internal("unknown query item kind");
}

// A word matches its own form, and any word with the same stem.
QueryPlanner::MatcherResult QueryPlanner::PlanWord(const std::string& text) {
  const WordPieces pieces = SplitWord(text);
  if (!pieces.parts.empty()) return PlanPhrase(text);  // a code: its parts at one word
  if (pieces.whole.empty()) return std::unique_ptr<DocMatcher>();
  std::vector<std::string> terms = {pieces.whole};
  if (IsLetters(pieces.whole)) {
    const std::string stem = tokenizer_.Stem(pieces.whole);
    // A document word that is its own stem has no stem term; it is found by its surface form.
    if (stem != pieces.whole) terms.push_back(stem);
    terms.push_back(kStemPrefix + stem);
  }
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<TermMatcher> matcher, Terms(terms));
  return std::unique_ptr<DocMatcher>(std::move(matcher));
}

QueryPlanner::MatcherResult QueryPlanner::PlanPhrase(const std::string& text) {
  std::vector<std::vector<std::unique_ptr<TermMatcher>>> slots;
  for (std::string_view word : SplitWhitespace(text)) {
    std::vector<std::unique_ptr<TermMatcher>> slot;
    for (const std::string& term : SlotTerms(word)) {
      QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<TermMatcher> matcher, Terms({term}));
      slot.push_back(std::move(matcher));
    }
    if (!slot.empty()) slots.push_back(std::move(slot));
  }
  if (slots.empty()) return std::unique_ptr<DocMatcher>();
  return MakePhrase(std::move(slots));
}

QueryPlanner::MatcherResult QueryPlanner::PlanFilter(const QueryItem& item) {
  std::vector<std::unique_ptr<DocMatcher>> all_of;
  for (std::string_view word : SplitWhitespace(item.text)) {
    // A tag is matched whole, as it is indexed (inverter.cc); other filters' words by their parts.
    const std::vector<std::string> terms = item.filter->kind == FilterKind::kTag
                                               ? std::vector<std::string>{SplitWord(word).whole}
                                               : SlotTerms(word);
    for (const std::string& term : terms) {
      if (term.empty()) continue;
      QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<TermMatcher> matcher,
                             Terms({FilterTerm(item.filter->name, term)}, Bm25Weight()));
      all_of.push_back(std::move(matcher));
    }
  }
  if (all_of.empty()) return std::unique_ptr<DocMatcher>();
  return MakeAnd(std::move(all_of));
}

QueryPlanner::MatcherResult QueryPlanner::PlanRange(const QueryItem& item) {
  const std::string prefix = RangeKeyPrefix(item.filter->name);
  const std::string lower = prefix + item.range.lower;
  const std::string upper = item.range.upper.empty() ? "" : prefix + item.range.upper;
  auto known = ranges_.find({lower, upper});
  if (known == ranges_.end()) {
    QUIRE_ASSIGN_OR_RETURN(std::vector<DocId> ids, RangeDocuments(prefix, lower, upper));
    known = ranges_.emplace(std::make_pair(lower, upper), std::move(ids)).first;
  }
  return MakeDocList(known->second);
}

// The documents whose keys lie in [lower, upper) (no upper bound when empty), in id order.
Result<std::vector<DocId>> QueryPlanner::RangeDocuments(const std::string& prefix,
                                                        const std::string& lower,
                                                        const std::string& upper) {
  std::vector<DocId> ids;
  std::unique_ptr<store::KvIterator> it = archive_.NewIndexIterator(IndexColumn::kPostings);
  for (it->Seek(lower); it->Valid(); it->Next()) {
    const std::string_view key = it->key();
    if (!key.starts_with(prefix) || (!upper.empty() && key >= upper)) break;
    if (key.size() < prefix.size() + 8) {
      return Status::Corruption("a range filter key of " + std::to_string(key.size()) +
                                " bytes is damaged; run quire verify");
    }
    ids.push_back(DecodeDocId(key.substr(key.size() - 8)));
  }
  QUIRE_RETURN_IF_ERROR(it->status());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The dictionary's terms for a prefix or fuzzy word (Expand), scored as one term. A fuzzy word is
// also found where OCR split it in two (SplitReadings).
QueryPlanner::MatcherResult QueryPlanner::PlanExpansion(const QueryItem& item) {
  const std::string word = SplitWord(item.text).whole;
  if (word.empty()) return std::unique_ptr<DocMatcher>();
  const auto key = std::make_tuple(item.kind, word, item.max_edits);
  auto cached = expansions_.find(key);
  if (cached == expansions_.end()) {
    QUIRE_ASSIGN_OR_RETURN(std::vector<std::string> terms, Expand(item, word));
    cached = expansions_.emplace(key, std::move(terms)).first;
  }
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<TermMatcher> matcher, Terms(cached->second));
  std::vector<std::unique_ptr<DocMatcher>> any_of;
  const int64_t word_documents = matcher->Estimate();
  any_of.push_back(std::move(matcher));
  if (item.kind == ItemKind::kFuzzy) {
    QUIRE_RETURN_IF_ERROR(SplitReadings(word, word_documents, any_of));
  }
  return MakeOr(std::move(any_of));
}

// OCR splits a word where the print spaces its letters ("TOT AL", "WHOL EMEAL"): each cut of the
// word into two terms the dictionary holds, of kMinSplitPiece code points or more, is a phrase.
// It scores as the word would, counting the documents it adds: pieces are often rarer than the
// word, and a misreading should not outrank the word read right.
Status QueryPlanner::SplitReadings(const std::string& word, int64_t word_documents,
                                   std::vector<std::unique_ptr<DocMatcher>>& any_of) {
  const std::u32string code_points = CodePoints(word);
  for (size_t cut = kMinSplitPiece; cut + kMinSplitPiece <= code_points.size(); ++cut) {
    std::string pieces[2];
    for (size_t i = 0; i < code_points.size(); ++i) {
      AppendUtf8(pieces[i < cut ? 0 : 1], code_points[i]);
    }
    int64_t documents = INT64_MAX;
    for (const std::string& piece : pieces) {
      QUIRE_ASSIGN_OR_RETURN(int64_t frequency, DocFrequency(piece));
      documents = std::min(documents, frequency);
    }
    if (documents == 0) continue;
    // The first piece carries the word's weight, the second only its place.
    const Bm25Weight weight(corpus_, std::min(corpus_.documents, word_documents + documents));
    std::vector<std::vector<std::unique_ptr<TermMatcher>>> slots(2);
    for (int i = 0; i < 2; ++i) {
      QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<TermMatcher> piece,
                             Terms({pieces[i]}, i == 0 ? weight : Bm25Weight()));
      slots[i].push_back(std::move(piece));
    }
    any_of.push_back(MakePhrase(std::move(slots)));
  }
  return Status::Ok();
}

// Prefix words walk the dictionary's terms with that prefix. Fuzzy words look up the spelling
// index when it holds every term they can match (spelling.h), else walk the dictionary, but skip
// with one seek from a term whose first code points are already too far from the word to the
// next prefix that is not (a Levenshtein automaton intersected with the sorted dictionary), so
// they read the terms near the word, not every term.
Result<std::vector<std::string>> QueryPlanner::Expand(const QueryItem& item,
                                                      const std::string& word) {
  const bool prefix = item.kind == ItemKind::kPrefix;
  const int max_edits = item.max_edits > 0 ? item.max_edits : DefaultMaxEdits(word);
  // Confusions at half cost let a one-edit word reach as far as the spelling index does.
  if (!prefix && UsesSpelling(word, kSpellingEdits)) return SpellingMatches(word, max_edits);
  const int max_cost = kEditCost * max_edits;
  const std::u32string word_code_points = CodePoints(word);
  std::vector<Expansion> candidates;
  std::unique_ptr<store::KvIterator> it = archive_.NewIndexIterator(IndexColumn::kTermStats);
  // Keys to seek are dictionary keys cut short, before the 0x00 that ends a term.
  const auto key_of = [](std::string_view term_start) {
    std::string key(kDocFrequencyKeys);
    key += term_start;
    return key;
  };
  const std::string start = key_of(prefix ? word : "");
  for (it->Seek(start); it->Valid() && it->key().starts_with(start);) {
    const std::string_view term = TermOfDocFrequencyKey(it->key());
    // Fuzzy words walk surface terms only: skip the filter ("X") and stem ("Z") terms.
    if (!term.empty() && (term[0] == 'X' || term[0] == kStemPrefix)) {
      it->Seek(key_of(std::string(1, static_cast<char>(term[0] + 1))));
      continue;
    }
    if (!prefix) {
      const size_t dead = DeadPrefix(word_code_points, term, max_cost);
      if (dead > 0) {
        const std::optional<std::string> live =
            NextLivePrefix(word_code_points, CodePoints(term.substr(0, dead)), max_cost);
        if (!live) break;
        MoveTo(*it, key_of(*live));
        continue;
      }
    }
    QUIRE_ASSIGN_OR_RETURN(int64_t frequency, DecodeCount(it->value()));
    // Planning reads each chosen term's frequency again: a read of a count is not cheap (its
    // sums may lie in several files), the walk has it at hand.
    doc_frequencies_.emplace(term, frequency);
    const std::optional<int> cost = prefix ? 0 : FuzzyCost(term, word, max_edits);
    if (frequency > 0 && cost) candidates.push_back(Expansion{std::string(term), frequency, *cost});
    it->Next();
  }
  QUIRE_RETURN_IF_ERROR(it->status());
  return Best(std::move(candidates));
}

// The spelled terms within reach of `word` (FuzzyCost): those listed under the word's deletions.
Result<std::vector<std::string>> QueryPlanner::SpellingMatches(const std::string& word,
                                                               int max_edits) {
  std::set<std::string> seen;
  std::vector<Expansion> candidates;
  std::unique_ptr<store::KvIterator> it = archive_.NewIndexIterator(IndexColumn::kTermStats);
  for (const std::string& deletion : Deletions(word, kSpellingEdits)) {
    const std::string prefix = SpellingPrefix(deletion);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      const std::string term(it->key().substr(prefix.size()));
      if (!seen.insert(term).second) continue;
      const std::optional<int> cost = FuzzyCost(term, word, max_edits);
      if (!cost) continue;
      QUIRE_ASSIGN_OR_RETURN(int64_t frequency, DocFrequency(term));
      if (frequency > 0) candidates.push_back(Expansion{term, frequency, *cost});
    }
    QUIRE_RETURN_IF_ERROR(it->status());
  }
  return Best(std::move(candidates));
}

std::vector<std::string> QueryPlanner::SlotTerms(std::string_view word) {
  WordPieces pieces = SplitWord(word);
  if (!pieces.parts.empty()) return std::move(pieces.parts);
  if (pieces.whole.empty()) return {};
  return {std::move(pieces.whole)};
}

Result<std::unique_ptr<TermMatcher>> QueryPlanner::Terms(const std::vector<std::string>& terms,
                                                         std::optional<Bm25Weight> weight) {
  std::vector<PostingCursor> cursors;
  int64_t documents = 0;
  for (const std::string& term : terms) {
    QUIRE_ASSIGN_OR_RETURN(int64_t frequency, DocFrequency(term));
    if (frequency <= 0) continue;
    documents += frequency;
    cursors.emplace_back(archive_.NewListIterator(IndexColumn::kPostings, PostingList(term)));
  }
  // Documents holding several of the terms are counted more than once: an estimate, as in
  // Xapian's OP_SYNONYM.
  documents = std::min(documents, corpus_.documents);
  return std::make_unique<TermMatcher>(std::move(cursors),
                                       weight.value_or(Bm25Weight(corpus_, documents)), documents);
}

Result<int64_t> QueryPlanner::DocFrequency(const std::string& term) {
  const auto known = doc_frequencies_.find(term);
  if (known != doc_frequencies_.end()) return known->second;
  if (stats_ == nullptr) stats_ = archive_.NewIndexIterator(IndexColumn::kTermStats);
  Result<int64_t> frequency = ReadCount(*stats_, DocFrequencyKey(term));
  if (frequency.ok()) doc_frequencies_.emplace(term, *frequency);
  return frequency;
}

}  // namespace quire::index
