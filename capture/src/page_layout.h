// Page text from words: words joined by spaces into lines, lines by '\n', blocks separated by an
// empty line (the layout PageText documents).
#pragma once

#include <string>
#include <vector>

#include "quire/common/page.h"

namespace quire::capture {

// REQUIRES: words in reading order, with block and line numbers that never decrease.
std::string JoinWords(const std::vector<OcrWord>& words);

// Numbers lines and blocks of words that come in reading order without them (a PDF text layer):
// a word starts a new line when it does not share the height of the word before, or lies left of
// it; a line starts a new block when the gap above it is over one and a half line heights.
void AssignLinesByPosition(std::vector<OcrWord>& words);

}  // namespace quire::capture
