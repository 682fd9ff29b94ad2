// Builds PageText the way capture would produce it, from lines of text placed on a page: words
// get boxes from a fixed-pitch font (10 px per character, 20 px high, 30 px per line), so tests
// can lay out labels and values in columns and rows.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "quire/common/page.h"

namespace quire::extract::testing {

class PageBuilder {
 public:
  // A4 at 100 dpi by default.
  explicit PageBuilder(int width = 827, int height = 1169, float conf = 95) : conf_(conf) {
    page_.width = width;
    page_.height = height;
  }

  // Places one printed row: each cell's text starts at its x. A new OCR line per cell, as
  // Tesseract does for columns far apart.
  PageBuilder& Row(std::vector<std::pair<std::string, int>> cells) {
    for (const auto& [text, x] : cells) AddLine(text, x, y_);
    y_ += kLineHeight;
    return *this;
  }
  // A row with a single cell at the left margin.
  PageBuilder& Line(const std::string& text, int x = 50) { return Row({{text, x}}); }
  PageBuilder& Skip(int lines = 1) {
    y_ += lines * kLineHeight;
    return *this;
  }
  // The confidence of the words added from now on.
  PageBuilder& Conf(float conf) {
    conf_ = conf;
    return *this;
  }
  // Gives each word added so far whose text is a key of `alternatives` the other readings listed
  // (OcrWord::alternatives).
  PageBuilder& Alternatives(const std::map<std::string, std::vector<std::string>>& alternatives) {
    for (OcrWord& word : page_.words) {
      if (const auto found = alternatives.find(word.text); found != alternatives.end()) {
        word.alternatives = found->second;
      }
    }
    return *this;
  }
  PageText Build() const { return page_; }

 private:
  static constexpr int kCharWidth = 10;
  static constexpr int kHeight = 20;
  static constexpr int kLineHeight = 30;

  void AddLine(const std::string& text, int x, int y) {
    size_t pos = 0;
    int line_x = x;
    std::string line_text;
    while (pos < text.size()) {
      const size_t space = text.find(' ', pos);
      const size_t end = space == std::string::npos ? text.size() : space;
      if (end > pos) {
        const std::string word = text.substr(pos, end - pos);
        const int chars = static_cast<int>(Utf8Length(word));
        page_.words.push_back(
            OcrWord{word, Box{line_x, y, chars * kCharWidth, kHeight}, conf_, block_, line_, {}});
        line_x += (chars + 1) * kCharWidth;
        if (!line_text.empty()) line_text += ' ';
        line_text += word;
      } else {
        line_x += kCharWidth;
      }
      pos = end + 1;
    }
    if (!page_.text.empty()) page_.text += '\n';
    page_.text += line_text;
    ++line_;
    ++block_;
  }

  static size_t Utf8Length(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  PageText page_;
  float conf_;
  int y_ = 40;
  int line_ = 0;
  int block_ = 0;
};

}  // namespace quire::extract::testing
