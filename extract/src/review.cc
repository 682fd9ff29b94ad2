#include "review.h"

#include "quire/extract/extract.h"

#include <cstdio>

namespace quire::extract {

std::vector<std::string> RequiredFields(DocumentType type) {
  switch (type) {
    case DocumentType::kInvoice:
      return {"invoice_number", "invoice_date", "total"};
    case DocumentType::kReceipt:
      return {"total", "invoice_date"};
    default:
      return {};
  }
}

void DecideReview(const std::vector<std::string>& required, double threshold,
                  Extraction& extraction) {
  std::vector<std::string>& reasons = extraction.review_reasons;
  for (const std::string& name : required) {
    if (!extraction.fields.count(name)) reasons.push_back(name + " is missing");
  }
  for (const auto& [name, field] : extraction.fields) {
    if (!field.valid) {
      std::string reason = name + " failed a check";
      for (const std::string& problem : field.problems) reason += "; " + problem;
      reasons.push_back(reason);
    } else if (field.confidence < threshold) {
      char confidence[16];
      std::snprintf(confidence, sizeof(confidence), "%.2f", field.confidence);
      reasons.push_back(name + " is uncertain (confidence " + confidence + ")");
    }
  }
  extraction.needs_review = !reasons.empty();
}

void ApplyCorrection(const std::string& field, const std::string& value, const std::string& by,
                     const ExtractOptions& options, Extraction& extraction) {
  FieldValue& corrected = extraction.fields[field];
  corrected.value = value;
  corrected.confidence = 1.0;
  corrected.valid = true;
  corrected.problems = {"corrected by " + by};
  extraction.review_reasons.clear();
  DecideReview(RequiredFields(extraction.type), options.review_threshold, extraction);
}

}  // namespace quire::extract
