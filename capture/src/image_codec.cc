#include "image_codec.h"

#include <leptonica/allheaders.h>

#include <memory>

namespace quire::capture {
namespace {

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

bool IsJpeg(std::string_view file) { return file.size() >= 2 && file.substr(0, 2) == "\xff\xd8"; }

bool IsTiff(std::string_view file) {
  return file.substr(0, 4) == std::string_view("II*\0", 4) ||
         file.substr(0, 4) == std::string_view("MM\0*", 4);
}

// Page `page` of the file as Leptonica decodes it; a JPEG's luminance only when `gray` (what
// libjpeg decodes for a grey reading, without the colour planes). A JPEG with damaged data in its
// body is decoded as libjpeg can, as OpenCV did: scanners and phones write such files, and most
// of the page is still there to read.
PixPtr Read(std::string_view file, int page, bool gray) {
  setMsgSeverity(L_SEVERITY_NONE);  // a damaged file is reported by the caller, not on stderr
  const auto* data = reinterpret_cast<const l_uint8*>(file.data());
  if (IsJpeg(file)) {
    const l_int32 hint = L_JPEG_CONTINUE_WITH_BAD_DATA | (gray ? L_JPEG_READ_LUMINANCE : 0);
    return PixPtr(pixReadMemJpeg(data, file.size(), 0, 1, nullptr, hint));
  }
  if (IsTiff(file)) return PixPtr(pixReadMemTiff(data, file.size(), page));
  return PixPtr(pixReadMem(data, file.size()));
}

// Any depth and colormap to 8-bit grey or 32-bit colour samples.
PixPtr Unpacked(Pix* pix) {
  if (pixGetColormap(pix) != nullptr)
    return PixPtr(pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC));
  switch (pixGetDepth(pix)) {
    case 8:
    case 32: return PixPtr(pixClone(pix));
    case 16: return PixPtr(pixConvert16To8(pix, L_MS_BYTE));
    default:  // 1, 2 or 4 bits of grey; a 1 is black
      return PixPtr(pixConvertTo8(pix, 0));
  }
}

// A sample over white paper, as transparent as `alpha` says.
uint8_t OnWhite(uint32_t sample, uint32_t alpha) {
  return static_cast<uint8_t>((sample * alpha + 255 * (255 - alpha) + 127) / 255);
}

// Grey as libpng makes it from colour (what OpenCV's grey reading of a PNG gave before, so that
// pages read the same): 0.299 R + 0.587 G + 0.114 B in its 15-bit fixed point, truncated, and
// grey pixels as they are. A level's difference here changes some readings.
cv::Mat LuminanceOf(const cv::Mat& rgb) {
  constexpr uint32_t kRed = 9797, kGreen = 19234, kBlue = 32768 - kRed - kGreen;
  cv::Mat gray(rgb.rows, rgb.cols, CV_8UC1);
  for (int y = 0; y < rgb.rows; ++y) {
    const uint8_t* in = rgb.ptr<uint8_t>(y);
    uint8_t* out = gray.ptr<uint8_t>(y);
    for (int x = 0; x < rgb.cols; ++x, in += 3) {
      const uint32_t r = in[0], g = in[1], b = in[2];
      out[x] =
          r == g && g == b ? r : static_cast<uint8_t>((kRed * r + kGreen * g + kBlue * b) >> 15);
    }
  }
  return gray;
}

cv::Mat FromPix(Pix* pix, bool colour) {
  const PixPtr unpacked = Unpacked(pix);
  Pix* p = unpacked.get();
  if (p == nullptr) return cv::Mat();
  const int width = pixGetWidth(p), height = pixGetHeight(p), words_per_line = pixGetWpl(p);
  const l_uint32* data = pixGetData(p);
  if (pixGetDepth(p) == 8) {
    cv::Mat gray(height, width, CV_8UC1);
    for (int y = 0; y < height; ++y) {
      const l_uint32* line = data + y * words_per_line;
      uint8_t* out = gray.ptr<uint8_t>(y);
      for (int x = 0; x < width; ++x) out[x] = GET_DATA_BYTE(line, x);
    }
    return gray;
  }
  const bool alpha = pixGetSpp(p) == 4;
  cv::Mat rgb(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    const l_uint32* line = data + y * words_per_line;
    uint8_t* out = rgb.ptr<uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const l_uint32* pixel = line + x;
      const uint32_t a = alpha ? GET_DATA_BYTE(pixel, L_ALPHA_CHANNEL) : 255;
      out[3 * x] = OnWhite(GET_DATA_BYTE(pixel, COLOR_RED), a);
      out[3 * x + 1] = OnWhite(GET_DATA_BYTE(pixel, COLOR_GREEN), a);
      out[3 * x + 2] = OnWhite(GET_DATA_BYTE(pixel, COLOR_BLUE), a);
    }
  }
  return colour ? rgb : LuminanceOf(rgb);
}

Result<cv::Mat> Decode(std::string_view file, int page, bool colour) {
  const PixPtr pix = Read(file, page, !colour);
  cv::Mat image = pix == nullptr ? cv::Mat() : FromPix(pix.get(), colour);
  if (image.empty()) return Status::InvalidArgument("the image data cannot be decoded");
  return image;
}

PixPtr ToPix(const cv::Mat& gray) {
  PixPtr pix(pixCreate(gray.cols, gray.rows, 8));
  if (pix == nullptr) return pix;
  const int words_per_line = pixGetWpl(pix.get());
  for (int y = 0; y < gray.rows; ++y) {
    l_uint32* line = pixGetData(pix.get()) + y * words_per_line;
    const uint8_t* in = gray.ptr<uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) SET_DATA_BYTE(line, x, in[x]);
  }
  return pix;
}

// The bytes Leptonica wrote, freed.
std::string Take(l_uint8* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return bytes;
}

}  // namespace

cv::Mat Oriented(const cv::Mat& image, int exif_orientation) {
  // As OpenCV's imgcodecs turns a JPEG by its EXIF tag: 2 mirrored, 3 upside down, 4 flipped,
  // 5 transposed, 6 turned clockwise, 7 transversed, 8 turned counter-clockwise.
  cv::Mat out;
  switch (exif_orientation) {
    case 2: cv::flip(image, out, 1); return out;
    case 3: cv::flip(image, out, -1); return out;
    case 4: cv::flip(image, out, 0); return out;
    case 5: cv::transpose(image, out); return out;
    case 6:
      cv::transpose(image, out);
      cv::flip(out, out, 1);
      return out;
    case 7:
      cv::transpose(image, out);
      cv::flip(out, out, -1);
      return out;
    case 8:
      cv::transpose(image, out);
      cv::flip(out, out, 0);
      return out;
    default: return image;
  }
}

Result<cv::Mat> DecodeGray(std::string_view file) { return Decode(file, 0, /*colour=*/false); }

Result<cv::Mat> DecodeColour(std::string_view file, int page) {
  return Decode(file, page, /*colour=*/true);
}

cv::Mat GrayOf(Pix* pix) {
  const PixPtr gray(pixConvertTo8(pix, 0));  // Leptonica's luminance, as TIFF pages always had
  return gray == nullptr ? cv::Mat() : FromPix(gray.get(), /*colour=*/false);
}

Result<std::string> EncodePng(const cv::Mat& gray, int compression) {
  PixPtr pix = ToPix(gray);
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pix != nullptr) pixSetSpecial(pix.get(), 10 + compression);  // zlib's level, for libpng
  if (pix == nullptr || pixWriteMemPng(&data, &size, pix.get(), 0.0) != 0) {
    return Status::Internal("the image cannot be encoded as a PNG");
  }
  return Take(data, size);
}

Result<std::string> EncodeJpeg(const cv::Mat& gray, int quality) {
  PixPtr pix = ToPix(gray);
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pix == nullptr || pixWriteMemJpeg(&data, &size, pix.get(), quality, 0) != 0) {
    return Status::Internal("the image cannot be encoded as a JPEG");
  }
  return Take(data, size);
}

}  // namespace quire::capture
