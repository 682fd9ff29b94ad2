// Reading whole documents through the public API, with the real Tesseract.
#include "quire/capture/capture.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::Encode;
using testing::SampleDoc;
using testing::SharedCapturer;

const OcrWord* FindWord(const PageText& page, const std::string& text) {
  for (const OcrWord& word : page.words) {
    if (word.text == text) return &word;
  }
  return nullptr;
}

TEST_CASE("a clean scanned invoice is read with words, boxes and confidences") {
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc("invoice-en-01.png"));
  REQUIRE(doc.ok());
  CHECK(doc->format == "png");
  REQUIRE(doc->pages.size() == 1);
  const PageText& page = doc->pages[0];
  CHECK(page.error.empty());
  CHECK(page.source == TextSource::kOcr);
  CHECK(page.width == 2550);
  CHECK(page.rotation == 0);
  CHECK(Contains(page.text, "Brightline Office Supply"));
  CHECK(Contains(page.text, "INV-2024-0387"));
  CHECK(Contains(page.text, "Harborview Dental Group"));
  REQUIRE(!page.words.empty());
  for (const OcrWord& word : page.words) {
    CHECK(!word.box.empty());
    CHECK(word.box.right() <= page.width);
    CHECK(word.box.bottom() <= page.height);
    CHECK(word.conf >= 0);
    CHECK(word.conf <= 100);
  }

  SECTION("its text joins words by spaces, lines by newlines and blocks by an empty line") {
    std::string expected;
    for (size_t i = 0; i < page.words.size(); ++i) {
      if (i > 0) {
        const OcrWord& before = page.words[i - 1];
        const OcrWord& word = page.words[i];
        expected += word.block != before.block ? "\n\n" : word.line != before.line ? "\n" : " ";
      }
      expected += page.words[i].text;
    }
    CHECK(page.text == expected);
    CHECK(page.words.back().block > 0);
  }
}

TEST_CASE("the words of a PDF text layer are taken as they are, at the render resolution") {
  Result<CapturedDocument> text_layer =
      SharedCapturer().Capture(SampleDoc("invoice-de-01-text.pdf"));
  REQUIRE(text_layer.ok());
  CHECK(text_layer->format == "pdf");
  REQUIRE(text_layer->pages.size() == 1);
  const PageText& page = text_layer->pages[0];
  CHECK(page.source == TextSource::kTextLayer);
  CHECK(page.width == 2480);  // A4 at 300 dpi
  CHECK(page.height == 3508);
  CHECK(page.dpi == 300);
  CHECK(Contains(page.text, "Rechnung Nr. RE-2024-0147"));
  CHECK(Contains(page.text, "Bäckerei Schneider KG"));
  for (const OcrWord& word : page.words) {
    CHECK(word.conf == 100);
    CHECK(word.alternatives.empty());
  }

  SECTION("its boxes are where OCR finds the same words on the same page as an image") {
    Result<CapturedDocument> scan = SharedCapturer().Capture(SampleDoc("invoice-de-01.png"));
    REQUIRE(scan.ok());
    // A word printed once on the page, so both find the same one.
    const OcrWord* from_text = FindWord(page, "Nettobetrag");
    const OcrWord* from_ocr = FindWord(scan->pages[0], "Nettobetrag");
    REQUIRE(from_text != nullptr);
    REQUIRE(from_ocr != nullptr);
    CHECK(std::abs(from_text->box.x - from_ocr->box.x) <= 8);
    CHECK(std::abs(from_text->box.y - from_ocr->box.y) <= 8);
    CHECK(std::abs(from_text->box.right() - from_ocr->box.right()) <= 8);
  }
}

TEST_CASE("a degraded scan's unsure words carry the other readings OCR found likely") {
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc("invoice-de-02-q20.jpg"));
  REQUIRE(doc.ok());
  int with_alternatives = 0;
  for (const OcrWord& word : doc->pages[0].words) {
    if (word.alternatives.empty()) continue;
    ++with_alternatives;
    CHECK(word.alternatives.size() <= 3);
    for (const std::string& reading : word.alternatives) {
      CHECK(reading != word.text);
      CHECK(reading.size() + 4 >= word.text.size());  // a character or two read otherwise
    }
  }
  CHECK(with_alternatives > 0);
  // The word the recognizer is surest of has none.
  const auto surest =
      std::max_element(doc->pages[0].words.begin(), doc->pages[0].words.end(),
                       [](const OcrWord& a, const OcrWord& b) { return a.conf < b.conf; });
  REQUIRE(surest != doc->pages[0].words.end());
  CHECK(surest->alternatives.empty());
}

TEST_CASE("a scanned PDF page is rendered and read") {
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc("form-01-scan.pdf"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  CHECK(doc->pages[0].source == TextSource::kOcr);
  CHECK(doc->pages[0].dpi == 300);
  CHECK(Contains(doc->pages[0].text, "Policy"));
}

TEST_CASE("every page of a multi-page TIFF is read, and progress is reported per page") {
  std::vector<int> reported;
  std::mutex mutex;
  Result<CapturedDocument> doc =
      SharedCapturer().Capture(SampleDoc("invoice-en-03-fax.tif"), [&](int done, int total) {
        std::lock_guard<std::mutex> lock(mutex);
        CHECK(total == 2);
        reported.push_back(done);
      });
  REQUIRE(doc.ok());
  CHECK(doc->format == "tiff");
  REQUIRE(doc->pages.size() == 2);
  CHECK(Contains(doc->pages[0].text, "Cascade Network Solutions"));
  CHECK(Contains(doc->pages[1].text, "Page 2 of 2"));
  std::sort(reported.begin(), reported.end());
  CHECK(reported == std::vector<int>{1, 2});
}

TEST_CASE("several documents can be captured at once on the shared workers") {
  cv::Mat page = testing::TextPage();
  std::string png = Encode(page, ".png");
  std::string jpeg = Encode(page, ".jpg");
  std::vector<Result<CapturedDocument>> results(3, Status::Internal("not run"));
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) {
    callers.emplace_back([&, i] { results[i] = SharedCapturer().Capture(i == 1 ? jpeg : png); });
  }
  for (std::thread& caller : callers) caller.join();
  for (const Result<CapturedDocument>& doc : results) {
    REQUIRE(doc.ok());
    CHECK(Contains(doc->pages[0].text, "quick brown fox"));
  }
  CHECK(results[1]->format == "jpeg");
}

TEST_CASE("without cleanup the page is read as it is") {
  CaptureOptions options;
  options.cleanup = false;
  options.jobs = 1;
  Result<std::unique_ptr<Capturer>> raw = Capturer::Create(options);
  REQUIRE(raw.ok());
  CHECK((*raw)->jobs() == 1);
  Result<CapturedDocument> doc = (*raw)->Capture(Encode(testing::TextPage(), ".png"));
  REQUIRE(doc.ok());
  CHECK(Contains(doc->pages[0].text, "quick brown fox"));
}

TEST_CASE("with a debug folder, the image after each cleanup step is written there") {
  const std::vector<std::string> written =
      testing::DebugImages(testing::Tilt(testing::TextPage(), 2.0));
  REQUIRE(written.size() >= 2);
  CHECK(written.front() == "001-1-background.png");
  CHECK(written.back().ends_with("-scale.png"));  // levelled
}

TEST_CASE("a missing language names the package to install") {
  CaptureOptions options;
  options.language = "xyz";
  Result<std::unique_ptr<Capturer>> capturer = Capturer::Create(options);
  REQUIRE(!capturer.ok());
  CHECK(Contains(capturer.status().message(), "tesseract-ocr-xyz"));
}

}  // namespace
}  // namespace quire::capture
