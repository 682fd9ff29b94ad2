// Text primitives shared by every extractor: tokenization, and the folding of common/text_fold.h.
//
// Labels and keywords are compared after folding (case folding, compatibility decomposition and
// accent removal: "Fälligkeitsdatum" == "FALLIGKEITSDATUM", "Nº" == "no"), token by token, so
// punctuation and spacing printed around a label do not matter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/text_fold.h"

namespace quire::extract {

// A maximal run of letters and digits in a text, with its byte offsets and folded form.
struct Token {
  size_t begin = 0;
  size_t end = 0;
  std::string folded;
};

std::vector<Token> Tokenize(std::string_view text);

// The folded tokens of a phrase: "Rechnungs-Nr.:" -> {"rechnungs", "nr"}.
std::vector<std::string> FoldedTokens(std::string_view phrase);

// ASCII upper case; other bytes unchanged, so byte offsets stay valid.
std::string AsciiUpper(std::string_view text);

// Removes leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view text);

// The letters and digits of `text` alone, case-folded (accents kept): what is compared when
// case, punctuation and spacing do not count ("C W KHOO" == "CW KHOO").
std::string LettersAndDigits(std::string_view text);

// Levenshtein distance between two byte strings.
size_t EditDistance(std::string_view a, std::string_view b);

// The checkbox glyphs a text layer has and capture writes for the boxes it finds on a page image.
inline constexpr std::string_view kEmptyBoxGlyphs[] = {"\xE2\x98\x90", "\xE2\x96\xA1"};  // ☐ □
inline constexpr std::string_view kTickedBoxGlyphs[] = {"\xE2\x98\x91", "\xE2\x98\x92",
                                                        "\xE2\x96\xA0"};  // ☑ ☒ ■

// Whether `word` is a checkbox glyph, and if so whether it is ticked.
std::optional<bool> CheckboxGlyph(std::string_view word);

}  // namespace quire::extract
