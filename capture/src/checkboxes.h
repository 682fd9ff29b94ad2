// Printed checkboxes on forms: small square outlines about a text height across, each read as
// ticked or not by the ink inside it (a cross, a tick, a scribble). Tesseract reads a box's
// outline as letters or not at all ("[LJ", "KX]", "I Yes [LJNo"), so each box found on the page
// image takes the place of those letters as a word of its own: "☐" (U+2610) when empty, "☒"
// (U+2612) when ticked, with the square as its box, on the line of the label beside it. Extract
// then reads the page's checkboxes as it reads a text layer's checkbox glyphs, without images.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "quire/common/page.h"

namespace quire::capture {

// Finds the checkboxes on `image` and puts them into `words`: a word lying mostly inside a box
// goes (it was the outline), a word that begins or ends inside one (the outline read into its
// label, "[]Ermäßigt") loses the letters there, and the box is added beside its label. A square
// counts as a box only when a word with a letter stands beside it on its line, so squares in
// logos, barcodes and tables stay as they were read; a solid square (a bullet) is no box.
// REQUIRES: `words` read from `image`, in reading order with line numbers never decreasing.
void ReadCheckboxes(const cv::Mat& image, std::vector<OcrWord>& words);

}  // namespace quire::capture
