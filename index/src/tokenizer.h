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
#include <optional>
#include <string>
#include <string_view>
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

// Folds `word` (FoldCaseAndAccents, common/text_fold.h) and splits it into whole and parts.
// REQUIRES: no whitespace in `word`.
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
  // Words seen before are answered from a cache: a corpus repeats most of its words. A term
  // passed to fn is valid until the next call.
  void ForEachTerm(std::string_view text, const std::function<void(std::string_view)>& fn);

 private:
  struct StemmerDeleter {
    void operator()(sb_stemmer* s) const;
  };
  // Words and their terms, packed in one buffer and found through an open-addressing table of
  // offsets into it: every word of every document is looked up, and a node-based map's lookups
  // missed the processor's cache several times each (9% of a bench_search build). Starts afresh
  // when it holds kCachedWords or kCachedBytes.
  class WordCache {
   public:
    static constexpr size_t kCachedWords = 100000;
    static constexpr size_t kCachedBytes = 32 << 20;

    // The word's packed terms (see Tokenizer::WordTerms), or nullopt when it is not cached.
    std::optional<std::string_view> Find(std::string_view word, uint64_t hash) const;
    // Remembers the word's packed terms, unless the word or its terms are too long to pack.
    void Insert(std::string_view word, uint64_t hash, std::string_view packed_terms);

   private:
    static constexpr size_t kMask = (size_t{1} << 18) - 1;  // 2^18 slots > 2 * kCachedWords

    // 0 when free, else the top 32 bits of the word's hash, then 1 + its entry's offset.
    // Allocated at the first insert: a searcher's tokenizer only stems.
    std::vector<uint64_t> slots_;
    // entry := u8(word size) word u16-le(packed terms size) packed-terms
    std::string entries_;
    size_t words_ = 0;
  };

  explicit Tokenizer(sb_stemmer* stemmer) : stemmer_(stemmer) {}
  // The word's terms packed as (u8 size, term)* (terms are at most kMaxTermBytes), valid until
  // the next call.
  std::string_view WordTerms(std::string_view word);
  void AddWordTerms(std::string_view word, std::vector<std::string>& terms);

  std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer_;
  WordCache cache_;
  std::string packed_;  // the terms of the last word looked up
};

// A tokenizer for `language` owned by the calling thread, so that its cache serves every
// document the thread indexes. InvalidArgument as Tokenizer::Create.
Result<Tokenizer*> ThreadTokenizer(const std::string& language);

// Splits `text` at Unicode whitespace.
std::vector<std::string_view> SplitWhitespace(std::string_view text);

}  // namespace quire::index
