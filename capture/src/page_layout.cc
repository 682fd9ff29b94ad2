#include "page_layout.h"

#include <algorithm>

namespace quire::capture {

std::string JoinWords(const std::vector<OcrWord>& words) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) {
      if (words[i].block != words[i - 1].block) {
        text += "\n\n";
      } else if (words[i].line != words[i - 1].line) {
        text += '\n';
      } else {
        text += ' ';
      }
    }
    text += words[i].text;
  }
  return text;
}

namespace {

// Whether the vertical middle of each lies within the other's height.
bool OnSameLine(const Box& a, const Box& b) {
  int a_middle = a.y + a.h / 2;
  int b_middle = b.y + b.h / 2;
  return (a_middle >= b.y && a_middle <= b.bottom()) || (b_middle >= a.y && b_middle <= a.bottom());
}

}  // namespace

void AssignLinesByPosition(std::vector<OcrWord>& words) {
  int block = 0;
  int line = 0;
  Box line_box;  // of the current line
  for (size_t i = 0; i < words.size(); ++i) {
    const Box& box = words[i].box;
    if (i > 0) {
      const Box& previous = words[i - 1].box;
      if (!OnSameLine(box, previous) || box.x < previous.x) {
        ++line;
        int gap = box.y - line_box.bottom();
        if (gap > std::max(line_box.h, box.h) * 3 / 2) ++block;
        line_box = Box();
      }
    }
    line_box = line_box.Union(box);
    words[i].block = block;
    words[i].line = line;
  }
}

}  // namespace quire::capture
