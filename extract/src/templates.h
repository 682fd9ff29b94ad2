// Vendor templates: declarative extraction rules for what the built-ins miss, one JSON file per
// vendor in ExtractOptions::template_dir.
//
//   {
//     "name": "ACME GmbH",                          // for messages
//     "keywords": ["ACME GmbH", "acme.example"],    // phrases that select the template
//     "min_keywords": 2,                            // how many must appear; default: all
//     "type": "invoice",                            // optional: overrides classification
//     "date_order": "DMY",                          // optional: DMY, MDY or YMD
//     "decimal": "comma",                           // optional: comma or dot
//     "required": ["po_number"],                    // optional: required besides the type's
//     "fields": {
//       "invoice_number": {"pattern": "Beleg-Nr\\.?\\s*(\\S+)"},   // ECMAScript, 1st group
//       "total": {"region": {"page": 0, "x": 0.6, "y": 0.8, "w": 0.4, "h": 0.1}}
//     }
//   }
//
// Keywords match on folded tokens like labels. A pattern runs over the document's lines joined
// by '\n' and is case-insensitive; a region (fractions of the page) takes the words whose centre
// lies in it. Values are normalised by field kind like built-in ones, and replace them.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "document.h"
#include "fields.h"
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
