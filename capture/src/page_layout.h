// Page text from words: words joined by spaces into lines, lines by '\n', blocks separated by an
// empty line (the layout PageText documents).
#pragma once

#include <string>
#include <vector>

#include "quire/common/page.h"

namespace quire::capture {

// REQUIRES: words in reading order, with block and line numbers that never decrease.
std::string JoinWords(const std::vector<OcrWord>& words);

// Word confidences weighted by word length, so one sure long word outweighs stray marks.
double MeanConfidence(const std::vector<OcrWord>& words);

// Whether two boxes share a line: the vertical middle of either lies within the other's height.
bool OnSameLine(const Box& a, const Box& b);

// Tesseract's single-column layout sometimes reads a block of lines out of place: on sroie-dev,
// the date and cashier lines at the foot of a receipt before its items. This puts the lines in
// the order of their vertical middles, each line's words in Tesseract's order, and numbers them
// again; a line starts a new block where it started one in Tesseract's reading.
// REQUIRES: word boxes on an upright, level page.
void OrderLinesTopToBottom(std::vector<OcrWord>& words);

// Numbers lines and blocks from 0 in the order the words come: a word starts a new line (block)
// where its line or block number differs from the word before's.
void NumberLinesInOrder(std::vector<OcrWord>& words);

// Numbers lines and blocks of words that come in reading order without them (a PDF text layer):
// a word starts a new line when it does not share the height of the word before, or lies left of
// it; a line starts a new block when the gap above it is over one and a half line heights.
void AssignLinesByPosition(std::vector<OcrWord>& words);

}  // namespace quire::capture
