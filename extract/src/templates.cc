#include "templates.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "quire/common/file.h"

namespace quire::extract {
namespace {

using nlohmann::json;

// How much a value read by a vendor's own rule is trusted.
constexpr double kTemplateReliability = 0.95;

Status Bad(const std::string& file, const std::string& what) {
  return Status::InvalidArgument("template " + file + ": " + what +
                                 "; fix the file or move it out of the template folder");
}

Result<Region> ParseRegion(const json& j, const std::string& file, const std::string& where) {
  if (!j.is_object()) return Bad(file, where + " must be an object {page, x, y, w, h}");
  Region r;
  r.page = j.value("page", 0);
  for (auto [key, value] : {std::pair{"x", &r.x}, {"y", &r.y}, {"w", &r.w}, {"h", &r.h}}) {
    if (!j.contains(key) || !j[key].is_number()) {
      return Bad(file, where + "." + key + " must be a number (a fraction of the page)");
    }
    *value = j[key].get<double>();
    if (*value < 0 || *value > 1) return Bad(file, where + "." + key + " must lie in 0..1");
  }
  return r;
}

Result<FieldTemplate> ParseField(const std::string& name, const json& j, const std::string& file) {
  const std::string where = "fields." + name;
  if (!j.is_object()) return Bad(file, where + " must be an object");
  FieldTemplate f{name, std::nullopt, std::nullopt};
  if (j.contains("pattern")) {
    if (!j["pattern"].is_string()) return Bad(file, where + ".pattern must be a string");
    try {
      f.pattern.emplace(j["pattern"].get<std::string>(),
                        std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
      return Bad(file, where + ".pattern is not a valid regular expression (" + e.what() + ")");
    }
    if (f.pattern->mark_count() < 1) {
      return Bad(file, where + ".pattern needs a capture group ( ) around the value");
    }
  }
  if (j.contains("region")) {
    QUIRE_ASSIGN_OR_RETURN(Region region, ParseRegion(j["region"], file, where + ".region"));
    f.region = region;
  }
  if (!f.pattern && !f.region) return Bad(file, where + " needs a \"pattern\" or a \"region\"");
  return f;
}

Result<std::vector<std::string>> StringList(const json& j, const std::string& key,
                                            const std::string& file) {
  std::vector<std::string> out;
  if (!j.contains(key)) return out;
  if (!j[key].is_array()) return Bad(file, key + " must be a list of strings");
  for (const json& item : j[key]) {
    if (!item.is_string()) return Bad(file, key + " must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// The text of the document's lines joined by '\n', and where each line starts in it, so that a
// regex match maps back to words.
struct JoinedText {
  std::string text;
  std::vector<size_t> line_begin;
};

JoinedText Join(const Document& doc) {
  JoinedText joined;
  for (const Line& line : doc.lines()) {
    if (!joined.text.empty()) joined.text += '\n';
    joined.line_begin.push_back(joined.text.size());
    joined.text += line.text;
  }
  return joined;
}

std::optional<Evidence> PatternEvidence(const std::regex& pattern, const Document& doc,
                                        const JoinedText& joined) {
  std::smatch m;
  if (!std::regex_search(joined.text, m, pattern)) return std::nullopt;
  const size_t begin = static_cast<size_t>(m.position(1));
  const size_t end = begin + static_cast<size_t>(m.length(1));
  if (end <= begin) return std::nullopt;
  // A capture may span lines; its box and confidence come from the line it starts on.
  const size_t index = static_cast<size_t>(
      std::upper_bound(joined.line_begin.begin(), joined.line_begin.end(), begin) -
      joined.line_begin.begin() - 1);
  const Line& line = doc.lines()[index];
  const size_t offset = begin - joined.line_begin[index];
  Evidence e = EvidenceOf(line, offset, std::min(line.text.size(), offset + (end - begin)));
  e.text = m.str(1);
  return e;
}

std::optional<Evidence> RegionEvidence(const Region& region, const Document& doc) {
  if (region.page >= doc.page_count()) return std::nullopt;
  const PageText& page = doc.page(region.page);
  const double left = region.x * page.width, top = region.y * page.height;
  const double right = left + region.w * page.width, bottom = top + region.h * page.height;
  std::vector<Evidence> parts;
  for (const Line& line : doc.lines()) {
    if (line.page != region.page) continue;
    std::vector<Evidence> words;
    for (size_t w = 0; w < line.words.size(); ++w) {
      const Box& b = line.words[w].box;
      const double cx = b.x + b.w / 2.0, cy = b.y + b.h / 2.0;
      if (cx < left || cx > right || cy < top || cy > bottom) continue;
      const size_t begin = line.word_begin[w];
      words.push_back(EvidenceOf(line, begin, begin + line.words[w].text.size()));
    }
    if (!words.empty()) parts.push_back(JoinEvidence(words, " "));
  }
  if (parts.empty()) return std::nullopt;
  return JoinEvidence(parts, "\n");
}

}  // namespace

Result<VendorTemplate> ParseTemplate(const std::string& json_text, const std::string& file) {
  const json j = json::parse(json_text, nullptr, false);
  if (j.is_discarded()) return Bad(file, "is not valid JSON");
  if (!j.is_object()) return Bad(file, "must be a JSON object");
  static const std::set<std::string> kKeys = {"name",       "keywords", "min_keywords", "type",
                                              "date_order", "decimal",  "required",     "fields"};
  for (const auto& [key, value] : j.items()) {
    if (!kKeys.count(key)) return Bad(file, "unknown key \"" + key + "\"");
  }
  VendorTemplate t;
  t.file = file;
  t.name = j.value("name", std::filesystem::path(file).stem().string());
  QUIRE_ASSIGN_OR_RETURN(std::vector<std::string> keywords, StringList(j, "keywords", file));
  if (keywords.empty()) return Bad(file, "needs \"keywords\" that select it");
  for (const std::string& k : keywords) t.keywords.push_back(FoldedTokens(k));
  t.min_keywords = j.value("min_keywords", t.keywords.size());
  if (t.min_keywords < 1 || t.min_keywords > t.keywords.size()) {
    return Bad(file, "min_keywords must be between 1 and the number of keywords");
  }
  if (j.contains("type")) {
    const std::string type = j["type"].is_string() ? j["type"].get<std::string>() : "";
    if (ParseDocumentType(type) == DocumentType::kOther && type != "other") {
      return Bad(file, "type must be invoice, receipt, form, letter or other");
    }
    t.type = ParseDocumentType(type);
  }
  if (j.contains("date_order")) {
    const std::string order = j["date_order"].is_string() ? j["date_order"].get<std::string>() : "";
    if (order == "DMY")
      t.date_order = DateOrder::kDMY;
    else if (order == "MDY")
      t.date_order = DateOrder::kMDY;
    else if (order == "YMD")
      t.date_order = DateOrder::kYMD;
    else
      return Bad(file, "date_order must be DMY, MDY or YMD");
  }
  if (j.contains("decimal")) {
    const std::string mark = j["decimal"].is_string() ? j["decimal"].get<std::string>() : "";
    if (mark == "comma")
      t.decimal = DecimalMark::kComma;
    else if (mark == "dot")
      t.decimal = DecimalMark::kDot;
    else
      return Bad(file, "decimal must be \"comma\" or \"dot\"");
  }
  QUIRE_ASSIGN_OR_RETURN(std::vector<std::string> required, StringList(j, "required", file));
  t.required = required;
  if (j.contains("fields")) {
    if (!j["fields"].is_object()) return Bad(file, "fields must be an object");
    for (const auto& [name, spec] : j["fields"].items()) {
      QUIRE_ASSIGN_OR_RETURN(FieldTemplate field, ParseField(name, spec, file));
      t.fields.push_back(std::move(field));
    }
  }
  return t;
}

Result<std::vector<VendorTemplate>> LoadTemplates(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Status::NotFound("template folder " + dir +
                            " does not exist; create it or leave template_dir empty");
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path().string());
    }
  }
  if (error) return Status::IoError("reading template folder " + dir + ": " + error.message());
  std::sort(files.begin(), files.end());
  std::vector<VendorTemplate> templates;
  for (const std::string& file : files) {
    Result<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status().WithContext("template " + file);
    QUIRE_ASSIGN_OR_RETURN(VendorTemplate t, ParseTemplate(*text, file));
    templates.push_back(std::move(t));
  }
  return templates;
}

const VendorTemplate* MatchTemplate(const std::vector<VendorTemplate>& templates,
                                    const Document& doc) {
  const VendorTemplate* best = nullptr;
  size_t best_found = 0;
  for (const VendorTemplate& t : templates) {
    size_t found = 0;
    for (const auto& keyword : t.keywords) {
      const bool present = std::any_of(doc.lines().begin(), doc.lines().end(), [&](const Line& l) {
        return ContainsPhrase(l.tokens, keyword);
      });
      if (present) ++found;
    }
    if (found >= t.min_keywords && found > best_found) {
      best = &t;
      best_found = found;
    }
  }
  return best;
}

Fields ApplyTemplate(const VendorTemplate& tmpl, const Document& doc,
                     const Conventions& conventions) {
  Fields fields;
  const JoinedText joined = Join(doc);
  for (const FieldTemplate& f : tmpl.fields) {
    std::optional<Evidence> evidence =
        f.pattern ? PatternEvidence(*f.pattern, doc, joined) : RegionEvidence(*f.region, doc);
    if (!evidence) continue;
    const FieldKind kind = KindOfField(f.field);
    std::optional<std::string> value =
        NormalizeValue(kind, evidence->text, conventions.date_order, conventions.decimal);
    FieldValue field =
        ToFieldValue(Candidate{value.value_or(evidence->text), *evidence, kTemplateReliability});
    if (!value) {
      field.valid = false;
      field.problems.push_back("template " + tmpl.name + " read '" + evidence->text +
                               "', which is not a valid " + f.field);
    }
    fields[f.field] = std::move(field);
  }
  return fields;
}

}  // namespace quire::extract
