// Batch separation: barcodes read on pages, stacks split at separator sheets, pages copied into
// documents of their own.
#include "quire/capture/separation.h"

#include <leptonica/allheaders.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "temp_dir.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Encode;
using testing::SampleDoc;
using testing::SharedCapturer;
using Pages = std::vector<int>;

PageText Page(bool blank = false, std::vector<std::string> barcodes = {}) {
  PageText page;
  page.blank = blank;
  page.barcodes = std::move(barcodes);
  return page;
}

Separation Parse(const std::string& spec, const std::string& code = "") {
  Result<Separation> separation = ParseSeparation(spec, code);
  REQUIRE(separation.ok());
  return *separation;
}

TEST_CASE("separation is written blank, barcode or pages:N") {
  CHECK(Parse("blank").kind == Separation::Kind::kBlank);
  CHECK(Parse("barcode").code == "QUIRE-SEP");
  CHECK(Parse("barcode", "NEXT").code == "NEXT");
  CHECK(Parse("pages:3").every == 3);
  for (const char* bad : {"pages:0", "pages:", "pages:2x", "pages:-1", "blanks", ""}) {
    INFO(bad);
    Result<Separation> separation = ParseSeparation(bad);
    REQUIRE(!separation.ok());
    CHECK(separation.status().message().find("pages:N") != std::string::npos);
  }
}

TEST_CASE("a stack is split at separator sheets, which are dropped") {
  const PageText text = Page(), blank = Page(true), code = Page(false, {"INV-1", "QUIRE-SEP"});
  SECTION("blank") {
    CHECK(SplitStack({text, text, blank, text, blank, blank, text, blank}, Parse("blank")) ==
          std::vector<Pages>{{0, 1}, {3}, {6}});
  }
  SECTION("barcode: a blank page is kept, a page with another code too") {
    CHECK(SplitStack({text, blank, code, Page(false, {"QUIRE-SEP2"}), code}, Parse("barcode")) ==
          std::vector<Pages>{{0, 1}, {3}});
  }
  SECTION("barcode with the site's own code") {
    CHECK(SplitStack({text, code, text, Page(false, {"NEXT"}), text}, Parse("barcode", "NEXT")) ==
          std::vector<Pages>{{0, 1, 2}, {4}});
  }
  SECTION("every N pages") {
    CHECK(SplitStack({text, blank, text, text, text}, Parse("pages:2")) ==
          std::vector<Pages>{{0, 1}, {2, 3}, {4}});
  }
  SECTION("a page that could not be read is never taken for a separator") {
    PageText unread = blank;
    unread.error = "the page could not be read";
    CHECK(SplitStack({text, unread, text}, Parse("blank")) == std::vector<Pages>{{0, 1, 2}});
  }
  SECTION("separators only: no document") {
    CHECK(SplitStack({blank, blank}, Parse("blank")).empty());
  }
}

TEST_CASE("duplex: a sheet is a separator when both sides are blank, or one side has the code") {
  Separation blank_sheets = Parse("blank");
  blank_sheets.duplex = true;
  const PageText text = Page(), blank = Page(true), code = Page(false, {"QUIRE-SEP"});
  // Sheet 1: text / blank back (kept), sheet 2: blank / blank (separator), sheet 3: text / text.
  CHECK(SplitStack({text, blank, blank, blank, text, text}, blank_sheets) ==
        std::vector<Pages>{{0, 1}, {4, 5}});
  Separation code_sheets = Parse("barcode");
  code_sheets.duplex = true;
  // The code on the back of sheet 2 drops the whole sheet.
  CHECK(SplitStack({text, text, blank, code, text}, code_sheets) ==
        std::vector<Pages>{{0, 1}, {4}});
}

TEST_CASE("the splitter hands over each document as soon as its separator is read") {
  StackSplitter splitter(Parse("blank"));
  CHECK(!splitter.Add(Page()).has_value());
  CHECK(!splitter.Add(Page()).has_value());
  CHECK(splitter.Add(Page(true)) == Pages{0, 1});
  CHECK(!splitter.Add(Page()).has_value());
  CHECK(splitter.Finish() == Pages{3});
  CHECK(splitter.separator_pages() == 1);
}

// Prints on `page` at (x, y) the barcode zint makes of `text` (zint's type numbers: 58 QR, 71
// Data Matrix, 20 Code 128).
void PrintCode(cv::Mat& page, const std::string& text, int zint_type, int x, int y) {
  quire::testing::TempDir dir;
  const std::string png = dir.Sub("code.png");
  const std::string command = "zint -b " + std::to_string(zint_type) + " --scale=6 -d '" + text +
                              "' -o " + png + " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  cv::Mat code = cv::imread(png, cv::IMREAD_GRAYSCALE);
  REQUIRE(!code.empty());
  code.copyTo(page(cv::Rect(x, y, code.cols, code.rows)));
}

TEST_CASE("barcodes on a page are read: QR, Data Matrix and Code 128, anywhere on the page") {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));  // A4 at 300 dpi
  PrintCode(page, "ASN00042", 71, 150, 150);           // Data Matrix, top left corner
  PrintCode(page, "QUIRE-SEP", 58, 1900, 1600);
  PrintCode(page, "PO-7781", 20, 300, 2700);
  Result<CapturedDocument> doc = SharedCapturer().Capture(Encode(page, ".png"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  CHECK(doc->pages[0].barcodes == std::vector<std::string>{"ASN00042", "QUIRE-SEP", "PO-7781"});
}

// An A4 sheet at 300 dpi with a patch code whose bars are wide where `wide` says '1' (patch T:
// "0101"), printed to size: bars of 0.08 in and 0.20 in, 0.08 in apart, 2.5 in long.
cv::Mat PatchSheet(const std::string& wide) {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  int x = 1000;
  for (char bar : wide) {
    const int width = bar == '1' ? 60 : 24;
    cv::rectangle(page, cv::Rect(x, 200, width, 750), cv::Scalar(0), cv::FILLED);
    x += width + 24;
  }
  return page;
}

// The page `file` (its bytes) as capture reads it.
PageText ReadOnePage(const std::string& file) {
  Result<CapturedDocument> doc = SharedCapturer().Capture(file);
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  return doc->pages[0];
}

std::vector<std::string> BarcodesOn(const cv::Mat& page) {
  return ReadOnePage(Encode(page, ".png")).barcodes;
}

TEST_CASE("patch codes are read, upright or fed sideways, and a patch T sheet separates") {
  const cv::Mat patch_t = PatchSheet("0101");
  CHECK(BarcodesOn(patch_t) == std::vector<std::string>{"PATCH-T"});
  cv::Mat sideways;
  cv::rotate(patch_t, sideways, cv::ROTATE_90_CLOCKWISE);
  CHECK(BarcodesOn(sideways) == std::vector<std::string>{"PATCH-T"});
  CHECK(BarcodesOn(PatchSheet("1001")) == std::vector<std::string>{"PATCH-2"});
  // Patch 3 is patch T backwards: not a separator.
  CHECK(BarcodesOn(PatchSheet("1010")) == std::vector<std::string>{"PATCH-3"});
  // Four bars of one width are no patch; nor is a page of print.
  CHECK(BarcodesOn(PatchSheet("0000")).empty());
  CHECK(ReadOnePage(SampleDoc("invoice-en-01.png")).barcodes.empty());

  // A stack: a page, the patch T sheet, a page, patch 3, a page.
  const std::vector<PageText> stack = {
      ReadOnePage(SampleDoc("letter-01.png")), ReadOnePage(Encode(patch_t, ".png")),
      ReadOnePage(SampleDoc("receipt-01.png")), ReadOnePage(Encode(PatchSheet("1010"), ".png")),
      ReadOnePage(SampleDoc("form-01.png"))};
  // A linear barcode's bars are no patch code: the receipt's is not.
  CHECK(stack[2].barcodes == std::vector<std::string>{});
  CHECK(SplitStack(stack, Parse("barcode")) == std::vector<Pages>{{0}, {2, 3, 4}});
}

TEST_CASE("pages of a PDF or TIFF are copied into a file of their own, the same way each time") {
  SECTION("PDF") {
    const std::string pdf = SampleDoc("invoice-en-03-scan.pdf");
    Result<PagesFile> second = CopyPages(pdf, {1});
    REQUIRE(second.ok());
    CHECK(second->format == "pdf");
    Result<CapturedDocument> doc = SharedCapturer().Capture(second->bytes);
    REQUIRE(doc.ok());
    CHECK(doc->pages.size() == 1);
    Result<PagesFile> again = CopyPages(pdf, {1});
    REQUIRE(again.ok());
    CHECK(again->bytes == second->bytes);
    CHECK(second->bytes.size() < pdf.size() * 3 / 4);  // the other page's image is left out
    CHECK(!CopyPages(pdf, {2}).ok());
  }
  SECTION("TIFF") {
    const std::string tiff = SampleDoc("invoice-en-03.tif");
    Result<PagesFile> first = CopyPages(tiff, {0});
    REQUIRE(first.ok());
    CHECK(first->format == "tiff");
    Result<CapturedDocument> doc = SharedCapturer().Capture(first->bytes);
    REQUIRE(doc.ok());
    REQUIRE(doc->pages.size() == 1);
    CHECK(testing::Contains(doc->pages[0].text, "Cascade"));
    CHECK(CopyPages(tiff, {0})->bytes == first->bytes);
    CHECK(!CopyPages(tiff, {5}).ok());
  }
  SECTION("a single image has no pages to copy") {
    CHECK(!CopyPages(SampleDoc("invoice-en-01.png"), {0}).ok());
  }
}

}  // namespace
}  // namespace quire::capture

namespace quire::capture {
namespace {

TEST_CASE("a scanned page turned at the station keeps its words on their pixels") {
  // 3x2 grey: the word's pixel (2, 0) is the only dark one.
  RawPage raw{3, 2, 1, 300, std::string("\xff\xff\x00\xff\xff\xff", 6)};
  PageText text;
  text.width = 3;
  text.height = 2;
  text.rotation = 90;
  text.words.push_back({"x", {2, 0, 1, 1}, 90, 0, 0});
  RawPage turned = raw;
  PageText turned_text = text;
  TurnScannedPage(90, turned, turned_text);
  CHECK(turned.width == 2);
  CHECK(turned.height == 3);
  CHECK(turned_text.width == 2);
  CHECK(turned_text.rotation == 0);
  const Box& box = turned_text.words[0].box;
  CHECK(box == Box{1, 2, 1, 1});
  CHECK(turned.pixels[static_cast<size_t>(box.y) * turned.width + box.x] == '\x00');
  // Turned back, it is as scanned.
  TurnScannedPage(270, turned, turned_text);
  CHECK(turned.pixels == raw.pixels);
  CHECK(turned_text.words[0].box == text.words[0].box);
  CHECK(turned_text.rotation == 90);
  TurnScannedPage(180, turned, turned_text);
  CHECK(turned_text.words[0].box == Box{0, 1, 1, 1});
  CHECK(turned.pixels[3] == '\x00');
}

}  // namespace
}  // namespace quire::capture

namespace quire::capture {
namespace {

struct PixFree {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};

// Page `index` of the TIFF `tiff` as a scanner's page, with its description.
std::pair<RawPage, std::string> ReadTiffPage(const std::string& tiff, int index) {
  std::unique_ptr<Pix, PixFree> pix(
      pixReadMemTiff(reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size(), index));
  REQUIRE(pix != nullptr);
  RawPage page{static_cast<int>(pixGetWidth(pix.get())), static_cast<int>(pixGetHeight(pix.get())),
               pixGetDepth(pix.get()) == 8 ? 1 : 3, static_cast<int>(pixGetXRes(pix.get())), ""};
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      l_uint32 value = 0;
      pixGetPixel(pix.get(), x, y, &value);
      if (page.channels == 1) {
        page.pixels.push_back(static_cast<char>(value));
      } else {
        l_int32 r = 0, g = 0, b = 0;
        extractRGBValues(value, &r, &g, &b);
        page.pixels += {static_cast<char>(r), static_cast<char>(g), static_cast<char>(b)};
      }
    }
  }
  const char* text = pixGetText(pix.get());
  return {page, text == nullptr ? "" : text};
}

RawPage Noise(int width, int height, int channels, int dpi, unsigned seed) {
  RawPage page{width, height, channels, dpi, ""};
  for (int i = 0; i < width * height * channels; ++i) {
    seed = seed * 1103515245 + 12345;
    page.pixels.push_back(static_cast<char>(seed >> 16));
  }
  return page;
}

TEST_CASE("scanned pages encoded one by one and joined keep every pixel and description") {
  const RawPage grey = Noise(37, 21, 1, 300, 1);
  const RawPage rgb = Noise(20, 33, 3, 200, 2);
  Result<std::string> first = EncodeTiffPage(grey, "scan test:0 page 1");
  Result<std::string> second = EncodeTiffPage(rgb, "scan test:0 page 2");
  // A multi-page file joins as its pages.
  Result<std::string> two = EncodeTiff({rgb, grey}, "stack");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(two.ok());
  Result<std::string> joined = JoinTiffs({*first, *second, *two});
  REQUIRE(joined.ok());
  Pixa* all =
      pixaReadMemMultipageTiff(reinterpret_cast<const l_uint8*>(joined->data()), joined->size());
  REQUIRE(all != nullptr);
  CHECK(pixaGetCount(all) == 4);
  pixaDestroy(&all);
  const std::vector<std::pair<const RawPage*, std::string>> expected = {
      {&grey, "scan test:0 page 1"},
      {&rgb, "scan test:0 page 2"},
      {&rgb, "stack page 1"},
      {&grey, "stack page 2"}};
  for (int i = 0; i < 4; ++i) {
    INFO("page " << i + 1);
    const auto [page, description] = ReadTiffPage(*joined, i);
    CHECK(page.width == expected[i].first->width);
    CHECK(page.height == expected[i].first->height);
    CHECK(page.channels == expected[i].first->channels);
    CHECK(page.dpi == expected[i].first->dpi);
    CHECK(page.pixels == expected[i].first->pixels);
    CHECK(description == expected[i].second);
  }
  // Joining copies the pages' data: no bigger than their files together.
  CHECK(joined->size() <= first->size() + second->size() + two->size());
}

TEST_CASE("a scanned page kept as TIFF turns as its pixels would") {
  for (int channels : {1, 3}) {
    INFO(channels << " channels");
    const RawPage raw = Noise(5, 3, channels, 300, 4);
    Result<std::string> tiff = EncodeTiffPage(raw, "scan test:0 page 4");
    REQUIRE(tiff.ok());
    PageText text;
    text.width = 5;
    text.height = 3;
    text.words.push_back({"x", {4, 0, 1, 1}, 90, 0, 0});
    PageText turned_text = text;
    Result<std::string> turned = TurnTiffPage(90, *tiff, turned_text);
    REQUIRE(turned.ok());
    RawPage expected = raw;
    TurnScannedPage(90, expected, text);
    const auto [page, description] = ReadTiffPage(*turned, 0);
    CHECK(page.width == 3);
    CHECK(page.height == 5);
    CHECK(page.pixels == expected.pixels);
    CHECK(description == "scan test:0 page 4");
    CHECK(turned_text.words[0].box == text.words[0].box);
  }
  PageText text;
  CHECK(!TurnTiffPage(90, "not a TIFF", text).ok());
}

TEST_CASE("joining refuses what is not a whole TIFF") {
  Result<std::string> page = EncodeTiffPage(Noise(8, 8, 1, 300, 3), "page");
  REQUIRE(page.ok());
  CHECK(!JoinTiffs({}).ok());
  CHECK(!JoinTiffs({*page, "not a TIFF at all"}).ok());
  CHECK(!JoinTiffs({page->substr(0, 12)}).ok());
  // A page whose directory says the next page is itself: refused, not joined forever.
  REQUIRE(page->substr(0, 2) == "II");
  const auto number = [&](size_t at, int size) {
    uint32_t value = 0;
    for (int i = size - 1; i >= 0; --i) value = value << 8 | static_cast<uint8_t>((*page)[at + i]);
    return value;
  };
  const uint32_t directory = number(4, 4);
  std::string looping = *page;
  looping.replace(directory + 2 + 12 * number(directory, 2), 4, page->substr(4, 4));
  CHECK(!JoinTiffs({looping}).ok());
}

}  // namespace
}  // namespace quire::capture
