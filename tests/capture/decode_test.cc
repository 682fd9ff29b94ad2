// Files that cannot be read: each gives a non-OK status whose message says what is wrong.
#include <catch2/catch.hpp>
#include <cstring>

#include "quire/capture/capture.h"
#include "test_support.h"

namespace quire::capture {
namespace {

using testing::Contains;
using testing::Encode;
using testing::SampleDoc;
using testing::SharedCapturer;

Status CaptureStatus(const std::string& bytes) { return SharedCapturer().Capture(bytes).status(); }

void PutBe32(std::string& bytes, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(value >> (24 - 8 * i));
}

// A little-endian TIFF whose one directory claims width x height 1-bit pixels.
std::string TiffClaiming(uint32_t width, uint32_t height) {
  struct Entry {
    uint16_t tag, type;
    uint32_t count, value;
  };
  const Entry entries[] = {
      {256, 4, 1, width}, {257, 4, 1, height}, {258, 3, 1, 1},
      {259, 3, 1, 1},     {262, 3, 1, 0},      {273, 4, 1, 8},
      {277, 3, 1, 1},     {278, 4, 1, height}, {279, 4, 1, width / 8 * height}};
  std::string tiff("II*\0", 4);
  uint32_t directory = 16;
  tiff.append(reinterpret_cast<const char*>(&directory), 4);
  tiff.append(8, '\0');  // the "pixels"
  uint16_t count = std::size(entries);
  tiff.append(reinterpret_cast<const char*>(&count), 2);
  for (const Entry& e : entries) tiff.append(reinterpret_cast<const char*>(&e), sizeof(e));
  tiff.append(4, '\0');  // no next directory
  return tiff;
}

// A PDF encrypted with a user password we do not know (a standard security handler whose
// check value matches no password).
std::string EncryptedPdf() {
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
      "<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + std::string(64, 'a') + "> /U <" +
          std::string(64, 'b') + "> >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 5\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof(line), "%010zu 00000 n \n", offset);
    pdf += line;
  }
  pdf += "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<" + std::string(32, '1') + "> <" +
         std::string(32, '1') + ">] >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST_CASE("an empty file is refused") {
  Status status = CaptureStatus("");
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "empty"));
}

TEST_CASE("a text file named .pdf is refused for what it is") {
  Status status = SharedCapturer().Capture("Dear Sir, please find attached\n").status();
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "not a PNG, JPEG, TIFF or PDF file"));
}

TEST_CASE("a truncated image is refused") {
  std::string jpeg = Encode(testing::TextPage(), ".jpg");
  Status status = CaptureStatus(jpeg.substr(0, jpeg.size() / 2));
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "truncated JPEG"));

  std::string png = Encode(testing::TextPage(), ".png");
  status = CaptureStatus(png.substr(0, png.size() / 2));
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "truncated PNG"));

  status = CaptureStatus(png.substr(0, 20));
  CHECK(Contains(status.message(), "damaged PNG"));
}

TEST_CASE("an image whose header claims a huge size is refused before it is decoded") {
  cv::Mat small(10, 10, CV_8UC1, cv::Scalar(255));
  std::string png = Encode(small, ".png");
  PutBe32(png, 16, 100'000);  // IHDR width
  PutBe32(png, 20, 100'000);  // IHDR height
  Status status = CaptureStatus(png);
  CHECK(status.code() == Status::Code::kResourceExhausted);
  CHECK(Contains(status.message(), "100000 x 100000 pixels"));
  CHECK(Contains(status.message(), "max_pixels"));

  std::string jpeg = Encode(small, ".jpg");
  size_t frame = jpeg.find("\xff\xc0");
  REQUIRE(frame != std::string::npos);
  jpeg[frame + 5] = jpeg[frame + 6] = jpeg[frame + 7] = jpeg[frame + 8] = '\xff';
  CHECK(Contains(CaptureStatus(jpeg).message(), "65535 x 65535 pixels"));

  CHECK(Contains(CaptureStatus(TiffClaiming(80'000, 80'000)).message(), "80000 x 80000 pixels"));
}

TEST_CASE("CheckLimits refuses what is over the limits from the headers alone") {
  cv::Mat small(10, 10, CV_8UC1, cv::Scalar(255));
  std::string png = Encode(small, ".png");
  const CaptureOptions options;
  CHECK(quire::capture::CheckLimits(png, options).ok());
  PutBe32(png, 16, 100'000);  // IHDR width
  PutBe32(png, 20, 100'000);  // IHDR height
  const Status huge = quire::capture::CheckLimits(png, options);
  CHECK(huge.code() == Status::Code::kResourceExhausted);
  CHECK(Contains(huge.message(), "100000 x 100000 pixels"));
  CaptureOptions one_page;
  one_page.max_pages = 1;
  CHECK(quire::capture::CheckLimits(SampleDoc("invoice-en-03.tif"), one_page).code() ==
        Status::Code::kResourceExhausted);
  // What capture cannot read at all is left for capture to explain.
  CHECK(quire::capture::CheckLimits("not a document", options).ok());
}

TEST_CASE("a damaged or encrypted PDF is refused") {
  Status status = CaptureStatus("%PDF-1.7\n1 0 obj << /Type /Cat");
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "PDF"));

  std::string pdf = SampleDoc("letter-01-text.pdf");
  status = CaptureStatus(pdf.substr(0, pdf.size() / 3));
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "damaged PDF"));

  status = CaptureStatus(EncryptedPdf());
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "password"));
}

TEST_CASE("a document over the page limit is refused") {
  CaptureOptions options;
  options.jobs = 1;
  options.max_pages = 1;
  Result<std::unique_ptr<Capturer>> capturer = Capturer::Create(options);
  REQUIRE(capturer.ok());
  Status status = (*capturer)->Capture(SampleDoc("invoice-en-03.tif")).status();
  CHECK(status.code() == Status::Code::kResourceExhausted);
  CHECK(Contains(status.message(), "2 pages, more than the limit of 1"));
}

TEST_CASE("a one-pixel image is read as a blank page, not a crash") {
  Result<CapturedDocument> doc =
      SharedCapturer().Capture(Encode(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)), ".png"));
  REQUIRE(doc.ok());
  CHECK(doc->pages[0].error.empty());
  CHECK(doc->pages[0].blank);
}

TEST_CASE("bad options are refused") {
  CaptureOptions options;
  options.pdf_dpi = 5;
  const Status status = Capturer::Create(options).status();
  CHECK(status.code() == Status::Code::kInvalidArgument);
  CHECK(Contains(status.message(), "pdf_dpi must be between 50 and 1200"));
}

}  // namespace
}  // namespace quire::capture
