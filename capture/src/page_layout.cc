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

double MeanConfidence(const std::vector<OcrWord>& words) {
  double sum = 0;
  double weight = 0;
  for (const OcrWord& word : words) {
    sum += word.conf * word.text.size();
    weight += word.text.size();
  }
  return weight > 0 ? sum / weight : 0;
}

bool OnSameLine(const Box& a, const Box& b) {
  int a_middle = a.y + a.h / 2;
  int b_middle = b.y + b.h / 2;
  return (a_middle >= b.y && a_middle <= b.bottom()) || (b_middle >= a.y && b_middle <= a.bottom());
}

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
  for (const Line& line : lines) {
    ordered.insert(ordered.end(), words.begin() + line.begin, words.begin() + line.end);
  }
  words = std::move(ordered);
  NumberLinesInOrder(words);
}

void NumberLinesInOrder(std::vector<OcrWord>& words) {
  int block = -1;
  int line = -1;
  int given_block = 0;  // the numbers the word before came with
  int given_line = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const bool new_block = i == 0 || words[i].block != given_block;
    const bool new_line = new_block || words[i].line != given_line;
    given_block = words[i].block;
    given_line = words[i].line;
    block += new_block;
    line += new_line;
    words[i].block = block;
    words[i].line = line;
  }
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
