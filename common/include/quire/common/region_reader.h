// A second look at a document's page images: one word or line read again on its own.
//
// A page is read whole once; a figure misread there (a "9.00" read "91.00", a "28" read "26") is
// often read right when its crop alone is scaled up and read as one line of the characters it
// can hold, and so is a line of a name ("HORE MASTER" for "HOME MASTER"). Capture makes readers
// over a file's pages (capture.h, OpenRegionReader); extraction asks one for the words it is
// about to choose (extract.h), and does without when there is no image at hand (`quire extract
// --pages`).
//
// Thread safety: a reader is used by one thread at a time.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "quire/common/page.h"

namespace quire {

class RegionReader {
 public:
  // What the region holds, to restrict the characters read.
  enum class Charset {
    kAmount,  // digits, decimal marks and currency signs
    kDate,    // digits, date separators and the letters of month names
    // A date's line from its label on (a time with it): kDate's characters, and the crop cut
    // to the line's own rows, since a line's box may take in print of the lines around it.
    kDateLine,
    kText,  // any character
  };

  struct Reading {
    std::string text;  // UTF-8; empty when nothing was read
    float conf = 0;    // 0..100, Tesseract's mean word confidence
  };

  // Whether the readings so far settle what the caller wants to know, so that the renderings left
  // need not be read.
  using Enough = std::function<bool(const std::vector<Reading>& so_far)>;

  // Renderings of a region, each read once.
  static constexpr int kRenderings = 3;

  virtual ~RegionReader() = default;

  // The text printed in `box` of page `page`, in PageText's coordinates (the page as decoded),
  // read again alone as one line of `charset`, once for each of kRenderings renderings of the crop
  // (scaled to three heights, smallest first), stopping early once `enough` (when set) holds:
  // where they agree, the reading does not hang on the rendering. None for a page that has no
  // image to read (a PDF text layer, a blank page) or a box outside it.
  virtual std::vector<Reading> Read(int page, const Box& box, Charset charset,
                                    const Enough& enough) = 0;
};

}  // namespace quire
