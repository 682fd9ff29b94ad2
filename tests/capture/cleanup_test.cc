// Page cleanup as a user sees it: turned and tilted pages read upright, and boxes that land on
// the page as it was handed in.
#include "cleanup.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "quire/capture/capture.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::DebugImages;
using testing::Encode;
using testing::SampleDoc;
using testing::SharedCapturer;

PageText ReadOnePage(const std::string& bytes) {
  Result<CapturedDocument> doc = SharedCapturer().Capture(bytes);
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  CHECK(doc->pages[0].error.empty());
  return doc->pages[0];
}

bool BoxHolds(const Box& box, cv::Point2d point) {
  return point.x >= box.x && point.x <= box.right() && point.y >= box.y && point.y <= box.bottom();
}

// Where a phone photo shows the corners of the page, clockwise from the top left: taken from
// below and a little to the left, so the top edge is shorter and the sides lean in.
const std::vector<cv::Point2f> kPhotographedCorners = {
    {420, 260}, {1580, 300}, {1880, 2500}, {120, 2460}};

// The homography from TextPage() onto kPhotographedCorners.
cv::Matx33d PhotoWarp() {
  cv::Mat page = testing::TextPage();
  std::vector<cv::Point2f> page_corners = {
      {0, 0}, {float(page.cols), 0}, {float(page.cols), float(page.rows)}, {0, float(page.rows)}};
  return cv::getPerspectiveTransform(page_corners, kPhotographedCorners);
}

// `page` laid on a dark, grainy table and photographed through `warp`: a 2000 x 2700 picture.
cv::Mat Photograph(const cv::Mat& page, const cv::Matx33d& warp) {
  cv::Mat photo(2700, 2000, CV_8UC1);
  cv::randn(photo, 70, 12);
  cv::warpPerspective(page, photo, warp, photo.size(), cv::INTER_AREA, cv::BORDER_TRANSPARENT);
  return photo;
}

bool WroteStep(const std::vector<std::string>& steps, const std::string& step) {
  return std::any_of(steps.begin(), steps.end(),
                     [&](const std::string& name) { return Contains(name, "-" + step + "."); });
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

TEST_CASE("a page tried upside down keeps its own pixels for the regions read again later") {
  // A page that reads no better upside down is kept as it was, and the figures and names read
  // again from it are cropped from these pixels.
  CleanPage page;
  page.image = cv::Mat(4, 6, CV_8UC1, cv::Scalar(255));
  page.image.at<uint8_t>(0, 0) = 0;
  const cv::Mat before = page.image.clone();
  const CleanPage turned = TurnUpsideDown(page);
  CHECK(cv::countNonZero(page.image != before) == 0);
  CHECK(turned.image.at<uint8_t>(3, 5) == 0);
  CHECK(turned.rotation == 180);
}

TEST_CASE("the skew of a tilted page is measured to 0.1 degree (README)") {
  double degrees = GENERATE(3.0, -1.5);
  PageText page = ReadOnePage(Encode(testing::Tilt(testing::TextPage(), degrees), ".png"));
  CHECK(page.skew == Approx(degrees).margin(0.1));
  CHECK(Contains(page.text, "quick brown fox"));
}

TEST_CASE("a scanned page skewed by -3 degrees is measured and read") {
  PageText page = ReadOnePage(SampleDoc("invoice-en-02-skew.jpg"));
  CHECK(page.skew == Approx(-3.0).margin(0.1));
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

TEST_CASE("a page photographed at an angle is warped flat and read, with boxes on the photo") {
  const cv::Matx33d warp = PhotoWarp();
  PageText read = ReadOnePage(Encode(Photograph(testing::TextPage(), warp), ".jpg"));
  CHECK(Contains(read.text, "quick brown fox"));
  CHECK(Contains(read.text, "Harbour Road"));
  int checked = 0;
  for (const OcrWord& word : read.words) {
    for (auto [line, index, text] :
         {std::tuple(2, 1, "quick"), std::tuple(0, 0, "INVOICE"), std::tuple(5, 7, "trust")}) {
      if (word.text != text) continue;
      cv::Vec3d printed = warp * cv::Vec3d(testing::WordCentre(line, index).x,
                                           testing::WordCentre(line, index).y, 1);
      cv::Point2d on_photo(printed[0] / printed[2], printed[1] / printed[2]);
      INFO(text << " at " << word.box.x << "," << word.box.y << " " << word.box.w << "x"
                << word.box.h << ", printed at " << on_photo);
      CHECK(BoxHolds(word.box, on_photo));
      ++checked;
    }
  }
  CHECK(checked == 3);
}

TEST_CASE("perspective correction warps a photo but leaves a flat scan untouched") {
  CHECK(WroteStep(DebugImages(Photograph(testing::TextPage(), PhotoWarp())), "perspective"));
  // The same page flat on the scanner glass, turned by 2 degrees, with the dark lid around it.
  cv::Mat page = testing::TextPage();
  cv::Mat lay = cv::getRotationMatrix2D(cv::Point2f(page.cols / 2.0f, page.rows / 2.0f), 2.0, 0.65);
  lay.at<double>(0, 2) += 1000 - page.cols / 2.0;
  lay.at<double>(1, 2) += 1350 - page.rows / 2.0;
  cv::Mat scan(2700, 2000, CV_8UC1, cv::Scalar(40));
  cv::warpAffine(page, scan, lay, scan.size(), cv::INTER_AREA, cv::BORDER_TRANSPARENT);
  std::vector<std::string> steps = DebugImages(scan);
  CHECK_FALSE(WroteStep(steps, "perspective"));
  CHECK(WroteStep(steps, "background"));
  // A page that fills the whole picture has no outline to find.
  CHECK_FALSE(WroteStep(DebugImages(testing::TextPage()), "perspective"));
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

TEST_CASE("white text on a dark heading band is read, and the band leaves no blots") {
  // A coloured band, as invoices print their title, wider than its text: the empty part of the
  // band must stay a band, not turn into white shapes that are read as letters.
  cv::Mat page = testing::TextPage();
  cv::rectangle(page, cv::Rect(200, 1200, 2000, 200), cv::Scalar(90), cv::FILLED);
  cv::putText(page, "INVOICE 2024-118", cv::Point(260, 1325), cv::FONT_HERSHEY_SIMPLEX, 1.6,
              cv::Scalar(255), 4, cv::LINE_AA);
  const std::string text = ReadOnePage(Encode(page, ".png")).text;
  INFO(text);
  CHECK(Contains("\n" + text + "\n", "\nINVOICE 2024-118\n"));  // the whole line, no blots
  CHECK(Contains(text, testing::TextPageLines().back()));
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

TEST_CASE("faint print beside a black scanner edge is read, not reported blank") {
  // A faded thermal receipt: grey print on off-white paper, and the scanner's black edge down
  // one side, which takes a global threshold for itself.
  cv::Mat faded;
  testing::TextPage().convertTo(faded, CV_8U, 60.0 / 255, 185);
  faded(cv::Rect(faded.cols - 300, 0, 300, faded.rows)).setTo(cv::Scalar(15));
  PageText page = ReadOnePage(Encode(faded, ".png"));
  CHECK_FALSE(page.blank);
  CHECK(Contains(page.text, "quick brown fox"));
}

TEST_CASE("a dashed rule close under a line of text is painted over and the line read") {
  // A till receipt's rule of dashes a few pixels under the first line, where Tesseract takes it
  // for part of the line.
  cv::Mat page = testing::TextPage();
  const int below_first_line = static_cast<int>(testing::WordCentre(0, 0).y) + 26;
  for (int x = 200; x < 1800; x += 30) {
    cv::rectangle(page, cv::Rect(x, below_first_line, 18, 4), cv::Scalar(0), cv::FILLED);
  }
  CHECK(WroteStep(DebugImages(page), "rules"));
  PageText read = ReadOnePage(Encode(page, ".png"));
  CHECK(Contains(read.text, testing::TextPageLines()[0]));
  CHECK_FALSE(Contains(read.text, "---"));
}

TEST_CASE("a page of more pixels than the cleanup holds is shrunk first, boxes on the original") {
  // A4 at 600 dpi, 35 Mpixel, as three of the sroie-dev receipts were scanned.
  cv::Mat page;
  cv::resize(testing::TextPage(), page, cv::Size(), 2, 2, cv::INTER_CUBIC);
  CHECK(WroteStep(DebugImages(page), "shrink"));
  CHECK_FALSE(WroteStep(DebugImages(testing::TextPage()), "shrink"));
  PageText read = ReadOnePage(Encode(page, ".png"));
  CHECK(read.width == page.cols);
  CHECK(Contains(read.text, testing::TextPageLines()[2]));
  int checked = 0;
  for (const OcrWord& word : read.words) {
    if (word.text != "quick") continue;
    const cv::Point2d printed = 2 * testing::WordCentre(2, 1);
    INFO("quick at " << word.box.x << "," << word.box.y << ", printed at " << printed);
    CHECK(BoxHolds(word.box, printed));
    ++checked;
  }
  CHECK(checked == 1);
}

}  // namespace
}  // namespace quire::capture
