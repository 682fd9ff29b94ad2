#include "spelling.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <functional>

namespace quire::index {
namespace {

// Terms this thread has added the spelling keys of, by their 64-bit hashes in an open-addressing
// table: every term of every document is looked up, and a string set's nodes and compares cost
// indexing several percent (see spelling.h for what a shared hash costs). Forgotten when it holds
// kRememberedTerms; the table is twice that, so probes stay short.
class RememberedTerms {
 public:
  static constexpr size_t kRememberedTerms = 500000;

  // False when `term` is remembered already; else remembers it.
  bool Insert(std::string_view term) {
    if (size_ >= kRememberedTerms) Clear();
    const uint64_t hash = std::max<uint64_t>(1, std::hash<std::string_view>()(term));  // 0: free
    size_t slot = hash & kMask;
    for (; slots_[slot] != 0; slot = (slot + 1) & kMask) {
      if (slots_[slot] == hash) return false;
    }
    slots_[slot] = hash;
    ++size_;
    return true;
  }
  void Clear() {
    std::fill(slots_.begin(), slots_.end(), 0);
    size_ = 0;
  }

 private:
  static constexpr size_t kMask = (size_t{1} << 20) - 1;  // 2^20 > 2 * kRememberedTerms

  std::vector<uint64_t> slots_ = std::vector<uint64_t>(kMask + 1);
  size_t size_ = 0;
};

// Appends the strings left by deleting up to `edits` code points of UTF-8 `word` at byte `from` or
// later, repeats included: sorting once afterwards is cheaper than a set of strings (every new
// term of every document is spelled).
void AddDeletions(std::string_view word, int32_t from, int edits, std::vector<std::string>& out) {
  if (edits == 0) return;
  const int32_t n = static_cast<int32_t>(word.size());
  for (int32_t i = from; i < n;) {
    int32_t next = i;
    U8_FWD_1(word.data(), next, n);
    std::string shorter(word.substr(0, i));
    shorter.append(word.substr(next));
    if (!shorter.empty()) {
      AddDeletions(shorter, i, edits - 1, out);
      out.push_back(std::move(shorter));
    }
    i = next;
  }
}

struct Characters {
  size_t code_points = 0;
  int letters = 0;
  int digits = 0;
};

// Every term of every document is counted (IsSpelled), most of them numbers and amounts: ASCII
// terms, nearly all, without decoding code points.
Characters Count(std::string_view text) {
  Characters characters;
  if (std::all_of(text.begin(), text.end(), [](char c) { return c > 0; })) {
    for (const char c : text) {
      characters.letters += std::isalpha(static_cast<unsigned char>(c)) ? 1 : 0;
      characters.digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
    }
    characters.code_points = text.size();
    return characters;
  }
  const std::u32string code_points = CodePoints(text);
  for (char32_t c : code_points) {
    characters.letters += u_isalpha(static_cast<UChar32>(c)) ? 1 : 0;
    characters.digits += u_isdigit(static_cast<UChar32>(c)) ? 1 : 0;
  }
  characters.code_points = code_points.size();
  return characters;
}

}  // namespace

std::u32string CodePoints(std::string_view utf8) {
  std::u32string out;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(utf8.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8.data(), i, n, c);
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(bytes, length, static_cast<UChar32>(c));
  out.append(bytes, length);
}

bool IsSpelled(std::string_view term) {
  // Stem and filter terms start with an ASCII capital, which folded text never holds.
  if (term.empty() || (term.front() >= 'A' && term.front() <= 'Z')) return false;
  const Characters characters = Count(term);
  return characters.code_points <= kMaxSpelledCodePoints && characters.letters >= characters.digits;
}

// A term within `max_edits` of the word has at least letters - max_edits letters and at most
// digits + max_edits digits, and at most max_edits more code points.
bool UsesSpelling(std::string_view word, int max_edits) {
  const Characters characters = Count(word);
  return characters.letters - characters.digits >= 2 * max_edits &&
         characters.code_points + static_cast<size_t>(max_edits) <= kMaxSpelledCodePoints;
}

std::vector<std::string> Deletions(std::string_view word, int edits) {
  std::vector<std::string> out = {std::string(word)};
  AddDeletions(word, 0, edits, out);
  std::sort(out.begin() + 1, out.end());  // byte order of UTF-8 is code point order
  out.erase(std::unique(out.begin() + 1, out.end()), out.end());
  return out;
}

std::string SpellingPrefix(std::string_view deletion) {
  std::string prefix(kSpellingKeys);
  prefix.append(deletion);
  prefix.push_back('\0');
  return prefix;
}

void AddSpelling(std::string_view term, store::IndexBatch& batch) {
  thread_local uint64_t archive = 0;
  thread_local RememberedTerms added;
  if (archive != batch.archive_instance()) {
    archive = batch.archive_instance();
    added.Clear();
  }
  if (!IsSpelled(term) || !added.Insert(term)) return;
  // Repeated deletions ("letter" less either t) are left unsorted and written twice: the archive
  // sorts its deferred writes anyway, and setting a key twice stores it once.
  thread_local std::vector<std::string> deletions;
  deletions.assign(1, std::string(term));
  AddDeletions(term, 0, kSpellingEdits, deletions);
  std::string key;
  for (const std::string& deletion : deletions) {
    key.assign(SpellingPrefix(deletion));
    key.append(term);
    batch.Set(store::IndexColumn::kTermStats, key, 1);
  }
}

}  // namespace quire::index
