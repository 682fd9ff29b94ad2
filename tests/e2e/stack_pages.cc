#include "stack_pages.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "quire_process.h"
#include "temp_dir.h"

namespace quire::testing {

cv::Mat SamplePage(const std::string& name, int page) {
  std::vector<cv::Mat> pages;
  REQUIRE(cv::imreadmulti(SampleDoc(name), pages, cv::IMREAD_GRAYSCALE));
  REQUIRE(page < static_cast<int>(pages.size()));
  return pages[page];
}

cv::Mat BlankSheet() {
  cv::Mat sheet(3508, 2480, CV_8UC1, cv::Scalar(250));
  cv::Mat noise(sheet.size(), CV_8UC1);
  cv::randu(noise, 0, 6);
  sheet -= noise;
  std::mt19937 random(7);
  for (int i = 0; i < 12; ++i) {
    cv::circle(sheet,
               {static_cast<int>(random() % 2400) + 40, static_cast<int>(random() % 3400) + 50}, 1,
               cv::Scalar(90), cv::FILLED);
  }
  return sheet;
}

void PrintBarcode(cv::Mat& page, const std::string& text, int zint_type, int scale, cv::Point at) {
  TempDir dir;
  const std::string png = dir.Sub("code.png");
  const std::string command = "zint -b " + std::to_string(zint_type) +
                              " --scale=" + std::to_string(scale) + " -d '" + text + "' -o " + png +
                              " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  cv::Mat code = cv::imread(png, cv::IMREAD_GRAYSCALE);
  REQUIRE(!code.empty());
  code.copyTo(page(cv::Rect(at.x, at.y, code.cols, code.rows)));
}

cv::Mat BarcodeSheet(const std::string& text, int zint_type, int scale) {
  cv::Mat sheet = BlankSheet();
  PrintBarcode(sheet, text, zint_type, scale, {900, 800});
  return sheet;
}

cv::Mat PatchTSheet() {
  cv::Mat sheet = BlankSheet();
  // Narrow, wide, narrow, wide bars of 0.08 and 0.20 in, 0.08 in apart, 2.5 in long, at 300 dpi.
  int x = 1000;
  for (int width : {24, 60, 24, 60}) {
    cv::rectangle(sheet, cv::Rect(x, 150, width, 750), cv::Scalar(0), cv::FILLED);
    x += width + 24;
  }
  return sheet;
}

std::string ImagePdf(const std::vector<cv::Mat>& pages) {
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  auto object = [&](const std::string& body, const std::string& stream = "") {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body;
    if (!stream.empty()) pdf += "\nstream\n" + stream + "\nendstream";
    pdf += "\nendobj\n";
  };
  const int n = static_cast<int>(pages.size());
  // Objects: 1 catalog, 2 page tree, then per page: page, contents, image.
  std::string kids;
  for (int i = 0; i < n; ++i) kids += std::to_string(3 + 3 * i) + " 0 R ";
  object("<< /Type /Catalog /Pages 2 0 R >>");
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n) + " >>");
  for (int i = 0; i < n; ++i) {
    const cv::Mat& page = pages[i];
    const double width = page.cols * 72.0 / 300, height = page.rows * 72.0 / 300;
    char size[64];
    snprintf(size, sizeof size, "%.2f %.2f", width, height);
    const int id = 3 + 3 * i;
    object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::string(size) + "] /Contents " +
           std::to_string(id + 1) + " 0 R /Resources << /XObject << /Im " + std::to_string(id + 2) +
           " 0 R >> >> >>");
    char draw[96];  // the image drawn over the whole page
    snprintf(draw, sizeof draw, "q %.2f 0 0 %.2f 0 0 cm /Im Do Q", width, height);
    object("<< /Length " + std::to_string(strlen(draw)) + " >>", draw);
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", page, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
    object("<< /Type /XObject /Subtype /Image /Width " + std::to_string(page.cols) + " /Height " +
               std::to_string(page.rows) +
               " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length " +
               std::to_string(jpeg.size()) + " >>",
           std::string(jpeg.begin(), jpeg.end()));
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace quire::testing
