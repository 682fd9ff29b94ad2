#include "quire/common/json.h"

namespace quire {

using nlohmann::json;

json ToJson(const Box& box) { return json::array({box.x, box.y, box.w, box.h}); }

json ToJson(const OcrWord& word) {
  json j = {{"text", word.text},
            {"box", ToJson(word.box)},
            {"conf", word.conf},
            {"block", word.block},
            {"line", word.line}};
  if (!word.alternatives.empty()) j["alternatives"] = word.alternatives;
  return j;
}

json ToJson(const PageText& page) {
  json words = json::array();
  for (const OcrWord& w : page.words) words.push_back(ToJson(w));
  json j = {{"width", page.width},
            {"height", page.height},
            {"dpi", page.dpi},
            {"rotation", page.rotation},
            {"skew", page.skew},
            {"source", page.source == TextSource::kOcr ? "ocr" : "text-layer"},
            {"blank", page.blank},
            {"text", page.text},
            {"words", std::move(words)}};
  if (!page.language.empty()) j["language"] = page.language;
  if (!page.barcodes.empty()) j["barcodes"] = page.barcodes;
  if (!page.error.empty()) j["error"] = page.error;
  return j;
}

json ToJson(const FieldValue& field) {
  json j = {{"value", field.value},      {"source_text", field.source_text}, {"page", field.page},
            {"box", ToJson(field.box)},  {"confidence", field.confidence},   {"valid", field.valid},
            {"problems", field.problems}};
  if (!field.set_by.empty()) j["set_by"] = field.set_by;
  return j;
}

json ToJson(const FormPair& pair) {
  return {{"key", pair.key},
          {"key_name", pair.key_name},
          {"value", pair.value},
          {"page", pair.page},
          {"key_box", ToJson(pair.key_box)},
          {"value_box", ToJson(pair.value_box)},
          {"confidence", pair.confidence}};
}

json ToJson(const Extraction& extraction) {
  json fields = json::object();
  for (const auto& [name, value] : extraction.fields) fields[name] = ToJson(value);
  json j = {{"type", DocumentTypeName(extraction.type)},
            {"type_score", extraction.type_score},
            {"fields", std::move(fields)},
            {"needs_review", extraction.needs_review},
            {"review_reasons", extraction.review_reasons}};
  // Only forms have pairs; other documents' records stay as they were.
  if (!extraction.pairs.empty()) {
    json pairs = json::array();
    for (const FormPair& p : extraction.pairs) pairs.push_back(ToJson(p));
    j["pairs"] = std::move(pairs);
  }
  return j;
}

namespace {

Box BoxFromJson(const json& j) {
  return Box{j.at(0).get<int>(), j.at(1).get<int>(), j.at(2).get<int>(), j.at(3).get<int>()};
}

}  // namespace

Result<PageText> PageTextFromJson(const json& j) {
  try {
    PageText page;
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
    page.barcodes = j.value("barcodes", std::vector<std::string>{});
    for (const json& w : j.at("words")) {
      page.words.push_back(OcrWord{w.at("text").get<std::string>(), BoxFromJson(w.at("box")),
                                   w.value("conf", 0.0f), w.value("block", 0), w.value("line", 0),
                                   w.value("alternatives", std::vector<std::string>{})});
    }
    return page;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("page record is not valid: ") + e.what());
  }
}

Result<Extraction> ExtractionFromJson(const json& j) {
  try {
    Extraction ex;
    ex.type = ParseDocumentType(j.at("type").get<std::string>());
    ex.type_score = j.value("type_score", 0.0);
    ex.needs_review = j.value("needs_review", false);
    ex.review_reasons = j.value("review_reasons", std::vector<std::string>{});
    for (const auto& [name, f] : j.at("fields").items()) {
      FieldValue v;
      v.value = f.at("value").get<std::string>();
      v.source_text = f.value("source_text", "");
      v.page = f.value("page", 0);
      v.box = BoxFromJson(f.at("box"));
      v.confidence = f.value("confidence", 0.0);
      v.valid = f.value("valid", true);
      v.problems = f.value("problems", std::vector<std::string>{});
      v.set_by = f.value("set_by", "");
      ex.fields.emplace(name, std::move(v));
    }
    for (const json& p : j.value("pairs", json::array())) {
      ex.pairs.push_back({p.at("key").get<std::string>(), p.value("key_name", ""),
                          p.value("value", ""), p.value("page", 0), BoxFromJson(p.at("key_box")),
                          BoxFromJson(p.at("value_box")), p.value("confidence", 0.0)});
    }
    return ex;
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("field record is not valid: ") + e.what());
  }
}

}  // namespace quire
