// Vendor templates: parsing the JSON files described at ExtractOptions::template_dir
// (extract.h), choosing the one a document matches, and reading its fields.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "builtin_fields.h"
#include "document.h"
#include "quire/common/status.h"

namespace quire::extract {

struct Region {
  int page = 0;
  double x = 0, y = 0, w = 0, h = 0;  // fractions of the page's width and height
};

struct FieldTemplate {
  std::string field;
  std::optional<std::regex> pattern;
  std::optional<Region> region;
};

struct VendorTemplate {
  std::string file;
  std::string name;
  std::vector<std::vector<std::string>> keywords;  // folded tokens of each phrase
  size_t min_keywords = 0;
  std::optional<DocumentType> type;
  std::optional<DateOrder> date_order;
  std::optional<DecimalMark> decimal;
  std::vector<std::string> required;
  std::vector<FieldTemplate> fields;
};

// Parses one template; `file` names it in error messages.
Result<VendorTemplate> ParseTemplate(const std::string& json_text, const std::string& file);

// Every *.json in `dir`, in name order. Fails on the first bad one, naming it.
Result<std::vector<VendorTemplate>> LoadTemplates(const std::string& dir);

// The template whose keywords the document matches best; nullptr when none matches.
const VendorTemplate* MatchTemplate(const std::vector<VendorTemplate>& templates,
                                    const Document& doc);

// The template's fields found in the document.
Fields ApplyTemplate(const VendorTemplate& tmpl, const Document& doc,
                     const Conventions& conventions);

}  // namespace quire::extract
