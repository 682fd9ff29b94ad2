#include "text.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>

namespace quire::extract {
std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  int32_t start = -1;
  while (i <= length) {
    const int32_t here = i;
    UChar32 c = 0;
    if (i < length) U8_NEXT(bytes, i, length, c);
    const bool word_char = here < length && c >= 0 && u_isalnum(c);
    if (word_char && start < 0) start = here;
    if (!word_char && start >= 0) {
      const size_t b = static_cast<size_t>(start);
      tokens.push_back(
          {b, static_cast<size_t>(here), FoldCaseAndAccents(text.substr(b, here - b))});
      start = -1;
    }
    if (here == length) break;
  }
  return tokens;
}

std::vector<std::string> FoldedTokens(std::string_view phrase) {
  std::vector<std::string> out;
  for (Token& t : Tokenize(phrase)) out.push_back(std::move(t.folded));
  return out;
}

std::string AsciiUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<bool> CheckboxGlyph(std::string_view word) {
  for (std::string_view glyph : kEmptyBoxGlyphs) {
    if (word == glyph) return false;
  }
  for (std::string_view glyph : kTickedBoxGlyphs) {
    if (word == glyph) return true;
  }
  return std::nullopt;
}

std::string LettersAndDigits(std::string_view text) {
  const std::string folded = FoldCase(text);
  std::string out;
  for (const Token& t : Tokenize(folded)) out += folded.substr(t.begin, t.end - t.begin);
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace quire::extract
