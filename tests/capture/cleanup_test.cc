// Page cleanup as a user sees it: turned and tilted pages read upright, and boxes that land on
// the page as it was handed in.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "quire/capture/capture.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::Encode;
using testing::SampleDoc;
using testing::SharedCapturer;

PageText ReadOnePage(const std::string& bytes) {
  Result<CapturedDocument> doc = SharedCapturer().Capture(bytes, "page");
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  CHECK(doc->pages[0].error.empty());
  return doc->pages[0];
}

bool BoxHolds(const Box& box, cv::Point2d point) {
  return point.x >= box.x && point.x <= box.right() && point.y >= box.y && point.y <= box.bottom();
}

TEST_CASE("a page turned a quarter clockwise is turned back and read") {
  PageText page = ReadOnePage(SampleDoc("invoice-en-01-rot90.png"));
  CHECK(page.rotation == 270);
  CHECK(page.width == 3300);
  CHECK(Contains(page.text, "Brightline Office Supply"));
}

TEST_CASE("an upside-down page is turned and read") {
  PageText page = ReadOnePage(SampleDoc("invoice-de-02-rot180.png"));
  CHECK(page.rotation == 180);
  CHECK(Contains(page.text, "Rechnung"));
}

TEST_CASE("the skew of a tilted page is measured within 0.2 degrees") {
  double degrees = GENERATE(3.0, -1.5);
  PageText page = ReadOnePage(Encode(testing::Tilt(testing::TextPage(), degrees), ".png"));
  CHECK(page.skew == Approx(degrees).margin(0.2));
  CHECK(Contains(page.text, "quick brown fox"));
}

TEST_CASE("a scanned page skewed by -3 degrees is measured and read") {
  PageText page = ReadOnePage(SampleDoc("invoice-en-02-skew.jpg"));
  CHECK(page.skew == Approx(-3.0).margin(0.2));
}

TEST_CASE("word boxes land on the page as it was handed in") {
  // TextPage tilted by 2 degrees, then turned a quarter clockwise: cleanup turns it back and
  // levels it, and every box must be mapped back through both.
  cv::Mat page = testing::TextPage();
  cv::Point2f centre(page.cols / 2.0f, page.rows / 2.0f);
  cv::Matx23d tilt(cv::getRotationMatrix2D(centre, 2.0, 1.0));
  cv::Mat turned;
  cv::rotate(testing::Tilt(page, 2.0), turned, cv::ROTATE_90_CLOCKWISE);
  auto where_printed = [&](int line, int word) {
    cv::Vec2d tilted =
        tilt * cv::Vec3d(testing::WordCentre(line, word).x, testing::WordCentre(line, word).y, 1);
    return cv::Point2d(page.rows - 1 - tilted[1], tilted[0]);  // turned clockwise
  };

  PageText read = ReadOnePage(Encode(turned, ".png"));
  CHECK(read.rotation == 270);
  CHECK(read.width == turned.cols);
  int checked = 0;
  for (const OcrWord& word : read.words) {
    for (auto [line, index, text] :
         {std::tuple(2, 1, "quick"), std::tuple(0, 0, "INVOICE"), std::tuple(5, 7, "trust")}) {
      if (word.text != text) continue;
      INFO(text << " at " << word.box.x << "," << word.box.y << " " << word.box.w << "x"
                << word.box.h);
      CHECK(BoxHolds(word.box, where_printed(line, index)));
      CHECK(word.box.h > word.box.w);  // the page is on its side
      ++checked;
    }
  }
  CHECK(checked == 3);
}

TEST_CASE("a page at 150 dpi is read, with boxes on the 150 dpi image") {
  PageText page = ReadOnePage(SampleDoc("invoice-en-02-150dpi.png"));
  CHECK(page.width == 1275);
  CHECK(Contains(page.text, "Lone Star Audio Visual"));
  CHECK(Contains(page.text, "Cedar Park Events Inc."));
  for (const OcrWord& word : page.words) {
    CHECK(word.box.right() <= 1275);
    CHECK(word.box.bottom() <= 1650);
  }
}

TEST_CASE("a blank page is reported blank and not read") {
  // A scanned blank sheet: paper grain, a little shading and a few specks of dust.
  cv::Mat sheet(3508, 2480, CV_8UC1);
  cv::randn(sheet, 235, 6);
  for (int y = 0; y < sheet.rows; ++y) sheet.row(y) -= y / 200;
  for (int i = 0; i < 30; ++i) {
    cv::circle(sheet, cv::Point(80 * i + 40, 97 * i % 3400 + 50), 2, cv::Scalar(40), -1);
  }
  PageText page = ReadOnePage(Encode(sheet, ".png"));
  CHECK(page.blank);
  CHECK(page.text.empty());
  CHECK(page.words.empty());
}

}  // namespace
}  // namespace quire::capture
