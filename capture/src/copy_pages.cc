// CopyPages: some pages of a document file as a file of their own. PDF pages are copied with
// qpdf, so their text layers and images stay as they were; TIFF pages are copied through
// Leptonica in their own depth and resolution.
#include <leptonica/allheaders.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cstdio>
#include <exception>
#include <functional>
#include <memory>

#include "quire/capture/separation.h"

namespace quire::capture {
namespace {

Status PageOutOfRange(int page, int count) {
  return Status::InvalidArgument("page " + std::to_string(page + 1) + " asked for, but the file has " +
                                 std::to_string(count));
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
    return PagesFile{std::string(reinterpret_cast<const char*>(buffer->getBuffer()),
                                 buffer->getSize()),
                     "pdf"};
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

}  // namespace

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
