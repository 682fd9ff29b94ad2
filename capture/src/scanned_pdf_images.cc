#include "scanned_pdf_images.h"

// qpdf 11: its smart pointers are std::shared_ptr.
#define POINTERHOLDER_TRANSITION 4
#include <cmath>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <set>

namespace quire::capture {
namespace {

using Obj = QPDFObjectHandle;

// Filters PDF/A-2 allows and a reader decodes without data from elsewhere (JBIG2 may need global
// segments, LZW is forbidden).
bool AllowedFilter(Obj filter) {
  static const std::set<std::string> kAllowed = {"/DCTDecode", "/FlateDecode", "/CCITTFaxDecode",
                                                 "/RunLengthDecode"};
  if (filter.isNull()) return true;
  if (filter.isName()) return kAllowed.contains(filter.getName());
  if (!filter.isArray()) return false;
  for (Obj f : filter.getArrayAsVector()) {
    if (!f.isName() || !kAllowed.contains(f.getName())) return false;
  }
  return true;
}

double Number(Obj o) { return o.isNumber() ? o.getNumericValue() : 0; }

// Width over height of a rectangle [x0 y0 x1 y1]; 0 when it is not one.
double Aspect(Obj box) {
  if (!box.isArray() || box.getArrayNItems() != 4) return 0;
  const double w = std::abs(Number(box.getArrayItem(2)) - Number(box.getArrayItem(0)));
  const double h = std::abs(Number(box.getArrayItem(3)) - Number(box.getArrayItem(1)));
  return h > 0 ? w / h : 0;
}

bool SameBox(Obj a, Obj b) {
  if (!a.isArray() || !b.isArray() || a.getArrayNItems() != 4 || b.getArrayNItems() != 4) {
    return false;
  }
  for (int i = 0; i < 4; ++i) {
    if (std::abs(Number(a.getArrayItem(i)) - Number(b.getArrayItem(i))) > 0.5) return false;
  }
  return true;
}

// What a page's content stream does: how many XObjects it draws and whether it shows text.
class ContentOperators : public QPDFObjectHandle::ParserCallbacks {
 public:
  void handleObject(QPDFObjectHandle object) override {
    if (!object.isOperator()) return;
    const std::string op = object.getOperatorValue();
    draws += op == "Do";
    shows_text |= op == "Tj" || op == "TJ" || op == "'" || op == "\"";
  }
  void handleEOF() override {}

  int draws = 0;
  bool shows_text = false;
};

// Encodings of binary data as text (ASCII85, hex), which some PDF writers wrap around an image's
// real filter: `data` without them, and the filters and parameters left.
void PeelTextFilters(QPDF& pdf, std::string& data, Obj& filter, Obj& parms) {
  if (!filter.isArray()) return;
  std::vector<Obj> filters = filter.getArrayAsVector();
  std::vector<Obj> all_parms = parms.isArray() ? parms.getArrayAsVector() : std::vector<Obj>{};
  size_t peeled = 0;
  while (peeled < filters.size() && (filters[peeled].isNameAndEquals("/ASCII85Decode") ||
                                     filters[peeled].isNameAndEquals("/ASCIIHexDecode"))) {
    ++peeled;
  }
  if (peeled == 0) return;
  Obj wrapped = Obj::newStream(&pdf);
  wrapped.replaceStreamData(
      data, Obj::newArray(std::vector<Obj>(filters.begin(), filters.begin() + peeled)),
      Obj::newNull());
  std::shared_ptr<Buffer> plain = wrapped.getStreamData(qpdf_dl_generalized);
  data.assign(reinterpret_cast<const char*>(plain->getBuffer()), plain->getSize());
  filter = Obj::newArray(std::vector<Obj>(filters.begin() + peeled, filters.end()));
  if (all_parms.size() > peeled) {
    parms = Obj::newArray(std::vector<Obj>(all_parms.begin() + peeled, all_parms.end()));
  } else if (parms.isArray()) {
    parms = Obj::newNull();
  }
}

}  // namespace

struct ScannedPdfImages::Document {
  QPDF pdf;
  std::vector<QPDFPageObjectHelper> pages;
};

ScannedPdfImages::ScannedPdfImages(std::unique_ptr<Document> doc) : doc_(std::move(doc)) {}
ScannedPdfImages::~ScannedPdfImages() = default;

std::shared_ptr<ScannedPdfImages> ScannedPdfImages::Open(std::string_view pdf) {
  try {
    auto doc = std::make_unique<Document>();
    doc->pdf.setSuppressWarnings(true);
    doc->pdf.processMemoryFile("original", pdf.data(), pdf.size());
    doc->pages = QPDFPageDocumentHelper(doc->pdf).getAllPages();
    return std::shared_ptr<ScannedPdfImages>(new ScannedPdfImages(std::move(doc)));
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::optional<PdfPageImage> ScannedPdfImages::Take(int index) {
  try {
    if (index < 0 || index >= static_cast<int>(doc_->pages.size())) return std::nullopt;
    QPDFPageObjectHelper& page = doc_->pages[index];
    // Capture read the page turned and cropped as a viewer shows it; an image over a plain page
    // lies on the words' boxes as it is.
    Obj rotate = page.getAttribute("/Rotate", false);
    if (rotate.isInteger() && rotate.getIntValue() % 360 != 0) return std::nullopt;
    Obj media = page.getMediaBox();
    if (!SameBox(media, page.getCropBox())) return std::nullopt;
    ContentOperators content;
    page.parseContents(&content);
    std::map<std::string, Obj> images = page.getImages();
    if (content.shows_text || content.draws != 1 || images.size() != 1) return std::nullopt;
    Obj image = images.begin()->second;
    Obj dict = image.getDict();
    Obj space = dict.getKey("/ColorSpace");
    const bool gray = space.isNameAndEquals("/DeviceGray");
    if (!gray && !space.isNameAndEquals("/DeviceRGB")) return std::nullopt;
    std::shared_ptr<Buffer> raw = image.getRawStreamData();
    std::string data(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize());
    Obj filter = dict.getKey("/Filter");
    Obj parms = dict.getKey("/DecodeParms");
    PeelTextFilters(doc_->pdf, data, filter, parms);
    if (!AllowedFilter(filter) || dict.hasKey("/SMask") || dict.hasKey("/Mask") ||
        (dict.getKey("/ImageMask").isBool() && dict.getKey("/ImageMask").getBoolValue())) {
      return std::nullopt;
    }
    PdfPageImage taken;
    taken.width = static_cast<int>(Number(dict.getKey("/Width")));
    taken.height = static_cast<int>(Number(dict.getKey("/Height")));
    taken.bits = static_cast<int>(Number(dict.getKey("/BitsPerComponent")));
    taken.components = gray ? 1 : 3;
    // One image over all of the page: it has the page's shape (a scan placed with margins or
    // beside other drawing does not, and is rendered instead).
    const double page_aspect = Aspect(media);
    if (taken.width <= 0 || taken.height <= 0 || page_aspect <= 0 ||
        std::abs(double(taken.width) / taken.height / page_aspect - 1) > 0.01) {
      return std::nullopt;
    }
    taken.data = std::move(data);
    if (!filter.isNull()) taken.filter = filter.unparseResolved();
    if (!parms.isNull()) taken.decode_parms = parms.unparseResolved();
    if (dict.hasKey("/Decode")) taken.decode = dict.getKey("/Decode").unparseResolved();
    return taken;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace quire::capture
