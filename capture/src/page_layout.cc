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

void OrderLinesTopToBottom(std::vector<OcrWord>& words) {
  struct Line {
    size_t begin, end;  // of its words
    int middle;         // the vertical middle of its box
  };
  std::vector<Line> lines;
  Box box;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i == 0 || words[i].line != words[i - 1].line || words[i].block != words[i - 1].block) {
      lines.push_back({i, i, 0});
      box = Box();
    }
    box = box.Union(words[i].box);
    lines.back().end = i + 1;
    lines.back().middle = box.y + box.h / 2;
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.middle < b.middle; });
  std::vector<OcrWord> ordered;
  ordered.reserve(words.size());
  int block = -1;
  for (size_t n = 0; n < lines.size(); ++n) {
    const int tesseract_block = words[lines[n].begin].block;
    if (n == 0 || tesseract_block != words[lines[n - 1].begin].block) ++block;
    for (size_t i = lines[n].begin; i < lines[n].end; ++i) {
      ordered.push_back(words[i]);
      ordered.back().block = block;
      ordered.back().line = static_cast<int>(n);
    }
  }
  words = std::move(ordered);
}

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
