// Turns a parsed query into a matcher tree over the index. Words become the terms the indexer
// made of them (same tokenizer); prefixes expand through the term dictionary (kTermStats'
// kDocFrequencyKeys) and fuzzy words through the spelling index (spelling.h), or the dictionary
// when the word could match numbers and codes the spelling index leaves out (UsesSpelling), so
// they walk terms, not postings.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "bm25.h"
#include "matchers.h"
#include "query_parser.h"
#include "quire/store/archive.h"
#include "tokenizer.h"

namespace quire::index {

// Prefix and fuzzy words expand to at most this many terms: the most frequent ones, for a fuzzy
// word the nearest first.
inline constexpr size_t kMaxExpansions = 64;

// A fuzzy word is also looked for split in two pieces of at least this many code points.
inline constexpr size_t kMinSplitPiece = 2;

Result<CorpusStats> ReadCorpusStats(store::Archive& archive);

// The edit distance allowed for a fuzzy word written without ~1 or ~2: 1 for up to 5
// characters, 2 for longer ones.
int DefaultMaxEdits(std::string_view folded_word);

// Edit costs of fuzzy words, in half edits: an edit between characters OCR confuses (0/O,
// 1/l/I, 5/S, 8/B, and "rn" for "m" or back) costs half of any other, so that such readings
// come first and a word of one edit forgives two of them.
inline constexpr int kEditCost = 2;
inline constexpr int kConfusionCost = 1;

// The cheapest edits from `a` to `b` (code points, folded), or max_cost + 1 when that is more.
// Without `confusions`, every edit costs kEditCost: the Levenshtein distance times kEditCost.
int BoundedEditCost(std::string_view a, std::string_view b, int max_cost, bool confusions = true);

class QueryPlanner {
 public:
  // REQUIRES: `archive` and `tokenizer` outlive the planner.
  QueryPlanner(store::Archive& archive, Tokenizer& tokenizer, const CorpusStats& corpus)
      : archive_(archive), tokenizer_(tokenizer), corpus_(corpus) {}

  // InvalidArgument when the query has nothing to search for (only punctuation).
  Result<std::unique_ptr<DocMatcher>> Plan(const Query& query);

 private:
  using MatcherResult = Result<std::unique_ptr<DocMatcher>>;

  // nullptr when the node or item has no letters or digits to search for.
  MatcherResult PlanNode(const QueryNode& node);
  // An AND or OR node's terms, joined as it says.
  MatcherResult PlanTerms(const QueryNode& node);
  MatcherResult WithJoinedReadings(const QueryNode& node, std::unique_ptr<DocMatcher> matcher);
  MatcherResult Excluding(std::unique_ptr<DocMatcher> required,
                          const std::vector<QueryNode>& excluded);
  MatcherResult PlanItem(const QueryItem& item);
  MatcherResult PlanWord(const std::string& text);
  MatcherResult PlanPhrase(const std::string& text);
  MatcherResult PlanFilter(const QueryItem& item);
  MatcherResult PlanRange(const QueryItem& item);
  Result<std::vector<DocId>> RangeDocuments(const std::string& prefix, const std::string& lower,
                                            const std::string& upper);
  // Terms from the dictionary, as for prefix and fuzzy words.
  MatcherResult PlanExpansion(const QueryItem& item);
  // Appends to `any_of` the phrases that find the folded word `word` split in two by OCR, scored
  // as the word (found in `word_documents` documents) is.
  Status SplitReadings(const std::string& word, int64_t word_documents,
                       std::vector<std::unique_ptr<DocMatcher>>& any_of);
  // The dictionary's terms for a prefix or fuzzy word, the best first (see kMaxExpansions).
  Result<std::vector<std::string>> Expand(const QueryItem& item, const std::string& word);
  Result<std::vector<std::string>> SpellingMatches(const std::string& word, int max_edits);

  // The terms of one typed word as phrase slots: a code's parts at one word, else the word.
  std::vector<std::string> SlotTerms(std::string_view word);
  // The terms as one, ranked with `weight`; by default BM25 of the terms' document count.
  Result<std::unique_ptr<TermMatcher>> Terms(const std::vector<std::string>& terms,
                                             std::optional<Bm25Weight> weight = std::nullopt);
  Result<int64_t> DocFrequency(const std::string& term);

  store::Archive& archive_;
  Tokenizer& tokenizer_;
  CorpusStats corpus_;
  // Expansions by kind, word and edits: a search plans its query twice (ranking, then the hits'
  // positions), and walking the dictionary is the costly part of a fuzzy word.
  std::map<std::tuple<ItemKind, std::string, int>, std::vector<std::string>> expansions_;
  // Terms' document frequencies read so far: a fuzzy word reads its candidates', and the second
  // plan its terms' again.
  std::map<std::string, int64_t> doc_frequencies_;
  std::unique_ptr<store::KvIterator> stats_;  // kTermStats, opened at the first count read
  // Range filters' documents by their first and last keys, read once for both plans: a wide
  // range holds a large share of the archive.
  std::map<std::pair<std::string, std::string>, std::vector<DocId>> ranges_;
};

}  // namespace quire::index
