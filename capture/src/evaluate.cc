#include "quire/capture/evaluate.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <vector>

#include "quire/common/edit_distance.h"

namespace quire::capture {
namespace {

// The text as code points, whitespace runs collapsed to one space and trimmed.
std::u32string Normalize(std::string_view text, bool fold) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (fold) u.foldCase();
  std::u32string out;
  bool space = false;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    if (u_isUWhiteSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(U' ');
    space = false;
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

std::vector<std::u32string> Words(const std::u32string& text) {
  std::vector<std::u32string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(U' ', start);
    if (end == std::u32string::npos) end = text.size();
    words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

long MultisetOverlap(const std::vector<std::u32string>& reference,
                     const std::vector<std::u32string>& output) {
  std::map<std::u32string, long> available;
  for (const auto& w : output) ++available[w];
  long found = 0;
  for (const auto& w : reference) {
    auto it = available.find(w);
    if (it != available.end() && it->second > 0) {
      --it->second;
      ++found;
    }
  }
  return found;
}

double Ratio(long part, long whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

double TextScore::Cer() const { return Ratio(char_edits, ref_chars); }
double TextScore::Wer() const { return Ratio(word_edits, ref_words); }
double TextScore::WordRecall() const { return Ratio(words_found, ref_words); }

TextScore& TextScore::operator+=(const TextScore& other) {
  char_edits += other.char_edits;
  ref_chars += other.ref_chars;
  word_edits += other.word_edits;
  ref_words += other.ref_words;
  words_found += other.words_found;
  return *this;
}

TextScore ScoreText(std::string_view reference, std::string_view output, bool fold) {
  const std::u32string ref = Normalize(reference, fold);
  const std::u32string out = Normalize(output, fold);
  const std::vector<std::u32string> ref_words = Words(ref);
  const std::vector<std::u32string> out_words = Words(out);
  TextScore score;
  score.char_edits = EditDistance(ref, out);
  score.ref_chars = static_cast<long>(ref.size());
  score.word_edits = EditDistance(ref_words, out_words);
  score.ref_words = static_cast<long>(ref_words.size());
  score.words_found = MultisetOverlap(ref_words, out_words);
  return score;
}

}  // namespace quire::capture
