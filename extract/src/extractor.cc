// The extraction pipeline: classify, pick a vendor template, run the built-in extractors for the
// document's type, let the template's fields replace theirs, validate, decide review.
#include <algorithm>

#include "classify.h"
#include "document.h"
#include "fields.h"
#include "forms.h"
#include "normalize.h"
#include "ranker.h"
#include "quire/extract/extract.h"
#include "review.h"
#include "templates.h"
#include "validate.h"

namespace quire::extract {
namespace {

bool HasExactCheck(FieldKind kind) {
  return kind == FieldKind::kIban || kind == FieldKind::kVatId || kind == FieldKind::kBic ||
         kind == FieldKind::kDate;
}

// On a document whose type requires fields (invoices, receipts), review looks at what a clerk
// must get right: the required fields (missing, failed a check, or less confident than the
// threshold) and any field that failed an exact check (checksums, impossible dates). Other fields
// show their own problems and confidence without holding the document for a person. On other
// documents, every field counts.
void DecideReviewOfKeyFields(const std::vector<std::string>& required, double threshold,
                             Extraction& ex) {
  Extraction view;
  view.type = ex.type;
  for (const auto& [name, field] : ex.fields) {
    const bool key = std::find(required.begin(), required.end(), name) != required.end();
    if (required.empty() || key || (!field.valid && HasExactCheck(KindOfField(name)))) {
      view.fields[name] = field;
    }
  }
  DecideReview(required, threshold, view);
  ex.needs_review = view.needs_review;
  ex.review_reasons = std::move(view.review_reasons);
}

class PipelineExtractor : public Extractor {
 public:
  PipelineExtractor(ExtractOptions options, std::vector<VendorTemplate> templates)
      : options_(std::move(options)), templates_(std::move(templates)) {}

  Extraction Extract(const std::vector<PageText>& pages) const override {
    const Document doc(pages);
    Extraction ex;
    const Classification classification = Classify(doc);
    ex.type = classification.type;
    ex.type_score = classification.score;

    Conventions conventions = GuessConventions(doc, options_.date_order);
    const VendorTemplate* tmpl = MatchTemplate(templates_, doc);
    if (tmpl != nullptr) {
      if (tmpl->type) ex.type = *tmpl->type;
      if (tmpl->date_order) conventions.date_order = *tmpl->date_order;
      if (tmpl->decimal) conventions.decimal = *tmpl->decimal;
    }

    ex.fields = FieldsOfType(ex.type, doc, conventions);
    std::vector<std::string> required = RequiredFields(ex.type);
    if (tmpl != nullptr) {
      for (auto& [name, field] : ApplyTemplate(*tmpl, doc, conventions)) {
        ex.fields[name] = std::move(field);
      }
      for (const std::string& name : tmpl->required) {
        if (std::find(required.begin(), required.end(), name) == required.end()) {
          required.push_back(name);
        }
      }
    }
    for (auto& [name, field] : ex.fields) field.box = doc.OriginalBox(field.page, field.box);
    ValidateFields(ex.fields, options_.today);
    DecideReviewOfKeyFields(required, options_.review_threshold, ex);
    return ex;
  }

 private:
  Fields FieldsOfType(DocumentType type, const Document& doc,
                      const Conventions& conventions) const {
    switch (type) {
      case DocumentType::kForm:
        return ExtractFormFields(doc, conventions.date_order);
      case DocumentType::kLetter:
        return ExtractLetterFields(doc, conventions, options_.today);
      default: {
        Fields fields = ExtractInvoiceFields(doc, conventions, options_.today);
        RankFields(Ranker::Builtin(), doc, conventions, options_.today, fields);
        return fields;
      }
    }
  }

  const ExtractOptions options_;
  const std::vector<VendorTemplate> templates_;
};

}  // namespace

Result<std::unique_ptr<Extractor>> Extractor::Create(const ExtractOptions& options) {
  std::vector<VendorTemplate> templates;
  if (!options.template_dir.empty()) {
    Result<std::vector<VendorTemplate>> loaded = LoadTemplates(options.template_dir);
    if (!loaded.ok()) return loaded.status();
    templates = std::move(*loaded);
  }
  return std::unique_ptr<Extractor>(new PipelineExtractor(options, std::move(templates)));
}

Extraction ExtractAgain(const Extractor& extractor, const std::vector<PageText>& pages,
                        const Extraction& previous, const ExtractOptions& options) {
  Extraction again = extractor.Extract(pages);
  bool kept = false;
  for (const auto& [name, field] : previous.fields) {
    if (field.set_by.empty()) continue;
    again.fields[name] = field;
    kept = true;
  }
  if (kept) {
    again.review_reasons.clear();
    DecideReviewOfKeyFields(RequiredFields(again.type), options.review_threshold, again);
  }
  return again;
}

}  // namespace quire::extract
