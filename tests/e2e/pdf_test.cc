// The searchable PDF/A of `quire ocr --pdf` and `quire export --format pdf`, checked with the tools
// a user would check it with: pdftotext finds quire's words where quire read them on the page,
// qpdf finds nothing wrong, and the XMP names PDF/A-2b.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::ProcessOutput;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::TempDir;

namespace {

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct ToolOutput {
  int exit_code = -1;
  std::string out;
};

// Runs a shell command (the arguments are our own temp paths), with its stdout.
ToolOutput RunTool(const std::string& command) {
  ToolOutput result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Unescape(std::string text) {
  static const std::pair<const char*, const char*> kEntities[] = {{"&lt;", "<"},    {"&gt;", ">"},
                                                                  {"&quot;", "\""}, {"&apos;", "'"},
                                                                  {"&#39;", "'"},   {"&amp;", "&"}};
  for (const auto& [entity, plain] : kEntities) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, std::strlen(entity), plain);
    }
  }
  return text;
}

// A word's box as a fraction of its page: left, top, right, bottom.
struct PageWord {
  std::string text;
  double box[4];
};

// What pdftotext -bbox finds on each page. It gives the words where a viewer shows them, on the
// page turned by `rotations` (degrees clockwise, one per page), but the page's size unturned.
std::vector<std::vector<PageWord>> PdfWords(const std::string& pdf,
                                            const std::vector<int>& rotations) {
  const ToolOutput html = RunTool("pdftotext -bbox '" + pdf + "' -");
  REQUIRE(html.exit_code == 0);
  static const std::regex kPage(R"re(<page width="([\d.]+)" height="([\d.]+)">)re");
  static const std::regex kWord(
      R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  std::vector<std::vector<PageWord>> pages;
  double width = 1, height = 1;
  for (std::istringstream lines(html.out); !lines.eof();) {
    std::string line;
    std::getline(lines, line);
    std::smatch m;
    if (std::regex_search(line, m, kPage)) {
      pages.emplace_back();
      width = std::stod(m[1]);
      height = std::stod(m[2]);
      if (pages.size() <= rotations.size() && rotations[pages.size() - 1] % 180 != 0) {
        std::swap(width, height);
      }
    } else if (std::regex_search(line, m, kWord) && !pages.empty()) {
      pages.back().push_back({Unescape(m[5]),
                              {std::stod(m[1]) / width, std::stod(m[2]) / height,
                               std::stod(m[3]) / width, std::stod(m[4]) / height}});
    }
  }
  return pages;
}

// A point (u, v) of a page, as fractions of its size, where a viewer shows it once the page is
// turned `rotation` degrees clockwise (as the PDF's /Rotate asks).
std::pair<double, double> Turned(double u, double v, int rotation) {
  switch (rotation) {
    case 90: return {1 - v, u};
    case 180: return {1 - u, 1 - v};
    case 270: return {v, 1 - u};
    default: return {u, v};
  }
}

// What quire read on each page (pages as `quire ocr --json` or `show --json` print them), where a
// viewer shows it: upright.
std::vector<std::vector<PageWord>> QuireWords(const json& pages) {
  std::vector<std::vector<PageWord>> out;
  for (const json& page : pages) {
    const double width = page["width"].get<double>(), height = page["height"].get<double>();
    const int rotation = page["rotation"].get<int>();
    out.emplace_back();
    for (const json& word : page["words"]) {
      const json& b = word["box"];
      const double x = b[0].get<double>(), y = b[1].get<double>();
      const auto [u0, v0] = Turned(x / width, y / height, rotation);
      const auto [u1, v1] =
          Turned((x + b[2].get<double>()) / width, (y + b[3].get<double>()) / height, rotation);
      out.back().push_back(
          {word["text"].get<std::string>(),
           {std::min(u0, u1), std::min(v0, v1), std::max(u0, u1), std::max(v0, v1)}});
    }
  }
  return out;
}

struct Agreement {
  int words = 0;
  int found = 0;   // a word with the same text is in the PDF's text on that page
  int placed = 0;  // ... and its box is within 1% of the page of quire's
};

// For each of quire's words, the PDF's word of the same text nearest to it.
Agreement Compare(const std::vector<std::vector<PageWord>>& quire,
                  const std::vector<std::vector<PageWord>>& pdf) {
  Agreement a;
  REQUIRE(quire.size() == pdf.size());
  for (size_t p = 0; p < quire.size(); ++p) {
    for (const PageWord& word : quire[p]) {
      ++a.words;
      double nearest = 1e9;
      for (const PageWord& candidate : pdf[p]) {
        if (candidate.text != word.text) continue;
        double distance = 0;
        for (int k = 0; k < 4; ++k) {
          distance = std::max(distance, std::abs(candidate.box[k] - word.box[k]));
        }
        nearest = std::min(nearest, distance);
      }
      a.found += nearest < 1e9;
      a.placed += nearest <= 0.01;
    }
  }
  return a;
}

void CheckPdfA(const std::string& pdf) {
  const ToolOutput check = RunTool("qpdf --check '" + pdf + "'");
  INFO(check.out);
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.out, Catch::Contains("No syntax or stream encoding errors found"));
  // The metadata stream is uncompressed (PDF/A asks it), so its XMP is in the file as it is.
  const std::string bytes = ReadBytes(pdf);
  CHECK(bytes.rfind("%PDF-1.7", 0) == 0);
  CHECK_THAT(bytes, Catch::Contains("<pdfaid:part>2</pdfaid:part>"));
  CHECK_THAT(bytes, Catch::Contains("<pdfaid:conformance>B</pdfaid:conformance>"));
  const ToolOutput info = RunTool("pdfinfo -meta '" + pdf + "'");
  CHECK_THAT(info.out, Catch::Contains("<pdfaid:part>2</pdfaid:part>"));
}

void CheckWordsAgree(const json& pages, const std::string& pdf) {
  std::vector<int> rotations;
  for (const json& page : pages) rotations.push_back(page["rotation"].get<int>());
  const Agreement a = Compare(QuireWords(pages), PdfWords(pdf, rotations));
  INFO(a.found << " of " << a.words << " words found, " << a.placed << " in place");
  REQUIRE(a.words > 50);
  CHECK(a.found == a.words);
  CHECK(a.placed >= 0.98 * a.words);
}

}  // namespace

TEST_CASE("quire ocr --pdf writes a PDF/A-2b whose text lies on quire's words") {
  TempDir dir;
  const std::string pdf = dir.Sub("invoice.pdf");
  const std::string scan = SampleDoc("invoice-en-01.png");
  const ProcessOutput run = RunQuire({"ocr", scan, "--pdf", pdf});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CheckPdfA(pdf);
  const json read = RunQuireJson({"ocr", "--json", scan});
  CheckWordsAgree(read["pages"], pdf);
  // pdftotext's text of the page is quire's, word for word.
  const ToolOutput text = RunTool("pdftotext '" + pdf + "' -");
  CHECK_THAT(text.out, Catch::Contains("INV-2024-0387"));
  CHECK_THAT(text.out, Catch::Contains("billing@brightline-supply.com"));
}

TEST_CASE("a JPEG goes into the PDF byte for byte, turned photos and pages are shown upright",
          "[slow]") {
  TempDir dir;
  const std::string jpeg = SampleDoc("invoice-en-01-skew.jpg");
  const std::string pdf = dir.Sub("skew.pdf");
  REQUIRE(RunQuire({"ocr", jpeg, "--pdf", pdf}).exit_code == 0);
  CHECK_THAT(ReadBytes(pdf), Catch::Contains(ReadBytes(jpeg)));
  CheckPdfA(pdf);

  // A photo whose EXIF data says to turn it (python3-pil, which scripts/make-sample-docs.py
  // needs, writes one): capture reads it turned, and the PDF shows it so, under its words.
  const std::string exif = dir.Sub("exif.jpg");
  REQUIRE(RunTool("/usr/bin/python3 -c \"from PIL import Image; e = Image.Exif(); "
                  "e[0x0112] = 6; Image.open('" +
                  jpeg +
                  "').rotate(90, expand=True)"
                  ".save('" +
                  exif + "', exif=e.tobytes())\"")
              .exit_code == 0);
  const std::string exif_pdf = dir.Sub("exif.pdf");
  REQUIRE(RunQuire({"ocr", exif, "--pdf", exif_pdf}).exit_code == 0);
  CheckPdfA(exif_pdf);
  CheckWordsAgree(RunQuireJson({"ocr", "--json", exif})["pages"], exif_pdf);

  // A page scanned sideways: turned upright by the viewer, its words where it shows them.
  const std::string sideways = dir.Sub("rot90.pdf");
  const std::string rot90 = SampleDoc("invoice-en-01-rot90.png");
  REQUIRE(RunQuire({"ocr", rot90, "--pdf", sideways}).exit_code == 0);
  const json read = RunQuireJson({"ocr", "--json", rot90});
  const int rotation = read["pages"][0]["rotation"].get<int>();
  CHECK(rotation != 0);
  CHECK_THAT(RunTool("pdfinfo '" + sideways + "'").out,
             Catch::Contains("Page rot:        " + std::to_string(rotation)));
  CheckWordsAgree(read["pages"], sideways);
  CHECK_THAT(RunTool("pdftotext '" + sideways + "' -").out,
             Catch::Contains("Brightline Office Supply Co."));
}

TEST_CASE("a scanned PDF keeps its scans as they are, a fax TIFF stays black and white", "[slow]") {
  TempDir dir;
  // The scanner's JPEGs inside the PDF (pdfimages -j writes them as the file holds them) are in
  // the searchable PDF byte for byte.
  const std::string scan = SampleDoc("invoice-en-03-scan.pdf");
  const std::string pdf = dir.Sub("scan.pdf");
  const ProcessOutput run = RunQuire({"ocr", scan, "--pdf", pdf});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CheckPdfA(pdf);
  REQUIRE(RunTool("pdfimages -j '" + scan + "' '" + dir.Sub("in") + "'").exit_code == 0);
  const std::string bytes = ReadBytes(pdf);
  for (const char* page : {"in-000.jpg", "in-001.jpg"}) {
    const std::string jpeg = ReadBytes(dir.Sub(page));
    REQUIRE(jpeg.size() > 1000);
    CHECK_THAT(bytes, Catch::Contains(jpeg));
  }
  CheckWordsAgree(RunQuireJson({"ocr", "--json", scan})["pages"], pdf);

  const std::string fax = SampleDoc("invoice-en-03-fax.tif");
  const std::string fax_pdf = dir.Sub("fax.pdf");
  REQUIRE(RunQuire({"ocr", fax, "--pdf", fax_pdf}).exit_code == 0);
  CheckPdfA(fax_pdf);
  // pdfimages -list: a header of two lines, then one line per image with its bits per component.
  const ToolOutput images = RunTool("pdfimages -list '" + fax_pdf + "'");
  std::istringstream lines(images.out);
  std::string line;
  int images_seen = 0;
  for (int n = 0; std::getline(lines, line); ++n) {
    if (n < 2) continue;
    std::istringstream columns(line);
    std::string page, num, type, width, height, color, comp, bpc;
    columns >> page >> num >> type >> width >> height >> color >> comp >> bpc;
    CHECK(bpc == "1");
    ++images_seen;
  }
  CHECK(images_seen == 2);
  CheckWordsAgree(RunQuireJson({"ocr", "--json", fax})["pages"], fax_pdf);
}

TEST_CASE("quire export --format pdf: the archived document, its fields in the XMP") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  REQUIRE(
      RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("invoice-de-01-skew.jpg"),
                    SampleDoc("invoice-en-03-text.pdf")})["results"]
          .size() == 2);

  const std::string pdf = dir.Sub("1.pdf");
  const ProcessOutput run =
      RunQuire({"--archive", archive, "export", "1", "--format", "pdf", "--out", pdf});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CheckPdfA(pdf);
  const json doc = RunQuireJson({"--archive", archive, "show", "1", "--json"});
  CheckWordsAgree(doc["pages"], pdf);
  const std::string bytes = ReadBytes(pdf);
  REQUIRE(doc["fields"].contains("total"));
  for (const auto& [name, field] : doc["fields"].items()) {
    std::string value = field["value"].get<std::string>();
    for (size_t at = value.find('&'); at != std::string::npos; at = value.find('&', at + 1)) {
      value.replace(at, 1, "&amp;");
    }
    CHECK_THAT(bytes, Catch::Contains("<rdf:li>" + name + ": " + value + "</rdf:li>"));
  }
  CHECK_THAT(bytes, Catch::Contains("<quire:documentType>invoice</quire:documentType>"));
  CHECK(doc["history"].back()["action"] == "exported");
  CHECK(doc["history"].back()["detail"] == "pdf to " + pdf);

  // A PDF with a text layer keeps its text: the words of its own layer, where they were.
  const std::string text_pdf = dir.Sub("2.pdf");
  REQUIRE(RunQuire({"--archive", archive, "export", "2", "--format", "pdf", "--out", text_pdf})
              .exit_code == 0);
  CheckPdfA(text_pdf);
  CheckWordsAgree(RunQuireJson({"--archive", archive, "show", "2", "--json"})["pages"], text_pdf);

  // An unknown document is exit 4, and nothing is written.
  const std::string missing = dir.Sub("missing.pdf");
  CHECK(RunQuire({"--archive", archive, "export", "9", "--format", "pdf", "--out", missing})
            .exit_code == 4);
  CHECK_FALSE(std::ifstream(missing).good());
}

TEST_CASE("quire ocr --pdf of a PDF keeps its text pages as they are, scanned pages get a layer",
          "[slow]") {
  TempDir dir;
  // A letter made as a PDF (text and embedded fonts), then a scanned invoice of two pages.
  const std::string mixed = dir.Sub("mixed.pdf");
  REQUIRE(RunTool("qpdf --empty --pages '" + SampleDoc("letter-01-text.pdf") + "' '" +
                  SampleDoc("invoice-en-03-scan.pdf") + "' -- '" + mixed + "'")
              .exit_code == 0);
  const std::string pdf = dir.Sub("searchable.pdf");
  const ProcessOutput run = RunQuire({"ocr", mixed, "--pdf", pdf});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CheckPdfA(pdf);
  const json read = RunQuireJson({"ocr", "--json", mixed});
  REQUIRE(read["pages"].size() == 3);
  CheckWordsAgree(read["pages"], pdf);

  // The letter's page is the original's: its own fonts, no image; each scanned page one image.
  const ToolOutput fonts = RunTool("pdffonts '" + pdf + "'");
  CHECK_THAT(fonts.out, Catch::Contains("LiberationSerif"));
  const ToolOutput images = RunTool("pdfimages -list '" + pdf + "'");
  // pdfimages -list: a header of two lines (no number first), then one line per image, its page
  // first.
  std::map<int, int> images_on_page;
  std::string line;
  for (std::istringstream l(images.out); std::getline(l, line);) {
    int page = 0;
    if (std::sscanf(line.c_str(), "%d", &page) == 1) ++images_on_page[page];
  }
  CHECK(images_on_page == std::map<int, int>{{2, 1}, {3, 1}});
  // Its text is the letter's own text, as pdftotext reads it from the original.
  const ToolOutput original_text =
      RunTool("pdftotext -f 1 -l 1 '" + SampleDoc("letter-01-text.pdf") + "' -");
  const ToolOutput kept_text = RunTool("pdftotext -f 1 -l 1 '" + pdf + "' -");
  REQUIRE(original_text.out.size() > 200);
  CHECK(kept_text.out == original_text.out);

  // A page whose text is in a font the file does not hold cannot be PDF/A: the file says so
  // by not claiming it, and is still a good PDF with the text.
  const std::string unembedded = dir.Sub("unembedded.pdf");
  {
    std::ofstream out(dir.Sub("make.py"));
    out << "import sys\n"
           "objs = [b'<< /Type /Catalog /Pages 2 0 R >>',\n"
           "        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',\n"
           "        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] "
           "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',\n"
           "        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']\n"
           "text = b'BT /F1 12 Tf 20 100 Td (Invoice 4711 paid in full by transfer) Tj ET'\n"
           "objs.append(b'<< /Length %d >>\\nstream\\n' % len(text) + text + b'\\nendstream')\n"
           "pdf = b'%PDF-1.4\\n'\n"
           "offsets = []\n"
           "for i, o in enumerate(objs):\n"
           "    offsets.append(len(pdf))\n"
           "    pdf += b'%d 0 obj\\n' % (i + 1) + o + b'\\nendobj\\n'\n"
           "xref = len(pdf)\n"
           "pdf += b'xref\\n0 %d\\n0000000000 65535 f \\n' % (len(objs) + 1)\n"
           "for off in offsets: pdf += b'%010d 00000 n \\n' % off\n"
           "pdf += b'trailer\\n<< /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n' % "
           "(len(objs) + 1, xref)\n"
           "open(sys.argv[1], 'wb').write(pdf)\n";
  }
  REQUIRE(RunTool("/usr/bin/python3 '" + dir.Sub("make.py") + "' '" + unembedded + "'").exit_code ==
          0);
  const std::string unembedded_out = dir.Sub("unembedded-out.pdf");
  REQUIRE(RunQuire({"ocr", unembedded, "--pdf", unembedded_out}).exit_code == 0);
  CHECK(RunTool("qpdf --check '" + unembedded_out + "'").exit_code == 0);
  CHECK_THAT(RunTool("pdftotext '" + unembedded_out + "' -").out,
             Catch::Contains("Invoice 4711 paid in full by transfer"));
  CHECK_THAT(ReadBytes(unembedded_out), !Catch::Contains("pdfaid:part"));
}

TEST_CASE("a colour TIFF page is written in colour", "[slow]") {
  TempDir dir;
  // An invoice with a red stamp on it, as a colour scanner writes it (python3-pil, which
  // scripts/make-sample-docs.py needs, writes the TIFF).
  const std::string tiff = dir.Sub("stamped.tif");
  REQUIRE(RunTool("/usr/bin/python3 -c \"from PIL import Image, ImageDraw; "
                  "i = Image.open('" +
                  SampleDoc("invoice-en-01.png") +
                  "').convert('RGB'); "
                  "ImageDraw.Draw(i).rectangle([40, 40, 400, 120], outline=(200, 0, 0), width=8); "
                  "i.save('" +
                  tiff + "', compression='tiff_deflate', dpi=(300, 300))\"")
              .exit_code == 0);
  const std::string pdf = dir.Sub("stamped.pdf");
  const ProcessOutput run = RunQuire({"ocr", tiff, "--pdf", pdf});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CheckPdfA(pdf);
  // pdfimages -list: page, num, type, width, height, color, ...
  const ToolOutput images = RunTool("pdfimages -list '" + pdf + "'");
  INFO(images.out);
  CHECK_THAT(images.out, Catch::Contains(" rgb "));
  CheckWordsAgree(RunQuireJson({"ocr", "--json", tiff})["pages"], pdf);
}
