// Blocks printed side by side, read again one side at a time (capture/src/side_by_side.h).
#include "side_by_side.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "page_layout.h"
#include "quire/capture/capture.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::SampleDoc;
using testing::SharedCapturer;

OcrWord Word(const std::string& text, int x, int y, float conf, int line = 0) {
  OcrWord word;
  word.text = text;
  word.box = Box{x, y, 40 * static_cast<int>(text.size()), 30};
  word.conf = conf;
  word.line = line;
  return word;
}

// Reads what is printed inside the part of the page it is handed: the words of `printed` (in page
// pixels) that lie wholly inside it, one line for each height, in the part's own pixels.
class PrintedPageEngine : public OcrEngine {
 public:
  explicit PrintedPageEngine(std::vector<OcrWord> printed) : printed_(std::move(printed)) {}

  Result<std::vector<OcrWord>> Recognize(const cv::Mat& image, int) override {
    cv::Size page;
    cv::Point offset;
    image.locateROI(page, offset);
    std::vector<OcrWord> read;
    for (const OcrWord& word : printed_) {
      const Box& box = word.box;
      if (box.x < offset.x || box.y < offset.y || box.right() > offset.x + image.cols ||
          box.bottom() > offset.y + image.rows) {
        continue;
      }
      read.push_back(word);
      read.back().box.x -= offset.x;
      read.back().box.y -= offset.y;
    }
    std::sort(read.begin(), read.end(), [](const OcrWord& a, const OcrWord& b) {
      return std::pair(a.box.y, a.box.x) < std::pair(b.box.y, b.box.x);
    });
    for (size_t i = 0; i < read.size(); ++i) {
      read[i].line = i == 0 ? 0 : read[i - 1].line + (read[i].box.y != read[i - 1].box.y);
    }
    return read;
  }

 private:
  std::vector<OcrWord> printed_;
};

cv::Mat WhitePage() { return cv::Mat(1000, 2400, CV_8UC1, cv::Scalar(255)); }

TEST_CASE("a letterhead beside the invoice's details is read block by block") {
  // Printed: three address lines on the left, two detail lines on the right between their heights.
  PrintedPageEngine engine({Word("Unit", 100, 190, 95), Word("4", 300, 190, 95),
                            Word("Sowerby", 100, 250, 95), Word("Bridge", 420, 250, 95),
                            Word("HX6", 100, 310, 95), Word("Number:", 1400, 215, 95),
                            Word("PJ-10423", 1750, 215, 95), Word("Date:", 1400, 275, 95),
                            Word("14.03.2024", 1650, 275, 95)});
  // Read as one column, the two sides' lines were joined and misread, and HX6 dropped.
  std::vector<OcrWord> words = {
      Word("Pennine", 100, 100, 95, 0),    Word("Umit", 100, 200, 30, 1),
      Word("Nunber:", 1400, 200, 40, 1),   Word("Sowerby", 100, 260, 90, 2),
      Word("Bridge", 420, 260, 90, 2),     Word("Date:", 1400, 260, 60, 2),
      Word("14.03.2024", 1650, 260, 60, 2)};
  RereadSideBySide(WhitePage(), 300, engine, words);
  CHECK(JoinWords(words) ==
        "Pennine\n\nUnit 4\nSowerby Bridge\nHX6\n\nNumber: PJ-10423\nDate: 14.03.2024");
}

TEST_CASE("labels and their amounts read again stay on their rows") {
  PrintedPageEngine engine({Word("TOTAL", 100, 500, 95), Word("8.11", 1500, 500, 95),
                            Word("CASH", 100, 540, 95), Word("50.00", 1500, 540, 95)});
  std::vector<OcrWord> words = {Word("T0TAL", 100, 500, 30, 0), Word("8.1l", 1500, 500, 40, 0),
                                Word("CASH", 100, 540, 90, 1), Word("50.00", 1500, 540, 90, 1)};
  RereadSideBySide(WhitePage(), 300, engine, words);
  CHECK(JoinWords(words) == "TOTAL 8.11\nCASH 50.00");
}

TEST_CASE("a band that reads no better apart keeps its first reading") {
  PrintedPageEngine engine({Word("T0TAL", 100, 500, 20), Word("8.1l", 1500, 500, 20)});
  std::vector<OcrWord> words = {Word("TOTAL", 100, 500, 45, 0), Word("8.11", 1500, 500, 90, 0)};
  RereadSideBySide(WhitePage(), 300, engine, words);
  CHECK(JoinWords(words) == "TOTAL 8.11");
}

TEST_CASE("the real letterhead beside an invoice's number and dates is read whole") {
  // Tesseract's single-column reading dropped 'Unit 4, Calder Works' and 'Sowerby Bridge'.
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc("invoice-gb-01.png"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  const std::string& text = doc->pages[0].text;
  CHECK(Contains(text, "Unit 4, Calder Works\nSowerby Bridge\nHX6 2AB"));
  CHECK(Contains(text, "Invoice Number: PJ-10423"));
}

TEST_CASE(
    "a word read both in a band and on the line beside it is kept once in its surer reading") {
  // The band read again under form-03's date reached the signature line beside it, and both
  // readings were kept: "Datinnt cinnoatiirn:" over "Patient signature:".
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc("form-03.png"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  const PageText& page = doc->pages[0];
  CHECK(Contains(page.text, "Patient signature:"));
  const auto a_word = [](const OcrWord& w) { return w.text.size() >= 3; };
  for (size_t i = 0; i < page.words.size(); ++i) {
    for (size_t j = i + 1; j < page.words.size(); ++j) {
      const OcrWord &a = page.words[i], &b = page.words[j];
      if (a.line == b.line || !a_word(a) || !a_word(b)) continue;
      INFO(a.text << " and " << b.text);
      CHECK_FALSE(a.box.OverlapsMostly(b.box));
    }
  }
}

}  // namespace
}  // namespace quire::capture
