// The result of reading one page: its text, and every word with its box and confidence.
//
// Capture produces these; extract, index and store consume them. Boxes are in the pixel
// coordinates of the original page image as decoded (before any rotation or deskew), so a viewer
// can draw them on the image the user handed us. Plain value types, safe to copy between threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace quire {

// An axis-aligned rectangle in page pixels; (x, y) is the top-left corner.
struct Box {
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;

  int right() const { return x + w; }
  int bottom() const { return y + h; }
  bool empty() const { return w <= 0 || h <= 0; }
  // The smallest box holding both (an empty box is ignored).
  Box Union(const Box& other) const;
  // Whether the two share some area.
  bool Overlaps(const Box& other) const {
    return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
  }
  // The area the two both cover, in pixels; 0 when they do not overlap.
  int64_t SharedArea(const Box& other) const;
  // Whether the two share more than half of the smaller one's area: one word read twice.
  bool OverlapsMostly(const Box& other) const;
  bool operator==(const Box&) const = default;
};

struct OcrWord {
  std::string text;  // UTF-8
  Box box;
  float conf = 0;  // 0..100, Tesseract's word confidence; 100 for a PDF text layer
  int block = 0;   // block index on the page, in reading order
  int line = 0;    // line index on the page, in reading order
  // Other readings of the word the recognizer found likely ("BAHRU" beside "BAHRII"), the
  // likeliest first; none for a word it was sure of or a text layer's.
  std::vector<std::string> alternatives;
};

// The median height of the words' boxes: the size of their text, which neither a logo read as a
// tall letter nor a short dash changes. 20 when no word has a box.
int MedianWordHeight(std::span<const OcrWord> words);

enum class TextSource {
  kOcr,        // Tesseract read the page image
  kTextLayer,  // a PDF page with real text, taken as it is
};

struct PageText {
  int width = 0;  // of the original page image, in pixels
  int height = 0;
  int dpi = 0;       // as decoded or rendered; 0 when unknown
  int rotation = 0;  // degrees clockwise the page was turned to read it: 0, 90, 180 or 270
  double skew = 0;   // degrees the text was tilted (deskew corrected by this much)
  TextSource source = TextSource::kOcr;
  bool blank = false;    // a blank page: reported, not read
  std::string language;  // Tesseract language(s) the page was read with, e.g. "deu+eng"; empty
                         // when Tesseract did not read it (text layer, blank page)
  std::string text;      // lines joined by '\n', blocks by an empty line
  std::vector<OcrWord> words;
  // The text of each barcode found on the page (QR, Data Matrix, Code 128...), top to bottom.
  std::vector<std::string> barcodes;
  std::string error;  // non-empty when the page could not be read; the page is kept all the same
};

}  // namespace quire
