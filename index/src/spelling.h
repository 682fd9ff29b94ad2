// The spelling index that fuzzy words look up, so that they need not walk the term dictionary
// (Garbe's SymSpell, 2012: symmetric deletions). Every spelled term is recorded under each string
// left by deleting up to kSpellingEdits of its code points; two words within d edits of each other
// share such a string with at most d deletions from each, so a fuzzy word looks up only its own
// deletions, and checks the terms found there with the edit distance.
//
// Spelled terms are the surface terms with at least as many letters as digits and at most
// kMaxSpelledCodePoints code points: words and their OCR misreadings ("t0tal"), not the numbers,
// amounts and codes that make up most of an archive's dictionary. UsesSpelling says which fuzzy
// words can only match spelled terms; the others walk the dictionary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "quire/store/archive.h"

namespace quire::index {

inline constexpr int kSpellingEdits = 2;
inline constexpr size_t kMaxSpelledCodePoints = 20;
inline constexpr std::string_view kSpellingKeys = "e";  // kTermStats: "e" deletion 0x00 term

std::u32string CodePoints(std::string_view utf8);
void AppendUtf8(std::string& out, char32_t c);

// Whether the index spells `term` (a folded surface term).
bool IsSpelled(std::string_view term);
// Whether every term within `max_edits` of the folded word `word` is spelled, so that the
// spelling index finds them all.
bool UsesSpelling(std::string_view word, int max_edits);

// The distinct non-empty strings left by deleting up to `edits` code points of `word`, `word`
// itself included.
std::vector<std::string> Deletions(std::string_view word, int edits);

// Where the spelling index lists the terms under `deletion`; each key is this + the term.
std::string SpellingPrefix(std::string_view deletion);

// Adds the spelling index's keys for `term` (IndexBatch::Set to 1: the value is unused) when it is
// spelled and this thread has not added them to the same archive since its memory of terms last
// filled up or it last wrote to another archive; adding a term's keys again changes nothing that
// matters. The memory keeps 64-bit hashes: a term whose hash another remembered term shares (about
// one chance in 10^8 per memory of 500,000 terms) stays unspelled. A commit that fails after it was
// indexed leaves its new terms unspelled until this memory is cleared: fuzzy words then find them
// only once another thread or process indexes them again.
void AddSpelling(std::string_view term, store::IndexBatch& batch);

}  // namespace quire::index
