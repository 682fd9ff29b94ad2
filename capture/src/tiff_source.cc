// TIFF, every page, through Leptonica (which handles the bilevel CCITT G4 pages scanners write).
// Each page's size is read from its directory before its pixels are.
#include <leptonica/allheaders.h>

#include <cstdio>

#include "image_codec.h"
#include "page_source.h"

namespace quire::capture {
namespace {

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

const l_uint8* Data(std::string_view bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

Status DamagedPage(int index) {
  return Status::InvalidArgument("damaged TIFF file: page " + std::to_string(index + 1) +
                                 " cannot be decoded (truncated or corrupt); scan it again");
}

class TiffSource : public PageSource {
 public:
  TiffSource(std::string_view bytes, int pages, const DecodeLimits& limits)
      : bytes_(bytes), pages_(pages), limits_(limits) {}

  int page_count() const override { return pages_; }

  Result<DecodedPage> Decode(int index) override {
    l_int32 width = 0, height = 0, bits = 0, samples = 0, dpi = 0, colormap = 0, format = 0;
    if (readHeaderMemTiff(Data(bytes_), bytes_.size(), index, &width, &height, &bits, &samples,
                          &dpi, &colormap, &format) != 0) {
      return DamagedPage(index);
    }
    if (int64_t{width} * height > limits_.max_pixels) {
      return TooManyPixels(width, height, limits_.max_pixels);
    }
    PixPtr pix(pixReadMemTiff(Data(bytes_), bytes_.size(), index));
    if (pix == nullptr) return DamagedPage(index);
    DecodedPage page;
    page.image.gray = GrayOf(pix.get());
    if (page.image.gray.empty()) return DamagedPage(index);
    page.image.dpi = pixGetXRes(pix.get());
    return page;
  }

 private:
  std::string_view bytes_;
  int pages_;
  DecodeLimits limits_;
};

}  // namespace

Result<std::unique_ptr<PageSource>> OpenTiff(std::string_view bytes, const DecodeLimits& limits) {
  setMsgSeverity(L_SEVERITY_NONE);  // a damaged file is reported in the Status, not on stderr
  l_int32 pages = 0;
  FILE* file = fopenReadFromMemory(Data(bytes), bytes.size());
  if (file == nullptr) return Status::IoError("cannot open the TIFF data in memory");
  bool counted = tiffGetCount(file, &pages) == 0;
  fclose(file);
  if (!counted || pages <= 0) {
    return Status::InvalidArgument(
        "damaged TIFF file: its page directory cannot be read; export or scan it again");
  }
  return std::unique_ptr<PageSource>(std::make_unique<TiffSource>(bytes, pages, limits));
}

}  // namespace quire::capture
