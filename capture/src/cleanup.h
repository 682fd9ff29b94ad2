// Page cleanup with OpenCV, before OCR. The steps, in order, each its own function in cleanup.cc:
//   scale       text to the size Tesseract reads best (small print upscaled, huge print reduced)
//   background  uneven lighting and shading divided away, paper made white
//   orientation a page fed sideways turned a quarter (upside down is found by reading it)
//   deskew      the text lines made level
//   denoise     specks removed, only on pages that have many
//   binarize    black ink on white paper, threshold adapted to each neighbourhood
//   border      everything outside the text (scanner edges, shadows, the table) whitened
//   blank       a page with no marks of text size is reported blank and not read
// Scaling comes first because every later step sizes its windows from the text height, and the
// grayscale is resampled only once. Every step that moves pixels is recorded, so word boxes found
// on the cleaned image can be mapped back onto the original page.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "quire/common/page.h"
#include "page_source.h"

namespace quire::capture {

// The image to read and how it relates to the page as decoded.
struct CleanPage {
  cv::Mat image;  // 8-bit, one channel
  int dpi = 300;  // the resolution to tell the engine
  cv::Matx23d to_original = cv::Matx23d(1, 0, 0, 0, 1, 0);  // image pixels -> page pixels
  int rotation = 0;  // degrees clockwise the page was turned
  double skew = 0;   // degrees counter-clockwise the text was tilted
  bool blank = false;
};

// Where to write the image after each step, for a person to look at; empty dir writes nothing.
struct DebugImages {
  std::string dir;
  int page = 0;  // 0-based
  // Writes DIR/PAGE-STEP.png, PAGE 1-based.
  void Write(const std::string& step, const cv::Mat& image) const;
};

// Runs every step.
CleanPage CleanUp(const PageImage& page, const DebugImages& debug);

// The page turned by 180 degrees, for a reader that finds it reads better that way.
CleanPage TurnUpsideDown(const CleanPage& page);

// No cleanup: the page as decoded, as plain Tesseract would see it.
CleanPage Uncleaned(const PageImage& page);

// Maps a box on the cleaned image back onto the page (clipped to `page_size`).
Box ToOriginal(const Box& box, const cv::Matx23d& to_original, cv::Size page_size);

}  // namespace quire::capture
