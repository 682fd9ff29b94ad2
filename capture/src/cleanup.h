// Page cleanup with OpenCV, before OCR. The steps, in order, each its own function in cleanup.cc:
//   perspective a page photographed at an angle found by its outline and warped flat
//   measure     how tall the text is, which sizes every later window, and the scale to read at;
//               where a global threshold breaks faint print into fragments or loses it, ink is
//               measured against its surroundings
//   background  uneven lighting and shading divided away, paper made white
//   orientation a page fed sideways turned a quarter (upside down is found by reading it)
//   deskew      the tilt of the text lines measured
//   denoise     specks removed, only on pages that have many
//   blank       a page with no marks of text size is reported blank and not read
//   rules       rules of dashes, which Tesseract reads into the lines beside them, painted over
//   border      everything outside the text (scanner edges, shadows, the table) whitened
//   scale       text brought to the size Tesseract reads best, and levelled, in one resampling
// Binarization is left to Tesseract: on the levelled, background-divided grayscale its global
// Otsu threshold read better than Sauvola's adaptive one (word recall on half of sroie-dev 0.781,
// against 0.759 with k = 0.2 and 0.778 with k = 0.1; CER on the degraded samples 0.111 against
// 0.128 with k = 0.1).
// The steps before the last work at the resolution as decoded (after the perspective warp, which
// only photographed pages get), which for small print is several times cheaper. Every step that
// moves pixels is recorded, as one projective transform, so word boxes found on the cleaned image
// can be mapped back onto the original page.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "page_source.h"
#include "quire/common/page.h"

namespace quire::capture {

// The image to read and how it relates to the page as decoded.
struct CleanPage {
  cv::Mat image;                                 // 8-bit, one channel
  int dpi = 300;                                 // the resolution to tell the engine
  cv::Matx33d to_original = cv::Matx33d::eye();  // image pixels -> page pixels, projective
  int rotation = 0;                              // degrees clockwise the page was turned
  double skew = 0;                               // degrees counter-clockwise the text was tilted
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

// Maps a box on the cleaned image back onto the page (clipped to `page_size`): the bounding
// rectangle of its corners. With the inverse of `to_original` it maps a page's box onto the
// cleaned image.
Box ToOriginal(const Box& box, const cv::Matx33d& to_original, cv::Size page_size);

}  // namespace quire::capture
