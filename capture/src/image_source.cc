// PNG and JPEG: one page each, decoded by Leptonica after their headers are checked here.
//
// The header fields read, big-endian throughout:
//   PNG:  8-byte signature, then chunks [length:4][type:4][data:length][crc:4]; IHDR comes first
//         (width:4, height:4, ...); pHYs (x px per unit:4, y px per unit:4, unit:1, 1 = metre)
//         may come before the first IDAT.
//   JPEG: markers FF xx; SOI, RSTn and TEM stand alone, the others are followed by a 2-byte length
//         that counts itself. SOFn holds (precision:1, height:2, width:2); APP0 "JFIF\0" holds
//         (version:2, units:1 (1 = dpi, 2 = dots per cm), x density:2, y density:2). SOFn's
//         height and width are followed by the number of components:1. APP1 "Exif\0\0" holds a
//         TIFF structure: byte order "II" (little-endian) or "MM", 42:2, offset of IFD0:4 from
//         the TIFF header; an IFD is count:2 then entries (tag:2, type:2, count:4, value:4), and
//         tag 0x0112 (a SHORT, in the value's first two bytes) is the orientation, 1 to 8. The
//         entropy-coded data after the last SOS ends with the EOI marker FF D9.
#include "image_codec.h"
#include "page_source.h"

namespace quire::capture {
namespace {

struct ImageHeader {
  int64_t width = 0;
  int64_t height = 0;
  int dpi = 0;
  JpegFrame frame;      // JPEG only
  int orientation = 1;  // JPEG only: how its EXIF data says to turn it
};

uint32_t Be16(std::string_view b, size_t pos) {
  return (uint32_t{uint8_t(b[pos])} << 8) | uint8_t(b[pos + 1]);
}

uint32_t Be32(std::string_view b, size_t pos) { return (Be16(b, pos) << 16) | Be16(b, pos + 2); }

Status Damaged(const char* format) {
  return Status::InvalidArgument(std::string("damaged ") + format +
                                 " file: its header cannot be read; export or scan it again");
}

Result<ImageHeader> ReadPngHeader(std::string_view b) {
  if (b.size() < 33 || b.substr(12, 4) != "IHDR") return Damaged("PNG");
  ImageHeader header{Be32(b, 16), Be32(b, 20), 0, {}};
  for (size_t pos = 8; pos + 8 <= b.size();) {
    uint32_t length = Be32(b, pos);
    std::string_view type = b.substr(pos + 4, 4);
    if (type == "IDAT") break;
    if (type == "pHYs" && length >= 9 && pos + 17 <= b.size() && b[pos + 16] == 1) {
      header.dpi = static_cast<int>(Be32(b, pos + 8) * 0.0254 + 0.5);
    }
    pos += 12 + size_t{length};
  }
  return header;
}

bool IsStandaloneJpegMarker(uint8_t marker) {
  return marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7);
}

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
bool IsStartOfFrame(uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// The EXIF orientation in an APP1 segment; 1 (as stored) when there is none.
int ExifOrientation(std::string_view segment) {
  if (segment.size() < 14 || segment.substr(0, 6) != std::string_view("Exif\0\0", 6)) return 1;
  const std::string_view tiff = segment.substr(6);
  const bool little = tiff.substr(0, 2) == "II";
  if (!little && tiff.substr(0, 2) != "MM") return 1;
  auto u16 = [&](size_t pos) -> uint32_t {
    if (pos + 2 > tiff.size()) return 0;
    return little ? (uint32_t{uint8_t(tiff[pos + 1])} << 8) | uint8_t(tiff[pos]) : Be16(tiff, pos);
  };
  auto u32 = [&](size_t pos) -> uint32_t {
    return little ? (u16(pos + 2) << 16) | u16(pos) : (u16(pos) << 16) | u16(pos + 2);
  };
  const size_t ifd = u32(4);
  const uint32_t entries = u16(ifd);
  for (uint32_t i = 0; i < entries; ++i) {
    const size_t entry = ifd + 2 + 12 * size_t{i};
    if (entry + 12 > tiff.size()) break;
    if (u16(entry) == 0x0112) {
      const uint32_t orientation = u16(entry + 8);
      return orientation >= 1 && orientation <= 8 ? static_cast<int>(orientation) : 1;
    }
  }
  return 1;
}

int JfifDpi(std::string_view segment) {
  if (segment.size() < 12 || segment.substr(0, 5) != std::string_view("JFIF\0", 5)) return 0;
  uint8_t units = segment[7];
  uint32_t density = Be16(segment, 8);
  if (units == 1) return static_cast<int>(density);
  if (units == 2) return static_cast<int>(density * 2.54 + 0.5);
  return 0;
}

Result<ImageHeader> ReadJpegHeader(std::string_view b) {
  ImageHeader header;
  for (size_t pos = 2; pos + 4 <= b.size();) {
    if (uint8_t(b[pos]) != 0xFF) break;
    uint8_t marker = b[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (IsStandaloneJpegMarker(marker)) {
      pos += 2;
      continue;
    }
    uint32_t length = Be16(b, pos + 2);
    if (length < 2 || marker == 0xDA || marker == 0xD9) break;  // image data before any frame
    std::string_view segment = b.substr(pos + 4, length - 2);
    if (marker == 0xE0 && header.dpi == 0) header.dpi = JfifDpi(segment);
    if (marker == 0xE1 && header.orientation == 1) header.orientation = ExifOrientation(segment);
    if (IsStartOfFrame(marker)) {
      if (segment.size() < 6) break;
      header.height = Be16(segment, 1);
      header.width = Be16(segment, 3);
      if (header.width == 0 || header.height == 0) break;
      header.frame = {static_cast<int>(header.width), static_cast<int>(header.height),
                      uint8_t(segment[5]), uint8_t(segment[0])};
      return header;
    }
    pos += 2 + size_t{length};
  }
  return Damaged("JPEG");
}

// A PNG ends with its IEND chunk; checking for it keeps libpng from complaining on stderr about a
// file cut short.
bool PngIsComplete(std::string_view b) { return b.rfind("IEND") != std::string_view::npos; }

// A JPEG cut short still decodes, with the missing part filled in grey; the decoder only warns.
// Entropy-coded data cannot contain FF D9, so an EOI after the last SOS tells a complete file.
bool JpegIsComplete(std::string_view b) {
  size_t last_scan = b.rfind("\xff\xda");
  return last_scan != std::string_view::npos &&
         b.find("\xff\xd9", last_scan) != std::string_view::npos;
}

class SingleImageSource : public PageSource {
 public:
  SingleImageSource(std::string_view bytes, bool jpeg, const ImageHeader& header)
      : bytes_(bytes), jpeg_(jpeg), header_(header) {}

  int page_count() const override { return 1; }

  Result<DecodedPage> Decode(int) override {
    Result<cv::Mat> gray = DecodeGray(bytes_);
    if (!gray.ok()) {
      return Status::InvalidArgument(std::string("damaged ") + (jpeg_ ? "JPEG" : "PNG") +
                                     " file: the image data cannot be decoded (truncated or "
                                     "corrupt); copy or scan it again");
    }
    DecodedPage page;
    page.image.dpi = header_.dpi;
    page.image.gray = Oriented(*gray, header_.orientation);
    return page;
  }

 private:
  std::string_view bytes_;
  bool jpeg_;
  ImageHeader header_;
};

}  // namespace

Result<JpegFrame> ReadJpegFrame(std::string_view bytes) {
  QUIRE_ASSIGN_OR_RETURN(ImageHeader header, ReadJpegHeader(bytes));
  return header.frame;
}

Result<std::unique_ptr<PageSource>> OpenPngOrJpeg(std::string_view bytes, bool jpeg,
                                                  const DecodeLimits& limits) {
  QUIRE_ASSIGN_OR_RETURN(ImageHeader header, jpeg ? ReadJpegHeader(bytes) : ReadPngHeader(bytes));
  if (header.width * header.height > limits.max_pixels) {
    return TooManyPixels(header.width, header.height, limits.max_pixels);
  }
  if (jpeg ? !JpegIsComplete(bytes) : !PngIsComplete(bytes)) {
    return Status::InvalidArgument(std::string("truncated ") + (jpeg ? "JPEG" : "PNG") +
                                   " file: it ends before its image data does; copy or scan it "
                                   "again");
  }
  if (bytes.size() > size_t{INT32_MAX}) {
    return Status::InvalidArgument("the image file is over 2 GB: scan at a lower resolution");
  }
  return std::unique_ptr<PageSource>(std::make_unique<SingleImageSource>(bytes, jpeg, header));
}

}  // namespace quire::capture
