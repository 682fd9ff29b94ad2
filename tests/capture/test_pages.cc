#include "test_pages.h"

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace quire::capture::testing {

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
  int y = 300;
  for (const std::string& line : TextPageLines()) {
    cv::putText(page, line, cv::Point(200, y), cv::FONT_HERSHEY_SIMPLEX, 1.6, cv::Scalar(0), 4,
                cv::LINE_AA);
    y += 110;
  }
  return page;
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

std::string SourceFile(const std::string& path) {
  std::ifstream in(std::string(QUIRE_SOURCE_DIR) + "/" + path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace quire::capture::testing
