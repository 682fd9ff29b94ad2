// CopyPages: some pages of a document file as a file of their own. PDF pages are copied with
// qpdf, so their text layers and images stay as they were; TIFF pages are copied through
// Leptonica in their own depth and resolution. EncodeTiff and EncodeTiffPage write scanned
// pages as TIFF, and JoinTiffs puts TIFF files' pages together without decoding them.
#include <leptonica/allheaders.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <string_view>

#include "quire/capture/separation.h"

namespace quire::capture {
namespace {

Status PageOutOfRange(int page, int count) {
  return Status::InvalidArgument("page " + std::to_string(page + 1) +
                                 " asked for, but the file has " + std::to_string(count));
}

Result<PagesFile> CopyPdfPages(std::string_view bytes, const std::vector<int>& pages) {
  try {
    QPDF source;
    source.setSuppressWarnings(true);
    source.processMemoryFile("stack", bytes.data(), bytes.size());
    const std::vector<QPDFPageObjectHelper> all = QPDFPageDocumentHelper(source).getAllPages();
    const int count = static_cast<int>(all.size());
    QPDF copy;
    copy.emptyPDF();
    QPDFPageDocumentHelper copy_pages(copy);
    for (int page : pages) {
      if (page < 0 || page >= count) return PageOutOfRange(page, count);
      copy_pages.addPage(all[page], /*first=*/false);  // copies what the page refers to, only
    }
    QPDFWriter writer(copy);
    writer.setOutputMemory();
    writer.setDeterministicID(true);  // the same pages give the same bytes
    writer.write();
    const std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    return PagesFile{
        std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize()), "pdf"};
  } catch (const std::exception& e) {  // QPDFExc and std::runtime_error on a damaged file
    return Status::InvalidArgument(std::string("the PDF's pages cannot be copied: ") + e.what());
  }
}

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
struct FileCloser {
  void operator()(FILE* file) const { fclose(file); }
};

// `count` pages, `page_at(i)` each, written one by one into a TIFF file: libtiff appends pages
// to a file it can seek in, not to memory.
using PageSupplier = std::function<Result<Pix*>(size_t index)>;

Result<std::string> WriteTiff(size_t count, const PageSupplier& page_at) {
  std::unique_ptr<FILE, FileCloser> file(std::tmpfile());
  if (!file) return Status::Internal("no temporary file for the TIFF's pages");
  for (size_t i = 0; i < count; ++i) {
    QUIRE_ASSIGN_OR_RETURN(Pix * made, page_at(i));
    std::unique_ptr<Pix, PixDeleter> pix(made);
    const l_int32 compression = pixGetDepth(pix.get()) == 1 ? IFF_TIFF_G4 : IFF_TIFF_ZIP;
    if (pixWriteStreamTiffWA(file.get(), pix.get(), compression, i == 0 ? "w" : "a") != 0) {
      return Status::Internal("TIFF page " + std::to_string(i + 1) + " cannot be written");
    }
  }
  std::fflush(file.get());
  std::rewind(file.get());
  std::string out;
  char chunk[65536];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, file.get())) > 0;) out.append(chunk, n);
  return out;
}

Result<PagesFile> CopyTiffPages(std::string_view bytes, const std::vector<int>& pages) {
  setMsgSeverity(L_SEVERITY_NONE);  // a damaged page is reported in the Status, not on stderr
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  Result<std::string> tiff = WriteTiff(pages.size(), [&](size_t i) -> Result<Pix*> {
    Pix* pix = pages[i] < 0 ? nullptr : pixReadMemTiff(data, bytes.size(), pages[i]);
    if (pix == nullptr) {
      return Status::InvalidArgument("TIFF page " + std::to_string(pages[i] + 1) +
                                     " is missing or damaged");
    }
    return pix;
  });
  if (!tiff.ok()) return tiff.status();
  return PagesFile{std::move(*tiff), "tiff"};
}

// A scanner's page as a Leptonica image: 8-bit grey, or 32-bit RGB.
Result<Pix*> ToPix(const RawPage& page) {
  const size_t row = static_cast<size_t>(page.width) * page.channels;
  if (page.width <= 0 || page.height <= 0 || (page.channels != 1 && page.channels != 3) ||
      page.pixels.size() != row * page.height) {
    return Status::InvalidArgument("a page's pixels do not match its size");
  }
  Pix* pix = pixCreate(page.width, page.height, page.channels == 1 ? 8 : 32);
  if (pix == nullptr) return Status::ResourceExhausted("no memory for a page of the TIFF");
  pixSetResolution(pix, page.dpi, page.dpi);
  const l_int32 words_per_line = pixGetWpl(pix);
  for (int y = 0; y < page.height; ++y) {
    l_uint32* line = pixGetData(pix) + y * words_per_line;
    const auto* in = reinterpret_cast<const uint8_t*>(page.pixels.data()) + y * row;
    for (int x = 0; x < page.width; ++x) {
      if (page.channels == 1) {
        SET_DATA_BYTE(line, x, in[x]);
      } else {
        composeRGBPixel(in[3 * x], in[3 * x + 1], in[3 * x + 2], line + x);
      }
    }
  }
  return pix;
}

bool StartsWith(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

// The unsigned number of `size` bytes at `at` of a TIFF file in its byte order.
uint32_t ReadNumber(std::string_view bytes, size_t at, int size, bool big_endian) {
  uint32_t value = 0;
  for (int i = 0; i < size; ++i) {
    value = value << 8 | static_cast<uint8_t>(bytes[at + (big_endian ? i : size - 1 - i)]);
  }
  return value;
}

// The bytes of a classic TIFF file being joined, read and patched in the file's byte order.
class TiffBytes {
 public:
  TiffBytes(std::string& bytes, bool big_endian) : bytes_(bytes), big_endian_(big_endian) {}

  bool Has(uint64_t at, uint64_t size) const {
    return at <= bytes_.size() && size <= bytes_.size() - at;
  }
  uint32_t Get(size_t at, int size) const { return ReadNumber(bytes_, at, size, big_endian_); }
  void Put32(size_t at, uint32_t value) {
    for (int i = 0; i < 4; ++i) {
      bytes_[at + (big_endian_ ? 3 - i : i)] = static_cast<char>(value >> (8 * i) & 0xff);
    }
  }

 private:
  std::string& bytes_;
  const bool big_endian_;
};

// The size of one value of each TIFF field type, 1 to 12: BYTE, ASCII, SHORT, LONG, RATIONAL,
// SBYTE, UNDEFINED, SSHORT, SLONG, SRATIONAL, FLOAT, DOUBLE. 0 for the others (IFD, 13, and newer
// types point elsewhere).
constexpr int kTiffTypeSizes[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};

int TiffTypeSize(uint32_t type) {
  return type < std::size(kTiffTypeSizes) ? kTiffTypeSizes[type] : 0;
}

Status DamagedTiff(size_t file) {
  return Status::InvalidArgument("TIFF file " + std::to_string(file + 1) +
                                 " of the pages to join is damaged");
}

// Moves the directory (a page) at `at` of a file whose offsets are relative to `base` in `out`:
// every offset it holds, to its values and to its strips or tiles, gets `base` added.
Status RelocateDirectory(TiffBytes out, size_t at, uint64_t base, size_t file) {
  const uint32_t entries = out.Get(at, 2);
  if (!out.Has(at, 2 + 12ull * entries + 4)) return DamagedTiff(file);
  for (uint32_t k = 0; k < entries; ++k) {
    const size_t entry = at + 2 + 12 * k;
    const uint32_t tag = out.Get(entry, 2);
    const uint32_t type = out.Get(entry + 2, 2);
    const uint64_t count = out.Get(entry + 4, 4);
    // SubIFDs, EXIF, GPS and interoperability directories are not copied.
    if (tag == 330 || tag == 34665 || tag == 34853 || tag == 40965 || TiffTypeSize(type) == 0) {
      return Status::InvalidArgument("TIFF file " + std::to_string(file + 1) +
                                     " points to directories other than its pages'");
    }
    const uint64_t size = count * TiffTypeSize(type);
    size_t values = entry + 8;
    if (size > 4) {
      const uint64_t moved = base + out.Get(entry + 8, 4);
      if (!out.Has(moved, size) || moved > UINT32_MAX) return DamagedTiff(file);
      out.Put32(entry + 8, static_cast<uint32_t>(moved));
      values = moved;
    }
    if (tag != 273 && tag != 324) continue;   // StripOffsets, TileOffsets
    if (type != 4) return DamagedTiff(file);  // libtiff writes them as LONG
    for (uint64_t j = 0; j < count; ++j) {
      const uint64_t moved = base + out.Get(values + 4 * j, 4);
      if (moved > UINT32_MAX) return Status::InvalidArgument("the joined TIFF would be over 4 GiB");
      out.Put32(values + 4 * j, static_cast<uint32_t>(moved));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> TurnTiffPage(int degrees, const std::string& tiff, PageText& text) {
  std::unique_ptr<Pix, PixDeleter> pix(
      pixReadMemTiff(reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size(), 0));
  const l_int32 depth = pix ? pixGetDepth(pix.get()) : 0;
  if (depth != 8 && depth != 32) {
    return Status::InvalidArgument("a scanned page's TIFF is damaged: it cannot be turned");
  }
  RawPage page{static_cast<int>(pixGetWidth(pix.get())), static_cast<int>(pixGetHeight(pix.get())),
               depth == 8 ? 1 : 3, static_cast<int>(pixGetXRes(pix.get())), ""};
  page.pixels.reserve(static_cast<size_t>(page.width) * page.height * page.channels);
  for (int y = 0; y < page.height; ++y) {
    const l_uint32* line = pixGetData(pix.get()) + y * pixGetWpl(pix.get());
    for (int x = 0; x < page.width; ++x) {
      if (depth == 8) {
        page.pixels.push_back(static_cast<char>(GET_DATA_BYTE(line, x)));
      } else {
        l_int32 r = 0, g = 0, b = 0;
        extractRGBValues(line[x], &r, &g, &b);
        page.pixels += {static_cast<char>(r), static_cast<char>(g), static_cast<char>(b)};
      }
    }
  }
  const char* description = pixGetText(pix.get());
  TurnScannedPage(degrees, page, text);
  return EncodeTiffPage(page, description == nullptr ? "" : description);
}

Result<std::string> EncodeTiffPage(const RawPage& page, const std::string& description) {
  return WriteTiff(1, [&](size_t) -> Result<Pix*> {
    Result<Pix*> pix = ToPix(page);
    if (pix.ok()) pixSetText(*pix, description.c_str());
    return pix;
  });
}

// Each file's bytes after its header are appended as they are, so only the offsets in its
// directories change, by where the file landed; the directories are chained in file order.
Result<std::string> JoinTiffs(const std::vector<std::string>& files) {
  std::string out;
  size_t link = 4;  // where the next page's directory offset goes: the header's, then a page's
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& file = files[i];
    const bool big_endian = StartsWith(file, std::string_view("MM\0*", 4));
    if (file.size() < 8 || (!big_endian && !StartsWith(file, std::string_view("II*\0", 4)))) {
      return Status::InvalidArgument("file " + std::to_string(i + 1) +
                                     " of the pages to join is not a classic TIFF");
    }
    if (out.empty()) out = file.substr(0, 8);
    if (out.compare(0, 2, file, 0, 2) != 0) {
      return Status::InvalidArgument("the TIFF pages to join differ in byte order");
    }
    if (out.size() % 2 != 0) out.push_back('\0');  // offsets fall on word boundaries
    const uint64_t base = out.size() - 8;
    out.append(file, 8);
    TiffBytes bytes(out, big_endian);
    uint64_t directory = ReadNumber(file, 4, 4, big_endian);
    // A file's pages: at most one directory per 14 bytes (entry count and next offset), so a
    // loop in a damaged file ends.
    for (size_t pages = 0; directory != 0; ++pages) {
      if (directory < 8 || pages > file.size() / 14 || !bytes.Has(base + directory, 2)) {
        return DamagedTiff(i);
      }
      const size_t at = base + directory;
      if (Status s = RelocateDirectory(bytes, at, base, i); !s.ok()) return s;
      if (at > UINT32_MAX) return Status::InvalidArgument("the joined TIFF would be over 4 GiB");
      bytes.Put32(link, static_cast<uint32_t>(at));
      link = at + 2 + 12 * bytes.Get(at, 2);
      directory = bytes.Get(link, 4);
      bytes.Put32(link, 0);  // the end, until a next page is linked
    }
  }
  if (out.empty()) return Status::InvalidArgument("no TIFF pages to join");
  return out;
}

Result<std::string> EncodeTiff(const std::vector<RawPage>& pages, const std::string& description) {
  return WriteTiff(pages.size(), [&](size_t i) -> Result<Pix*> {
    Result<Pix*> pix = ToPix(pages[i]);
    if (pix.ok()) pixSetText(*pix, (description + " page " + std::to_string(i + 1)).c_str());
    return pix;
  });
}

Result<PagesFile> CopyPages(std::string_view bytes, const std::vector<int>& pages) {
  if (StartsWith(bytes, std::string_view("II*\0", 4)) ||
      StartsWith(bytes, std::string_view("MM\0*", 4))) {
    return CopyTiffPages(bytes, pages);
  }
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) {
    return CopyPdfPages(bytes, pages);
  }
  return Status::InvalidArgument(
      "only the pages of a PDF or TIFF file can be copied into a document of their own");
}

}  // namespace quire::capture
