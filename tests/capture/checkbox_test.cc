// Printed checkboxes read from the page image, with the real Tesseract.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "quire/capture/capture.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::Encode;
using testing::SharedCapturer;

constexpr std::string_view kEmptyBox = "\xE2\x98\x90";   // ☐
constexpr std::string_view kTickedBox = "\xE2\x98\x92";  // ☒
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kFontScale = 1.6;
constexpr int kThickness = 4;
constexpr int kBoxSide = 40;

// A form being drawn: text and checkboxes left to right on lines, as a printer would set them.
class FormPage {
 public:
  FormPage() : image_(3508, 2480, CV_8UC1, cv::Scalar(255)) {}

  FormPage& Line() {
    x_ = 200;
    baseline_ += 110;
    return *this;
  }
  FormPage& Text(const std::string& text) {
    cv::putText(image_, text, cv::Point(x_, baseline_), kFont, kFontScale, cv::Scalar(0),
                kThickness, cv::LINE_AA);
    int below = 0;
    x_ += cv::getTextSize(text + " ", kFont, kFontScale, kThickness, &below).width + 30;
    return *this;
  }
  // A box sitting on the baseline, with a pen cross in it when `ticked`.
  FormPage& Box(bool ticked) {
    const cv::Rect box(x_, baseline_ - kBoxSide + 2, kBoxSide, kBoxSide);
    cv::rectangle(image_, box, cv::Scalar(0), 3);
    if (ticked) {
      const cv::Point inset(7, 7);
      cv::line(image_, box.tl() + inset, box.br() - inset, cv::Scalar(60), 5, cv::LINE_AA);
      cv::line(image_, cv::Point(box.x + box.width - 7, box.y + 7),
               cv::Point(box.x + 7, box.y + box.height - 7), cv::Scalar(60), 5, cv::LINE_AA);
    }
    boxes_.push_back(box);
    x_ += kBoxSide + 25;
    return *this;
  }

  const cv::Mat& image() const { return image_; }
  const std::vector<cv::Rect>& boxes() const { return boxes_; }

 private:
  cv::Mat image_;
  std::vector<cv::Rect> boxes_;
  int x_ = 200;
  int baseline_ = 300;
};

FormPage SampleForm() {
  FormPage form;
  form.Text("Patient registration");
  form.Line().Text("Sex:").Box(true).Text("Female").Box(false).Text("Male").Box(false).Text(
      "Other");
  form.Line().Box(false).Text("Send me the newsletter");
  form.Line().Box(true).Text("I accept the terms");
  form.Line().Text("Thank you for your order and your trust");
  return form;
}

PageText ReadOnePage(const cv::Mat& image) {
  Result<CapturedDocument> doc = SharedCapturer().Capture(Encode(image, ".png"));
  REQUIRE(doc.ok());
  REQUIRE(doc->pages.size() == 1);
  return doc->pages[0];
}

std::vector<OcrWord> CheckboxWords(const PageText& page) {
  std::vector<OcrWord> boxes;
  for (const OcrWord& word : page.words) {
    if (word.text == kEmptyBox || word.text == kTickedBox) boxes.push_back(word);
  }
  return boxes;
}

cv::Point2d Centre(const quire::Box& box) { return {box.x + box.w / 2.0, box.y + box.h / 2.0}; }

TEST_CASE("printed checkboxes are read as ticked or empty, each with its box, beside its label") {
  const FormPage form = SampleForm();
  const PageText page = ReadOnePage(form.image());
  INFO(page.text);
  CHECK(Contains(page.text, "Sex: ☒ Female ☐ Male ☐ Other"));
  CHECK(Contains(page.text, "☐ Send me the newsletter"));
  // Tesseract reads this font's capital I alone as a bar, which extract takes for an I.
  CHECK(
      (Contains(page.text, "☒ I accept the terms") || Contains(page.text, "☒ | accept the terms")));
  const std::vector<OcrWord> boxes = CheckboxWords(page);
  REQUIRE(boxes.size() == form.boxes().size());
  const std::vector<std::string_view> expected = {kTickedBox, kEmptyBox, kEmptyBox, kEmptyBox,
                                                  kTickedBox};
  for (size_t i = 0; i < boxes.size(); ++i) {
    CAPTURE(i);
    CHECK(boxes[i].text == expected[i]);
    const cv::Rect& drawn = form.boxes()[i];
    CHECK(std::abs(boxes[i].box.x - drawn.x) <= 3);
    CHECK(std::abs(boxes[i].box.y - drawn.y) <= 3);
    CHECK(std::abs(boxes[i].box.w - drawn.width) <= 4);
    CHECK(std::abs(boxes[i].box.h - drawn.height) <= 4);
    CHECK(boxes[i].conf >= 90);
  }
}

TEST_CASE("the checkboxes of a tilted scan keep their boxes on the scan") {
  const FormPage form = SampleForm();
  const double degrees = 2;
  const cv::Mat tilted = testing::Tilt(form.image(), degrees);
  const PageText page = ReadOnePage(tilted);
  const std::vector<OcrWord> boxes = CheckboxWords(page);
  REQUIRE(boxes.size() == form.boxes().size());
  const cv::Point2f centre(tilted.cols / 2.0f, tilted.rows / 2.0f);
  const cv::Matx23d turn = cv::getRotationMatrix2D(centre, degrees, 1.0);
  for (size_t i = 0; i < boxes.size(); ++i) {
    CAPTURE(i);
    const cv::Rect& drawn = form.boxes()[i];
    const cv::Vec3d middle(drawn.x + drawn.width / 2.0, drawn.y + drawn.height / 2.0, 1);
    const cv::Vec2d expected = turn * middle;
    CHECK(cv::norm(Centre(boxes[i].box) - cv::Point2d(expected[0], expected[1])) <= 6);
  }
}

TEST_CASE("a page without checkboxes gets none, not from bullets nor round letters") {
  cv::Mat page = testing::TextPage();
  // Solid square bullets before two lines, and letters that are nearly squares.
  for (int line : {1, 3}) {
    const cv::Point2d first = testing::WordCentre(line, 0);
    cv::rectangle(page, cv::Rect(100, static_cast<int>(first.y) - 17, 34, 34), cv::Scalar(0),
                  cv::FILLED);
  }
  cv::putText(page, "O D 0 Q #", cv::Point(200, 1200), kFont, kFontScale, cv::Scalar(0), kThickness,
              cv::LINE_AA);
  const PageText read = ReadOnePage(page);
  CHECK(Contains(read.text, testing::TextPageLines()[2]));
  CHECK(CheckboxWords(read).empty());
}

}  // namespace
}  // namespace quire::capture
