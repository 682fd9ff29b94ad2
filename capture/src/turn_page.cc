#include "quire/capture/separation.h"

namespace quire::capture {
namespace {

// Where the box `b` of a `width` x `height` image lands once the image is turned.
Box TurnBox(const Box& b, int degrees, int width, int height) {
  switch (degrees) {
    case 90: return {height - b.y - b.h, b.x, b.h, b.w};
    case 180: return {width - b.x - b.w, height - b.y - b.h, b.w, b.h};
    default: return {b.y, width - b.x - b.w, b.h, b.w};  // 270
  }
}

}  // namespace

void TurnScannedPage(int degrees, RawPage& raw, PageText& text) {
  if (degrees != 90 && degrees != 180 && degrees != 270) return;
  const int w = raw.width;
  const int h = raw.height;
  const int c = raw.channels;
  const bool sideways = degrees != 180;
  const int out_w = sideways ? h : w;
  std::string turned(raw.pixels.size(), '\0');
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // (x, y) clockwise by 90: (h-1-y, x); by 180: (w-1-x, h-1-y); by 270: (y, w-1-x).
      const int tx = degrees == 90 ? h - 1 - y : degrees == 180 ? w - 1 - x : y;
      const int ty = degrees == 90 ? x : degrees == 180 ? h - 1 - y : w - 1 - x;
      const size_t from = (static_cast<size_t>(y) * w + x) * c;
      const size_t to = (static_cast<size_t>(ty) * out_w + tx) * c;
      for (int k = 0; k < c; ++k) turned[to + k] = raw.pixels[from + k];
    }
  }
  raw.pixels = std::move(turned);
  if (sideways) std::swap(raw.width, raw.height);

  for (OcrWord& word : text.words) word.box = TurnBox(word.box, degrees, text.width, text.height);
  if (sideways) std::swap(text.width, text.height);
  // The page was read turned by `rotation`; now it already is turned by `degrees` of it.
  text.rotation = ((text.rotation - degrees) % 360 + 360) % 360;
}

}  // namespace quire::capture
