#include "test_support.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "temp_dir.h"

namespace quire::capture::testing {
namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kFontScale = 1.6;
constexpr int kThickness = 4;
constexpr int kLeft = 200;
constexpr int kFirstBaseline = 300;
constexpr int kLineSpacing = 110;

int TextWidth(const std::string& text) {
  int baseline = 0;
  return cv::getTextSize(text, kFont, kFontScale, kThickness, &baseline).width;
}

}  // namespace

Capturer& SharedCapturer() {
  static std::unique_ptr<Capturer> capturer = [] {
    Result<std::unique_ptr<Capturer>> created = Capturer::Create(CaptureOptions());
    REQUIRE(created.ok());
    return std::move(*created);
  }();
  return *capturer;
}

const std::vector<std::string>& TextPageLines() {
  static const std::vector<std::string> lines = {
      "INVOICE NUMBER 4711 FROM ACME TRADING",
      "Please pay the total amount within thirty days",
      "The quick brown fox jumps over the lazy dog",
      "Delivery address: Harbour Road 12, Springfield",
      "Payment by bank transfer to our account",
      "Thank you for your order and your trust",
  };
  return lines;
}

cv::Mat TextPage() {
  cv::Mat page(3508, 2480, CV_8UC1, cv::Scalar(255));
  for (size_t i = 0; i < TextPageLines().size(); ++i) {
    cv::putText(page, TextPageLines()[i], cv::Point(kLeft, kFirstBaseline + kLineSpacing * i),
                kFont, kFontScale, cv::Scalar(0), kThickness, cv::LINE_AA);
  }
  return page;
}

cv::Point2d WordCentre(int line, int word) {
  std::istringstream words(TextPageLines()[line]);
  std::string before;
  std::string text;
  for (int i = 0; i <= word; ++i) {
    if (i > 0) before += text + " ";
    words >> text;
  }
  int baseline = 0;
  int height = cv::getTextSize(text, kFont, kFontScale, kThickness, &baseline).height;
  return cv::Point2d(kLeft + TextWidth(before) + TextWidth(text) / 2.0,
                     kFirstBaseline + kLineSpacing * line - height / 2.0);
}

cv::Mat Tilt(const cv::Mat& page, double degrees) {
  cv::Point2f center(page.cols / 2.0f, page.rows / 2.0f);
  cv::Mat tilted;
  cv::warpAffine(page, tilted, cv::getRotationMatrix2D(center, degrees, 1.0), page.size(),
                 cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return tilted;
}

std::string Encode(const cv::Mat& image, const std::string& extension) {
  std::vector<uchar> bytes;
  cv::imencode(extension, image, bytes);
  return std::string(bytes.begin(), bytes.end());
}

std::vector<std::string> DebugImages(const cv::Mat& image) {
  quire::testing::TempDir dir;
  CaptureOptions options;
  options.jobs = 1;
  options.debug_dir = dir.path() + "/steps";  // not there yet: the capturer makes it
  Result<std::unique_ptr<Capturer>> capturer = Capturer::Create(options);
  REQUIRE(capturer.ok());
  REQUIRE((*capturer)->Capture(Encode(image, ".png")).ok());
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(options.debug_dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string SampleDoc(const std::string& name) {
  std::ifstream in(std::string(QUIRE_SOURCE_DIR) + "/sample-docs/" + name, std::ios::binary);
  INFO("sample-docs/" << name);
  REQUIRE(in.good());
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace quire::capture::testing
