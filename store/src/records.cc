// The page and field records: the archive's own encodings, written here and nowhere else, so that
// a change to what the command line prints (common/json.h) never changes what is on disk. A
// change here is a new schema version (schema.h) with a migration (MigratePageRecord).
//
//   page          := 0x03 page-fields varint(word count) (word alternatives)*  (schema 9)
//                  | 0x02 page-fields varint(word count) word*        (schema 4, read only)
//                  | 0x01 string(page-json) varint(word count) word*          (schema 3, read
//                    only; opening a schema 3 archive for writing rewrites them as 0x03)
//   page-fields   := zigzag(width) zigzag(height) zigzag(dpi) zigzag(rotation)
//                    float64(skew) byte(source) byte(blank) string(language) string(text)
//                    string(error) varint(barcode count) string(barcode)*
//   source        := 0 OCR | 1 a PDF's text layer;  blank := 0 | 1
//   page-json     := {"width", "height", "dpi", "rotation", "skew", "source": "ocr" |
//                    "text-layer", "blank", "text", "language"?, "error"?, "words": []}
//   word          := string(text) zigzag(x) zigzag(y) zigzag(w) zigzag(h) float32(conf)
//                    zigzag(block) zigzag(line)
//                    The words in binary rather than JSON: a page is encoded at every commit
//                    and decoded for every search hit's snippet, and their JSON cost more than
//                    the rest of both.
//   alternatives  := varint(count) string(alternative)*   (OcrWord::alternatives)
//   extraction    := {"type": "invoice"|"receipt"|"form"|"letter"|"other", "type_score",
//                     "fields": {NAME: field}, "pairs"?: [pair], "needs_review",
//                     "review_reasons": [string]}                    (JSON, the same in 3 and 4;
//                    "pairs" only when a form has them, so records without are unchanged)
//   field         := {"value", "source_text", "page", "box": [x, y, w, h], "confidence",
//                     "valid", "problems": [string], "set_by"?}
//   pair          := {"key", "key_name", "value", "page", "key_box": box, "value_box": box,
//                     "confidence"}
//   string(s)     := varint(size of s) s;  varint: quire/store/varint.h
//   zigzag(n)     := varint((n << 1) ^ (n >> 63));  float32/float64: the IEEE bits, little-endian
#include <bit>
#include <nlohmann/json.hpp>

#include "quire/store/varint.h"
#include "schema.h"

namespace quire::store {
namespace {

using nlohmann::json;

constexpr char kPageJsonFormat = 0x01;           // schema 3
constexpr char kPageWithoutAlternatives = 0x02;  // schema 4
constexpr char kPageFormat = 0x03;               // schema 9

void PutZigZag(std::string& out, int64_t n) { PutVarint(out, ZigZag(n)); }

bool GetZigZag(std::string_view& in, int& n) {
  uint64_t v;
  if (!GetVarint(in, v)) return false;
  n = static_cast<int>(UnZigZag(v));
  return true;
}

void PutFixed(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

bool GetFixed(std::string_view& in, uint64_t& v, int bytes) {
  if (in.size() < static_cast<size_t>(bytes)) return false;
  v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  in.remove_prefix(bytes);
  return true;
}

bool GetText(std::string_view& in, std::string& s) {
  std::string_view view;
  if (!GetString(in, view)) return false;
  s.assign(view);
  return true;
}

bool GetByte(std::string_view& in, uint8_t& b) {
  if (in.empty()) return false;
  b = static_cast<uint8_t>(in.front());
  in.remove_prefix(1);
  return true;
}

json BoxJson(const Box& box) { return json::array({box.x, box.y, box.w, box.h}); }

json PairsJson(const std::vector<FormPair>& pairs) {
  json out = json::array();
  for (const FormPair& p : pairs) {
    out.push_back({{"key", p.key},
                   {"key_name", p.key_name},
                   {"value", p.value},
                   {"page", p.page},
                   {"key_box", BoxJson(p.key_box)},
                   {"value_box", BoxJson(p.value_box)},
                   {"confidence", p.confidence}});
  }
  return out;
}

Box BoxOf(const json& j) {
  return Box{j.at(0).get<int>(), j.at(1).get<int>(), j.at(2).get<int>(), j.at(3).get<int>()};
}

std::vector<FormPair> PairsOf(const json& j) {
  std::vector<FormPair> pairs;
  for (const json& p : j) {
    pairs.push_back({p.at("key").get<std::string>(), p.at("key_name").get<std::string>(),
                     p.at("value").get<std::string>(), p.at("page").get<int>(),
                     BoxOf(p.at("key_box")), BoxOf(p.at("value_box")),
                     p.at("confidence").get<double>()});
  }
  return pairs;
}

void PutStrings(std::string& out, const std::vector<std::string>& strings) {
  PutVarint(out, strings.size());
  for (const std::string& s : strings) PutString(out, s);
}

bool GetStrings(std::string_view& in, std::vector<std::string>& strings) {
  uint64_t count;
  if (!GetVarint(in, count) || count > in.size()) return false;  // each takes a byte at least
  strings.resize(count);
  for (std::string& s : strings) {
    if (!GetText(in, s)) return false;
  }
  return true;
}

void PutWords(std::string& out, const std::vector<OcrWord>& words) {
  PutVarint(out, words.size());
  for (const OcrWord& word : words) {
    PutString(out, word.text);
    for (int n : {word.box.x, word.box.y, word.box.w, word.box.h}) PutZigZag(out, n);
    PutFixed(out, std::bit_cast<uint32_t>(word.conf), 4);
    PutZigZag(out, word.block);
    PutZigZag(out, word.line);
    PutStrings(out, word.alternatives);
  }
}

// The words of a record whose `format` is `kPageFormat` (with their alternatives) or older.
bool GetWords(std::string_view& in, char format, std::vector<OcrWord>& words) {
  uint64_t count;
  if (!GetVarint(in, count) || count > in.size()) return false;
  words.resize(count);
  for (OcrWord& word : words) {
    uint64_t conf;
    if (!GetText(in, word.text) || !GetZigZag(in, word.box.x) || !GetZigZag(in, word.box.y) ||
        !GetZigZag(in, word.box.w) || !GetZigZag(in, word.box.h) || !GetFixed(in, conf, 4) ||
        !GetZigZag(in, word.block) || !GetZigZag(in, word.line) ||
        (format == kPageFormat && !GetStrings(in, word.alternatives))) {
      return false;
    }
    word.conf = std::bit_cast<float>(static_cast<uint32_t>(conf));
  }
  return true;
}

// The page fields of a schema 3 record, as that schema wrote them.
bool GetPageJson(std::string_view& in, PageText& page) {
  std::string_view text;
  if (!GetString(in, text)) return false;
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  try {
    page.width = j.at("width").get<int>();
    page.height = j.at("height").get<int>();
    page.dpi = j.value("dpi", 0);
    page.rotation = j.value("rotation", 0);
    page.skew = j.value("skew", 0.0);
    page.source = j.value("source", "ocr") == "ocr" ? TextSource::kOcr : TextSource::kTextLayer;
    page.blank = j.value("blank", false);
    page.language = j.value("language", "");
    page.text = j.at("text").get<std::string>();
    page.error = j.value("error", "");
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

bool GetPageFields(std::string_view& in, PageText& page) {
  uint64_t skew;
  uint8_t source, blank;
  if (!GetZigZag(in, page.width) || !GetZigZag(in, page.height) || !GetZigZag(in, page.dpi) ||
      !GetZigZag(in, page.rotation) || !GetFixed(in, skew, 8) || !GetByte(in, source) ||
      !GetByte(in, blank) || source > 1 || blank > 1 || !GetText(in, page.language) ||
      !GetText(in, page.text) || !GetText(in, page.error) || !GetStrings(in, page.barcodes)) {
    return false;
  }
  page.skew = std::bit_cast<double>(skew);
  page.source = source == 0 ? TextSource::kOcr : TextSource::kTextLayer;
  page.blank = blank == 1;
  return true;
}

}  // namespace

std::string EncodePage(const PageText& page) {
  std::string out(1, kPageFormat);
  for (int n : {page.width, page.height, page.dpi, page.rotation}) PutZigZag(out, n);
  PutFixed(out, std::bit_cast<uint64_t>(page.skew), 8);
  out.push_back(page.source == TextSource::kOcr ? 0 : 1);
  out.push_back(page.blank ? 1 : 0);
  PutString(out, page.language);
  PutString(out, page.text);
  PutString(out, page.error);
  PutStrings(out, page.barcodes);
  PutWords(out, page.words);
  return out;
}

Result<PageText> DecodePage(std::string_view value) {
  const Status damaged = Status::Corruption("page record is not valid");
  if (value.empty()) return damaged;
  const char format = value.front();
  value.remove_prefix(1);
  PageText page;
  const bool fields = format == kPageFormat || format == kPageWithoutAlternatives
                          ? GetPageFields(value, page)
                      : format == kPageJsonFormat ? GetPageJson(value, page)
                                                  : false;
  if (!fields || !GetWords(value, format, page.words) || !value.empty()) return damaged;
  return page;
}

Result<std::optional<std::string>> MigratePageRecord(std::string_view value) {
  if (!value.empty() && value.front() == kPageFormat) return std::optional<std::string>();
  QUIRE_ASSIGN_OR_RETURN(PageText page, DecodePage(value));
  return std::optional<std::string>(EncodePage(page));
}

std::string EncodeExtraction(const Extraction& extraction) {
  json fields = json::object();
  for (const auto& [name, f] : extraction.fields) {
    json field = {{"value", f.value},      {"source_text", f.source_text}, {"page", f.page},
                  {"box", BoxJson(f.box)}, {"confidence", f.confidence},   {"valid", f.valid},
                  {"problems", f.problems}};
    if (!f.set_by.empty()) field["set_by"] = f.set_by;
    fields[name] = std::move(field);
  }
  json record = {{"type", DocumentTypeName(extraction.type)},
                 {"type_score", extraction.type_score},
                 {"fields", std::move(fields)},
                 {"needs_review", extraction.needs_review},
                 {"review_reasons", extraction.review_reasons}};
  if (!extraction.pairs.empty()) record["pairs"] = PairsJson(extraction.pairs);
  return DumpRecord(record);
}

Result<Extraction> DecodeExtraction(std::string_view value) {
  const json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption("fields record is not valid JSON");
  try {
    Extraction ex;
    ex.type = ParseDocumentType(j.at("type").get<std::string>());
    ex.type_score = j.at("type_score").get<double>();
    ex.needs_review = j.at("needs_review").get<bool>();
    ex.review_reasons = j.at("review_reasons").get<std::vector<std::string>>();
    for (const auto& [name, f] : j.at("fields").items()) {
      FieldValue v;
      v.value = f.at("value").get<std::string>();
      v.source_text = f.at("source_text").get<std::string>();
      v.page = f.at("page").get<int>();
      v.box = BoxOf(f.at("box"));
      v.confidence = f.at("confidence").get<double>();
      v.valid = f.at("valid").get<bool>();
      v.problems = f.at("problems").get<std::vector<std::string>>();
      v.set_by = f.value("set_by", "");
      ex.fields.emplace(name, std::move(v));
    }
    if (j.contains("pairs")) ex.pairs = PairsOf(j.at("pairs"));
    return ex;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("fields record is not valid: ") + e.what());
  }
}

}  // namespace quire::store
