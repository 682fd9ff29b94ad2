// The searchable PDF, built with qpdf's object model: qpdf writes the file (objects, streams,
// cross-reference table, Flate compression); this file decides which objects there are. The
// content streams are sequences of operators whose operands qpdf writes (ContentStream).
//
// The objects, for N pages:
//   catalog: /Pages, /Metadata (XMP, uncompressed as PDF/A asks), /OutputIntents [sRGB]
//   font /F0: Type0, Identity-H, /ToUnicode; its CIDFontType2 maps every CID to glyph 1 of the
//            embedded glyphless font (advance 500/1000 em, nothing drawn)
//   page i: /MediaBox in points (pixels * 72 / dpi), /Rotate as the page was turned to read it,
//           /Im0 (the page image) and a content stream:
//             q W 0 0 H 0 0 cm /Im0 Do Q           the image over the whole page
//             BT 3 Tr                              invisible text
//             /F0 size Tf stretch Tz a b c d x y Tm <UTF-16BE> Tj     per word
//             ET
//   trailer: /Info with the same title, author, tool and dates as the XMP; /ID.
#include "quire/capture/searchable_pdf.h"

// qpdf 11: its smart pointers are std::shared_ptr.
#define POINTERHOLDER_TRANSITION 4
#include <initializer_list>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <set>

#include "pdf_page_images.h"
#include "pdfa_metadata.h"

namespace quire::capture {

// Tesseract's pdf.ttf (libtesseract5), built in by CMake: see capture/CMakeLists.txt.
extern const unsigned char kGlyphlessFont[];
extern const size_t kGlyphlessFontSize;

namespace {

using Obj = QPDFObjectHandle;

// The glyphless font's one glyph advances half an em: a word of n characters at size s is
// n * s / 2 wide before it is stretched to its box.
constexpr double kGlyphAdvance = 0.5;
// Images that do not say their resolution (many phone photos and SROIE's receipts).
constexpr int kAssumedDpi = 300;

Obj Name(const char* name) { return Obj::newName(name); }
// -0 would be written "-0".
Obj Real(double value) { return Obj::newReal(value == 0 ? 0.0 : value, 3); }
Obj Int(long long value) { return Obj::newInteger(value); }

Obj Dict(std::initializer_list<std::pair<const char*, Obj>> entries) {
  Obj dict = Obj::newDictionary();
  for (const auto& [key, value] : entries) dict.replaceKey(key, value);
  return dict;
}

// Operators with operands that qpdf writes, one per line.
class ContentStream {
 public:
  void Op(std::initializer_list<Obj> operands, const char* op) {
    for (Obj operand : operands) text_ += operand.unparse() + " ";
    text_ += op;
    text_ += '\n';
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// The UTF-16BE code units of `utf8`: the font's character codes (Identity-H), which its
// ToUnicode map turns back into text. Characters beyond the Basic Multilingual Plane and
// malformed bytes become U+FFFD: a code is one 16-bit unit here.
std::string Utf16Codes(const std::string& utf8) {
  std::string codes;
  auto put = [&codes](uint32_t unit) {
    codes += static_cast<char>(unit >> 8);
    codes += static_cast<char>(unit & 0xFF);
  };
  for (size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const int length = lead < 0x80         ? 1
                       : (lead >> 5) == 6  ? 2
                       : (lead >> 4) == 14 ? 3
                       : (lead >> 3) == 30 ? 4
                                           : 0;
    uint32_t code = length == 1   ? lead
                    : length == 2 ? lead & 0x1F
                    : length == 3 ? lead & 0x0F
                                  : lead & 0x07;
    bool ok = length > 0 && i + length <= utf8.size();
    for (int k = 1; ok && k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      ok = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    put(ok && code < 0x10000 && (code < 0xD800 || code > 0xDFFF) ? code : 0xFFFD);
    i += ok ? length : 1;
  }
  return codes;
}

// Every 16-bit code maps to the character with that value (surrogates excepted); bfrange
// entries may only vary the last byte, so one per high byte, at most 100 per block.
std::string IdentityToUnicodeCMap() {
  std::vector<std::string> ranges;
  for (int high = 0; high < 256; ++high) {
    if (high >= 0xD8 && high <= 0xDF) continue;
    char line[32];
    std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", high, high, high);
    ranges.push_back(line);
  }
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (size_t start = 0; start < ranges.size(); start += 100) {
    const size_t end = std::min(ranges.size(), start + 100);
    cmap += std::to_string(end - start) + " beginbfrange\n";
    for (size_t i = start; i < end; ++i) cmap += ranges[i];
    cmap += "endbfrange\n";
  }
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

Obj GlyphlessFont(QPDF& pdf) {
  Obj font_file = Obj::newStream(
      &pdf, std::string(reinterpret_cast<const char*>(kGlyphlessFont), kGlyphlessFontSize));
  font_file.getDict().replaceKey("/Length1", Int(kGlyphlessFontSize));
  Obj descriptor = pdf.makeIndirectObject(Dict({
      {"/Type", Name("/FontDescriptor")},
      {"/FontName", Name("/GlyphLessFont")},
      {"/Flags", Int(5)},  // fixed pitch, symbolic
      {"/FontBBox", Obj::parse("[0 0 500 1000]")},
      {"/ItalicAngle", Int(0)},
      // The glyph's box spans the word's box: the baseline is at the box's bottom edge.
      {"/Ascent", Int(1000)},
      {"/Descent", Int(-1)},  // must be negative; as good as 0
      {"/CapHeight", Int(1000)},
      {"/StemV", Int(80)},
      {"/FontFile2", font_file},
  }));
  // Two bytes per CID, each naming glyph 1: Flate makes the 128 KiB a few hundred bytes.
  std::string cid_to_gid(2 * 65536, '\0');
  for (size_t i = 1; i < cid_to_gid.size(); i += 2) cid_to_gid[i] = 1;
  Obj cid_font = pdf.makeIndirectObject(Dict({
      {"/Type", Name("/Font")},
      {"/Subtype", Name("/CIDFontType2")},
      {"/BaseFont", Name("/GlyphLessFont")},
      {"/CIDSystemInfo", Dict({{"/Registry", Obj::newString("Adobe")},
                               {"/Ordering", Obj::newString("Identity")},
                               {"/Supplement", Int(0)}})},
      {"/FontDescriptor", descriptor},
      {"/DW", Int(500)},
      {"/CIDToGIDMap", Obj::newStream(&pdf, cid_to_gid)},
  }));
  return pdf.makeIndirectObject(Dict({
      {"/Type", Name("/Font")},
      {"/Subtype", Name("/Type0")},
      {"/BaseFont", Name("/GlyphLessFont")},
      {"/Encoding", Name("/Identity-H")},
      {"/DescendantFonts", Obj::newArray({cid_font})},
      {"/ToUnicode", Obj::newStream(&pdf, IdentityToUnicodeCMap())},
  }));
}

Obj ImageXObject(QPDF& pdf, const PdfPageImage& image) {
  Obj stream = Obj::newStream(&pdf);
  // Without a filter, qpdf's writer compresses the samples with Flate; encoded data (a JPEG, a
  // scanned PDF page's image) stays as it is.
  auto object = [](const std::string& syntax) {
    return syntax.empty() ? Obj::newNull() : Obj::parse(syntax);
  };
  stream.replaceStreamData(image.data, object(image.filter), object(image.decode_parms));
  Obj dict = stream.getDict();
  if (!image.decode.empty()) dict.replaceKey("/Decode", object(image.decode));
  dict.replaceKey("/Type", Name("/XObject"));
  dict.replaceKey("/Subtype", Name("/Image"));
  dict.replaceKey("/Width", Int(image.width));
  dict.replaceKey("/Height", Int(image.height));
  dict.replaceKey("/ColorSpace", Name(image.components == 3 ? "/DeviceRGB" : "/DeviceGray"));
  dict.replaceKey("/BitsPerComponent", Int(image.bits));
  return stream;
}

// Where a word's text goes: it reads along its box (turned as the page was turned to read it),
// with its baseline on the box's lower edge as the reader sees it, as high as the box is across.
struct WordPlacement {
  double cos = 1, sin = 0;  // the reading direction in PDF space (y up)
  double x = 0, y = 0;      // the baseline's start, in points
  double size = 0;          // font size: the box across the reading direction
  double length = 0;        // the box along it
};

WordPlacement Place(const Box& b, int rotation, double scale, double page_height) {
  const double left = b.x * scale, right = b.right() * scale;
  const double top = page_height - b.y * scale, bottom = page_height - b.bottom() * scale;
  const double w = b.w * scale, h = b.h * scale;
  switch (rotation) {
    case 90: return {0, 1, right, bottom, w, h};  // reads upwards
    case 180: return {-1, 0, right, top, h, w};   // reads leftwards, upside down
    case 270: return {0, -1, left, top, w, h};    // reads downwards
    default: return {1, 0, left, bottom, h, w};
  }
}

std::string PageContent(const PageText& page, double scale, double width, double height) {
  ContentStream content;
  content.Op({}, "q");
  content.Op({Real(width), Int(0), Int(0), Real(height), Int(0), Int(0)}, "cm");
  content.Op({Name("/Im0")}, "Do");
  content.Op({}, "Q");
  content.Op({}, "BT");
  content.Op({Int(3)}, "Tr");
  for (const OcrWord& word : page.words) {
    const std::string codes = Utf16Codes(word.text);
    if (codes.empty() || word.box.empty()) continue;
    const WordPlacement p = Place(word.box, page.rotation, scale, height);
    const double natural = (codes.size() / 2) * kGlyphAdvance * p.size;
    content.Op({Name("/F0"), Real(p.size)}, "Tf");
    content.Op({Real(100 * p.length / natural)}, "Tz");
    content.Op({Real(p.cos), Real(p.sin), Real(-p.sin), Real(p.cos), Real(p.x), Real(p.y)}, "Tm");
    content.Op({Obj::newString(codes)}, "Tj");
  }
  content.Op({}, "ET");
  return content.text();
}

Obj Page(QPDF& pdf, const PageText& text, const PdfPageImage& image, const Obj& font) {
  const int dpi = text.dpi > 0 ? text.dpi : kAssumedDpi;
  const double scale = 72.0 / dpi;
  // The words' boxes are in the pixels of the page as capture decoded it; the image fills it.
  const double width = (text.width > 0 ? text.width : image.width) * scale;
  const double height = (text.height > 0 ? text.height : image.height) * scale;
  Obj page = Dict({
      {"/Type", Name("/Page")},
      {"/MediaBox", Obj::newArray({Int(0), Int(0), Real(width), Real(height)})},
      {"/Resources", Dict({{"/XObject", Dict({{"/Im0", ImageXObject(pdf, image)}})},
                           {"/Font", Dict({{"/F0", font}})}})},
      {"/Contents", Obj::newStream(&pdf, PageContent(text, scale, width, height))},
  });
  if (text.rotation != 0) page.replaceKey("/Rotate", Int(text.rotation));
  return pdf.makeIndirectObject(page);
}

// The fonts a content stream shows text in: the name given to Tf before each text-showing
// operator. (A font only selected, as some writers do for an empty text object, shows nothing.)
class FontsShowingText : public QPDFObjectHandle::ParserCallbacks {
 public:
  void handleObject(QPDFObjectHandle object) override {
    if (!object.isOperator()) {
      if (object.isName()) last_name_ = object.getName();
      return;
    }
    const std::string op = object.getOperatorValue();
    if (op == "Tf") current_ = last_name_;
    if (op == "Tj" || op == "TJ" || op == "'" || op == "\"") fonts.insert(current_);
  }
  void handleEOF() override {}

  std::set<std::string> fonts;

 private:
  std::string last_name_;
  std::string current_;
};

// Whether the file holds the font's program (PDF/A asks it of every font that shows text). A
// Type 3 font's glyphs are content streams of the file.
bool IsEmbedded(Obj font) {
  if (!font.isDictionary()) return false;
  if (font.getKey("/Subtype").isNameAndEquals("/Type3")) return true;
  if (font.getKey("/Subtype").isNameAndEquals("/Type0")) {
    Obj descendants = font.getKey("/DescendantFonts");
    if (!descendants.isArray() || descendants.getArrayNItems() != 1) return false;
    font = descendants.getArrayItem(0);
  }
  Obj descriptor = font.getKey("/FontDescriptor");
  return descriptor.isDictionary() &&
         (descriptor.hasKey("/FontFile") || descriptor.hasKey("/FontFile2") ||
          descriptor.hasKey("/FontFile3"));
}

// Whether every font in `resources` is embedded, also in the form XObjects they draw, down to
// `depth` forms deep (deeper forms count as not embedded).
bool EmbedsAllFonts(Obj resources, int depth) {
  if (!resources.isDictionary()) return true;
  Obj fonts = resources.getKey("/Font");
  if (fonts.isDictionary()) {
    for (auto [name, font] : fonts.ditems()) {
      if (!IsEmbedded(font)) return false;
    }
  }
  Obj xobjects = resources.getKey("/XObject");
  if (!xobjects.isDictionary()) return true;
  for (auto [name, xobject] : xobjects.ditems()) {
    if (!xobject.isStream() || !xobject.getDict().getKey("/Subtype").isNameAndEquals("/Form")) {
      continue;
    }
    if (depth == 0 || !EmbedsAllFonts(xobject.getDict().getKey("/Resources"), depth - 1)) {
      return false;
    }
  }
  return true;
}

// Whether a page kept from the original leaves the file PDF/A: every font that shows text on it
// is embedded. (Forms it draws are checked whole.)
bool KeepsPdfA(QPDFPageObjectHelper& page) {
  FontsShowingText shown;
  page.parseContents(&shown);
  Obj resources = page.getAttribute("/Resources", false);
  Obj fonts = resources.isDictionary() ? resources.getKey("/Font") : Obj::newNull();
  for (const std::string& name : shown.fonts) {
    if (!fonts.isDictionary() || !IsEmbedded(fonts.getKey(name))) return false;
  }
  Obj forms = Dict(
      {{"/XObject", resources.isDictionary() ? resources.getKey("/XObject") : Obj::newNull()}});
  return EmbedsAllFonts(forms, 4);
}

// The pages of a PDF original, for copying those that have a text layer of their own.
struct OriginalPdf {
  QPDF pdf;  // copied pages' streams are read from it when the new file is written
  std::vector<QPDFPageObjectHelper> pages;
};

bool HasTextLayerPage(const std::vector<PageText>& pages) {
  for (const PageText& page : pages) {
    if (page.source == TextSource::kTextLayer) return true;
  }
  return false;
}

Status AddPdfaCatalog(QPDF& pdf, const PdfDescription& description, bool pdfa) {
  QUIRE_ASSIGN_OR_RETURN(std::string icc, SrgbIccProfile());
  Obj profile = Obj::newStream(&pdf, icc);
  profile.getDict().replaceKey("/N", Int(3));
  Obj intent = Dict({
      {"/Type", Name("/OutputIntent")},
      {"/S", Name("/GTS_PDFA1")},
      {"/OutputConditionIdentifier", Obj::newString("sRGB IEC61966-2.1")},
      {"/Info", Obj::newString("sRGB IEC61966-2.1")},
      {"/DestOutputProfile", profile},
  });
  Obj metadata = Obj::newStream(&pdf, PdfaXmp(description, pdfa));
  metadata.getDict().replaceKey("/Type", Name("/Metadata"));
  metadata.getDict().replaceKey("/Subtype", Name("/XML"));
  Obj root = pdf.getRoot();
  root.replaceKey("/Metadata", metadata);
  root.replaceKey("/OutputIntents", Obj::newArray({intent}));

  Obj info = Dict({
      {"/Title", Obj::newUnicodeString(description.title.empty() ? "Untitled" : description.title)},
      {"/Creator", Obj::newString("quire")},
      {"/Producer", Obj::newString("quire")},
      {"/CreationDate", Obj::newString(PdfDate(description.created))},
      {"/ModDate", Obj::newString(PdfDate(description.modified))},
  });
  if (!description.author.empty()) {
    info.replaceKey("/Author", Obj::newUnicodeString(description.author));
  }
  pdf.getTrailer().replaceKey("/Info", pdf.makeIndirectObject(info));
  return Status::Ok();
}

}  // namespace

Result<std::string> WriteSearchablePdf(std::string_view original,
                                       const std::vector<PageText>& pages,
                                       const PdfDescription& description,
                                       const CaptureOptions& options) {
  // A PDF's pages are rendered at the resolution capture read them at, so the image fits the
  // words' boxes.
  CaptureOptions rendering = options;
  if (!pages.empty() && pages.front().dpi > 0) rendering.pdf_dpi = pages.front().dpi;
  QUIRE_ASSIGN_OR_RETURN(PdfPageImages images, PdfPageImages::Open(original, rendering));
  if (images.page_count() != static_cast<int>(pages.size())) {
    return Status::InvalidArgument("the original has " + std::to_string(images.page_count()) +
                                   " pages but " + std::to_string(pages.size()) +
                                   " were read: read the file again");
  }
  try {
    // A PDF's pages with a text layer of their own are copied as they are, their vector
    // content and text untouched; only the pages that are scans get quire's words.
    OriginalPdf original_pdf;
    if (HasTextLayerPage(pages)) {
      original_pdf.pdf.setSuppressWarnings(true);
      original_pdf.pdf.processMemoryFile("original", original.data(), original.size());
      original_pdf.pages = QPDFPageDocumentHelper(original_pdf.pdf).getAllPages();
      if (original_pdf.pages.size() != pages.size()) {
        return Status::InvalidArgument("the PDF's pages cannot be told apart: read the file again");
      }
    }
    QPDF pdf;
    pdf.emptyPDF();
    const Obj font = GlyphlessFont(pdf);
    bool pdfa = true;
    for (size_t i = 0; i < pages.size(); ++i) {
      if (pages[i].source == TextSource::kTextLayer) {
        QPDFPageObjectHelper& kept = original_pdf.pages[i];
        pdfa = pdfa && KeepsPdfA(kept);
        pdf.addPage(kept.getObjectHandle(), /*first=*/false);  // copies what the page refers to
        continue;
      }
      Result<PdfPageImage> image =
          images.Read(static_cast<int>(i), pages[i].width, pages[i].height);
      if (!image.ok()) return image.status().WithContext("page " + std::to_string(i + 1));
      pdf.addPage(Page(pdf, pages[i], *image, font), /*first=*/false);
    }
    if (Status s = AddPdfaCatalog(pdf, description, pdfa); !s.ok()) return s;
    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.setMinimumPDFVersion("1.7");  // PDF/A-2 is based on PDF 1.7
    writer.setDeterministicID(true);
    writer.setObjectStreamMode(qpdf_o_generate);
    writer.write();
    std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("writing the PDF failed: ") + e.what());
  }
}

}  // namespace quire::capture
