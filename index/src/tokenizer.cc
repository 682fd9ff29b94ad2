#include "tokenizer.h"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>

#include "quire/common/text_fold.h"

namespace quire::index {
namespace {

// Calls fn(code point, byte offset, byte length) for each code point of UTF-8 `text`; invalid
// bytes come through as negative code points.
template <typename Fn>
void ForEachCodePoint(std::string_view text, Fn fn) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(text.size());
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    fn(c, start, i - start);
  }
}

void AddUnique(std::string term, std::vector<std::string>& terms, size_t first_of_word) {
  if (term.empty() || term.size() > kMaxTermBytes) return;
  if (std::find(terms.begin() + first_of_word, terms.end(), term) != terms.end()) return;
  terms.push_back(std::move(term));
}

// u_isUWhiteSpace, with ASCII (most text) answered without ICU.
bool IsWhitespace(UChar32 c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
  return u_isUWhiteSpace(c);
}

// Calls fn(word) for each run of `text` between Unicode whitespace.
template <typename Fn>
void ForEachWhitespaceSeparated(std::string_view text, Fn fn) {
  int32_t start = -1;
  ForEachCodePoint(text, [&](UChar32 c, int32_t offset, int32_t) {
    const bool space = c >= 0 && IsWhitespace(c);
    if (space && start >= 0) {
      fn(text.substr(start, offset - start));
      start = -1;
    } else if (!space && start < 0) {
      start = offset;
    }
  });
  if (start >= 0) fn(text.substr(start));
}

}  // namespace

WordPieces SplitWord(std::string_view word) {
  const std::string folded = FoldCaseAndAccents(word);
  WordPieces pieces;
  int32_t run_start = -1;
  int32_t first = -1;
  int32_t last_end = -1;
  auto end_run = [&](int32_t end) {
    if (run_start >= 0) pieces.parts.emplace_back(folded.substr(run_start, end - run_start));
    run_start = -1;
  };
  ForEachCodePoint(folded, [&](UChar32 c, int32_t offset, int32_t length) {
    if (c >= 0 && u_isalnum(c)) {
      if (run_start < 0) run_start = offset;
      if (first < 0) first = offset;
      last_end = offset + length;
    } else {
      end_run(offset);
    }
  });
  end_run(static_cast<int32_t>(folded.size()));
  if (first >= 0) pieces.whole = folded.substr(first, last_end - first);
  if (pieces.parts.size() == 1) pieces.parts.clear();
  return pieces;
}

bool IsLetters(std::string_view token) {
  bool letters = !token.empty();
  ForEachCodePoint(token, [&](UChar32 c, int32_t, int32_t) { letters &= c >= 0 && u_isalpha(c); });
  return letters;
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> words;
  ForEachWhitespaceSeparated(text, [&](std::string_view word) { words.push_back(word); });
  return words;
}

void Tokenizer::StemmerDeleter::operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }

Result<Tokenizer> Tokenizer::Create(const std::string& language) {
  sb_stemmer* stemmer = sb_stemmer_new(language.c_str(), "UTF_8");
  if (stemmer == nullptr) {
    return Status::InvalidArgument("no Snowball stemmer for language '" + language +
                                   "': use english, german, french or another Snowball language");
  }
  return Tokenizer(stemmer);
}

std::string Tokenizer::Stem(std::string_view token) {
  if (!IsLetters(token)) return std::string(token);
  const sb_symbol* stem =
      sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(token.data()),
                      static_cast<int>(token.size()));
  if (stem == nullptr) return std::string(token);  // out of memory: the unstemmed word still works
  return std::string(reinterpret_cast<const char*>(stem), sb_stemmer_length(stemmer_.get()));
}

Result<Tokenizer*> ThreadTokenizer(const std::string& language) {
  thread_local std::map<std::string, Tokenizer> tokenizers;
  auto it = tokenizers.find(language);
  if (it == tokenizers.end()) {
    QUIRE_ASSIGN_OR_RETURN(Tokenizer tokenizer, Tokenizer::Create(language));
    it = tokenizers.emplace(language, std::move(tokenizer)).first;
  }
  return &it->second;
}

void Tokenizer::ForEachTerm(std::string_view text,
                            const std::function<void(std::string_view)>& fn) {
  ForEachWhitespaceSeparated(text, [&](std::string_view word) {
    for (std::string_view packed = WordTerms(word); !packed.empty();) {
      const size_t size = static_cast<uint8_t>(packed.front());
      fn(packed.substr(1, size));
      packed.remove_prefix(1 + size);
    }
  });
}

std::string_view Tokenizer::WordTerms(std::string_view word) {
  const uint64_t hash = std::hash<std::string_view>()(word);
  if (const std::optional<std::string_view> cached = cache_.Find(word, hash)) return *cached;
  std::vector<std::string> terms;
  AddWordTerms(word, terms);
  packed_.clear();
  for (const std::string& term : terms) {
    packed_.push_back(static_cast<char>(term.size()));
    packed_.append(term);
  }
  cache_.Insert(word, hash, packed_);
  return packed_;
}

std::optional<std::string_view> Tokenizer::WordCache::Find(std::string_view word,
                                                           uint64_t hash) const {
  if (slots_.empty()) return std::nullopt;
  const uint64_t tag = hash >> 32;
  for (size_t slot = hash & kMask; slots_[slot] != 0; slot = (slot + 1) & kMask) {
    if (slots_[slot] >> 32 != tag) continue;
    const size_t offset = (slots_[slot] & 0xffffffff) - 1;
    const size_t word_size = static_cast<uint8_t>(entries_[offset]);
    if (std::string_view(entries_).substr(offset + 1, word_size) != word) continue;
    const size_t terms_at = offset + 1 + word_size;
    const size_t terms_size = static_cast<uint8_t>(entries_[terms_at]) |
                              static_cast<size_t>(static_cast<uint8_t>(entries_[terms_at + 1]))
                                  << 8;
    return std::string_view(entries_).substr(terms_at + 2, terms_size);
  }
  return std::nullopt;
}

void Tokenizer::WordCache::Insert(std::string_view word, uint64_t hash,
                                  std::string_view packed_terms) {
  if (word.size() > UINT8_MAX || packed_terms.size() > UINT16_MAX) return;
  if (slots_.empty() || words_ >= kCachedWords || entries_.size() >= kCachedBytes) {
    slots_.assign(kMask + 1, 0);
    entries_.clear();
    words_ = 0;
  }
  size_t slot = hash & kMask;
  while (slots_[slot] != 0) slot = (slot + 1) & kMask;
  slots_[slot] = (hash >> 32) << 32 | (entries_.size() + 1);
  entries_.push_back(static_cast<char>(word.size()));
  entries_.append(word);
  entries_.push_back(static_cast<char>(packed_terms.size() & 0xff));
  entries_.push_back(static_cast<char>(packed_terms.size() >> 8));
  entries_.append(packed_terms);
  ++words_;
}

void Tokenizer::AddWordTerms(std::string_view word, std::vector<std::string>& terms) {
  const WordPieces pieces = SplitWord(word);
  const size_t first = terms.size();
  AddUnique(pieces.whole, terms, first);
  for (const std::string& part : pieces.parts) AddUnique(part, terms, first);
  const size_t surface_end = terms.size();
  for (size_t i = first; i < surface_end; ++i) {
    std::string stem = Stem(terms[i]);
    if (stem != terms[i]) AddUnique(kStemPrefix + stem, terms, first);
  }
}

}  // namespace quire::index
