// Figures read again from the page image, alone (OpenRegionReader), with the real Tesseract; and
// extraction that takes them where the page's first reading got a figure wrong.
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "quire/capture/capture.h"
#include "quire/extract/extract.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using Charset = RegionReader::Charset;
using testing::Contains;
using testing::SampleDoc;
using testing::SharedCapturer;

std::vector<PageText> Read(const std::string& bytes) {
  Result<CapturedDocument> doc = SharedCapturer().Capture(bytes);
  REQUIRE(doc.ok());
  return std::move(doc->pages);
}

// The extractor of receipt-01's tests, whose date is before its "today".
std::unique_ptr<extract::Extractor> MakeExtractor() {
  extract::ExtractOptions options;
  options.today = "2024-06-01";
  Result<std::unique_ptr<extract::Extractor>> extractor = extract::Extractor::Create(options);
  REQUIRE(extractor.ok());
  return std::move(*extractor);
}

OcrWord* FindWord(std::vector<PageText>& pages, const std::string& text) {
  for (OcrWord& word : pages[0].words) {
    if (word.text == text) return &word;
  }
  FAIL("the page has no word " << text);
  return nullptr;
}

TEST_CASE("a figure read again alone reads as printed, on a page upright or turned") {
  struct Figure {
    std::string file, word, printed;
    Charset charset;
  };
  const Figure figure =
      GENERATE(Figure{"invoice-en-01.png", "$1,658.31", "1,658.31", Charset::kAmount},
               Figure{"invoice-en-01-rot90.png", "03/14/2024", "03/14/2024", Charset::kDate},
               Figure{"invoice-de-02-rot180.png", "803,13", "803,13", Charset::kAmount},
               Figure{"invoice-de-02-rot180.png", "05.04.2024", "05.04.2024", Charset::kDate});
  INFO(figure.file << ": " << figure.word);
  const std::string bytes = SampleDoc(figure.file);
  std::vector<PageText> pages = Read(bytes);
  const Box box = FindWord(pages, figure.word)->box;
  const std::unique_ptr<RegionReader> images = OpenRegionReader(bytes, pages, CaptureOptions());

  const std::vector<RegionReader::Reading> readings = images->Read(0, box, figure.charset, {});
  REQUIRE(readings.size() == 3);  // one for each rendering
  for (const RegionReader::Reading& reading : readings) {
    CHECK(Contains(reading.text, figure.printed));
    CHECK(reading.conf > 50);
  }
  // Told that one reading settles it, the reader reads one rendering.
  const auto one_is_enough = [](const std::vector<RegionReader::Reading>&) { return true; };
  CHECK(images->Read(0, box, figure.charset, one_is_enough).size() == 1);
  // Nothing to read: no such page, no box.
  CHECK(images->Read(1, box, figure.charset, {}).empty());
  CHECK(images->Read(0, Box{}, figure.charset, {}).empty());
}

TEST_CASE("a date's line read again leaves out the print of the lines above and below") {
  // A receipt's date line with a dashed rule close under it, and its box as a line's box may be:
  // taller than its print, taking in the foot of the phone number above and the rule below.
  const std::string receipt = SampleDoc("receipt-01.png");
  std::vector<PageText> printed = Read(receipt);
  const Box date = FindWord(printed, "03/14/2024")->box;
  cv::Mat image = cv::imdecode(
      cv::Mat(1, static_cast<int>(receipt.size()), CV_8UC1, const_cast<char*>(receipt.data())),
      cv::IMREAD_GRAYSCALE);
  const int rule = date.bottom() + date.h / 3;
  for (int x = date.x; x < image.cols - date.x; x += 24) {
    cv::line(image, {x, rule}, {x + 14, rule}, cv::Scalar(0), 3);
  }
  const std::string bytes = testing::Encode(image, ".png");
  std::vector<PageText> pages = Read(bytes);
  const Box line{date.x, date.y - date.h, image.cols - 2 * date.x, 2 * date.h + date.h / 2};
  const std::unique_ptr<RegionReader> images = OpenRegionReader(bytes, pages, CaptureOptions());

  const std::vector<RegionReader::Reading> readings = images->Read(0, line, Charset::kDateLine, {});
  REQUIRE(readings.size() == 3);
  for (const RegionReader::Reading& reading : readings) {
    INFO(reading.text);
    CHECK(Contains(reading.text, "03/14/2024"));
  }
}

TEST_CASE("a page capture kept is read again as it was cleaned, without decoding the file") {
  const auto [file, word] =
      GENERATE(std::pair<std::string, std::string>{"receipt-01.png", "46.60"},
               std::pair<std::string, std::string>{"invoice-de-02-rot180.png", "803,13"});
  INFO(file);
  Result<CapturedDocument> doc = SharedCapturer().Capture(SampleDoc(file));
  REQUIRE(doc.ok());
  REQUIRE(doc->cleaned != nullptr);
  const Box box = FindWord(doc->pages, word)->box;

  // No file to decode: only the kept page can be read, turned upright as capture read it.
  const std::unique_ptr<RegionReader> kept =
      OpenRegionReader("", doc->pages, CaptureOptions(), doc->cleaned);
  const std::vector<RegionReader::Reading> readings = kept->Read(0, box, Charset::kAmount, {});
  REQUIRE(readings.size() == 3);
  for (const RegionReader::Reading& reading : readings) CHECK(Contains(reading.text, word));
  CHECK(OpenRegionReader("", doc->pages, CaptureOptions())
            ->Read(0, box, Charset::kAmount, {})
            .empty());
}

TEST_CASE("a total and a date misread on the page are read right again from the image") {
  const std::string bytes = SampleDoc("receipt-01.png");
  std::vector<PageText> pages = Read(bytes);
  // What OCR makes of worse print: a 0 read as 8, a 3 as 8.
  FindWord(pages, "$46.60")->text = "$46.68";
  FindWord(pages, "46.60")->text = "46.68";
  FindWord(pages, "03/14/2024")->text = "08/14/2024";

  const std::unique_ptr<extract::Extractor> extractor = MakeExtractor();
  const Extraction first = extractor->Extract(pages);
  REQUIRE(first.fields.at("total").value == "46.68");
  REQUIRE(first.fields.at("invoice_date").value == "2024-08-14");

  const std::unique_ptr<RegionReader> images = OpenRegionReader(bytes, pages, CaptureOptions());
  const Extraction again = extractor->Extract(pages, images.get());
  CHECK(again.fields.at("total").value == "46.60");
  CHECK(again.fields.at("invoice_date").value == "2024-03-14");
  // Two readings disagreed on each: neither is sure.
  CHECK(again.fields.at("total").confidence < 0.6);         // a person looks
  CHECK(again.fields.at("invoice_date").confidence < 0.6);  // a person looks
  // The other fields are extracted as from the first reading.
  CHECK(again.fields.at("vendor_name").value == first.fields.at("vendor_name").value);
  CHECK(again.fields.at("subtotal").value == "45.62");

  SECTION("without the image, the misread figures stay") {
    const Extraction without = extractor->Extract(pages, nullptr);
    CHECK(without.fields.at("total").value == "46.68");
    CHECK(without.fields.at("invoice_date").value == "2024-08-14");
  }
}

TEST_CASE("a vendor's name and address misread on the page are read right again from the image") {
  const std::string bytes = SampleDoc("receipt-01.png");
  std::vector<PageText> pages = Read(bytes);
  // What OCR makes of worse print: "rn" for "m", "P" for "F", read as surely as the rest.
  for (auto [printed, misread] : {std::pair{"Camino", "Carnino"}, {"FRESH", "PRESH"}}) {
    OcrWord* word = FindWord(pages, printed);
    word->text = misread;
    word->conf = 92;
  }
  const std::unique_ptr<extract::Extractor> extractor = MakeExtractor();
  const Extraction first = extractor->Extract(pages);
  REQUIRE(first.fields.at("vendor_name").value == "PRESH MARKET");
  REQUIRE(first.fields.at("vendor_address").value == "3120 El Carnino Real Palo Alto, CA 94306");

  const std::unique_ptr<RegionReader> images = OpenRegionReader(bytes, pages, CaptureOptions());
  const Extraction again = extractor->Extract(pages, images.get());
  CHECK(again.fields.at("vendor_name").value == "FRESH MARKET");
  CHECK(again.fields.at("vendor_address").value == "3120 El Camino Real Palo Alto, CA 94306");
}

}  // namespace
}  // namespace quire::capture
