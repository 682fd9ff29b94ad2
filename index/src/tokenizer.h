// Turns text into index terms: Unicode case and accent folding, codes kept whole and in parts,
// Snowball stemming.
//
// A "word" is what sits at one position of a document (an OCR word, a piece of a field value, a
// word of a query). Its terms:
//   - the whole word, folded, with inner punctuation kept: "INV-2024-00731" -> "inv-2024-00731";
//   - when it has several letter/digit runs, each run: "inv", "2024", "00731";
//   - for each letter-only token whose Snowball stem differs from it, kStemPrefix + stem:
//     "invoices" -> "Zinvoic".
// Surface terms are kept exactly, so phrases, prefixes and fuzzy matches work on what was printed;
// plain query words also match the stem terms, so "invoice" finds "invoices" (Xapian's scheme).
// Folded text never holds ASCII upper case, so prefixed terms ("Z...", "X...") never collide with
// surface terms.
//
// Not thread-safe (a Snowball stemmer keeps state); create one per thread or per call.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "quire/common/status.h"

struct sb_stemmer;

namespace quire::index {

// Terms longer than this are OCR noise or binary junk, not words anyone searches for.
inline constexpr size_t kMaxTermBytes = 64;
inline constexpr char kStemPrefix = 'Z';

// One whitespace-free word split into its searchable pieces.
struct WordPieces {
  std::string whole;               // folded, leading/trailing punctuation removed; may be empty
  std::vector<std::string> parts;  // letter/digit runs; empty when the word is one run
};

// Case folding (NFKC_Casefold) then accent removal (NFD, drop non-spacing marks):
// "Über" -> "uber", "STRASSE" and "Straße" -> "strasse". Control characters are dropped.
std::string Fold(std::string_view text);

// Folds `word` and splits it into whole and parts. REQUIRES: no whitespace in `word`.
WordPieces SplitWord(std::string_view word);

// True when `token` is made of letters only (no digits or punctuation): such tokens are stemmed.
bool IsLetters(std::string_view token);

class Tokenizer {
 public:
  // `language` is a Snowball algorithm name: "english", "german", "french", ...
  // InvalidArgument when libstemmer has no such stemmer.
  static Result<Tokenizer> Create(const std::string& language);

  // The stem of a letter-only folded token; `token` itself otherwise.
  std::string Stem(std::string_view token);

  // Calls fn(term) for every term of `text` (split at whitespace), without duplicates per word.
  // Words seen before are answered from a cache: a corpus repeats most of its words.
  void ForEachTerm(std::string_view text, const std::function<void(const std::string&)>& fn);

 private:
  struct StemmerDeleter {
    void operator()(sb_stemmer* s) const;
  };
  // Words whose terms are remembered; the cache starts afresh when full.
  static constexpr size_t kCachedWords = 100000;

  // Looks words up by view, so a cache hit copies nothing.
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view word) const { return std::hash<std::string_view>()(word); }
  };

  explicit Tokenizer(sb_stemmer* stemmer) : stemmer_(stemmer) {}
  const std::vector<std::string>& WordTerms(std::string_view word);
  void AddWordTerms(std::string_view word, std::vector<std::string>& terms);

  std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer_;
  std::unordered_map<std::string, std::vector<std::string>, WordHash, std::equal_to<>>
      word_terms_;
};

// A tokenizer for `language` owned by the calling thread, so that its cache serves every
// document the thread indexes. InvalidArgument as Tokenizer::Create.
Result<Tokenizer*> ThreadTokenizer(const std::string& language);

// Splits `text` at Unicode whitespace.
std::vector<std::string_view> SplitWhitespace(std::string_view text);

}  // namespace quire::index
