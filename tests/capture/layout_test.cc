// The reading order of recognised words (capture/src/page_layout.h).
#include <catch2/catch.hpp>

#include "page_layout.h"

namespace quire::capture {
namespace {

OcrWord Word(const std::string& text, int x, int y, int block, int line) {
  OcrWord word;
  word.text = text;
  word.box = Box{x, y, 40 * static_cast<int>(text.size()), 30};
  word.block = block;
  word.line = line;
  return word;
}

TEST_CASE("lines read out of place are put back in order from top to bottom") {
  // Tesseract read the receipt's footer block (y 900 and 940) right after its header.
  std::vector<OcrWord> words = {
      Word("SHOP", 100, 100, 0, 0),     Word("NAME", 300, 100, 0, 0),
      Word("18-10-17", 100, 900, 1, 1), Word("15:16", 500, 900, 1, 1),
      Word("OPERATOR", 100, 940, 1, 2), Word("CLOTH", 100, 300, 2, 3),
      Word("PEG", 400, 300, 2, 3),      Word("TOTAL", 100, 500, 2, 4),
  };
  OrderLinesTopToBottom(words);
  CHECK(JoinWords(words) == "SHOP NAME\n\nCLOTH PEG\nTOTAL\n\n18-10-17 15:16\nOPERATOR");
  for (size_t i = 1; i < words.size(); ++i) {
    CHECK(words[i].line >= words[i - 1].line);
    CHECK(words[i].block >= words[i - 1].block);
  }
}

TEST_CASE("lines already in order keep their order, words and blocks") {
  std::vector<OcrWord> words = {Word("one", 100, 100, 0, 0), Word("two", 300, 100, 0, 0),
                                Word("three", 100, 150, 0, 1), Word("four", 100, 400, 1, 2)};
  const std::string before = JoinWords(words);
  OrderLinesTopToBottom(words);
  CHECK(JoinWords(words) == before);
}

}  // namespace
}  // namespace quire::capture
