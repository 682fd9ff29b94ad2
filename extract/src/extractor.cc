// The extraction pipeline: classify, pick a vendor template, run the built-in extractors for the
// document's type, let the template's fields replace theirs, validate, decide review.
#include <algorithm>

#include "builtin_fields.h"
#include "classify.h"
#include "document.h"
#include "form_pairs.h"
#include "forms.h"
#include "lexicon.h"
#include "normalize.h"
#include "quire/extract/extract.h"
#include "ranker.h"
#include "reread.h"
#include "review.h"
#include "templates.h"
#include "validate.h"

namespace quire::extract {
namespace {

// The fields whose figures are read again from the image.
constexpr std::string_view kRereadFields[] = {field_name::kTotal, field_name::kInvoiceDate};
// The fields whose lines are read again as text: OCR's slips in them ("HORE MASTER", "Jajan
// Perdana") make a name or address wrong however well its lines were chosen.
constexpr std::string_view kRereadTextFields[] = {field_name::kVendorName,
                                                  field_name::kVendorAddress};

// A field whose figure two readings of the page read apart is at most this sure, below review's
// 0.6: one of them was wrong, and which one is a guess. Sending these to a person halves the
// wrong totals and dates among the documents that go straight through (sroie-val 8.6% -> 4.1%)
// at the cost of more reviews (55% -> 47% straight through).
constexpr double kReadingsDisagree = 0.55;

// Invoices and receipts carry the figures worth reading twice (and the types extracted alike).
bool RereadsFigures(DocumentType type) {
  return type == DocumentType::kInvoice || type == DocumentType::kReceipt ||
         type == DocumentType::kOther;
}

// The total and date read from a figure whose readings disagree made no surer than
// kReadingsDisagree.
void DoubtFigures(const std::vector<PageRegion>& doubtful, Extraction& ex) {
  for (std::string_view name : kRereadFields) {
    const auto field = ex.fields.find(std::string(name));
    if (field == ex.fields.end()) continue;
    FieldValue& value = field->second;
    for (const PageRegion& place : doubtful) {
      if (place.page == value.page && place.box.Overlaps(value.box)) {
        value.confidence = std::min(value.confidence, kReadingsDisagree);
      }
    }
  }
}

// Into `first`, extracted from the page as first read, the total and date extracted from the
// page with its figures read again, where they differ; either way less sure.
void TakeSecondReadings(const Extraction& second, Extraction& first) {
  for (std::string_view name : kRereadFields) {
    const auto before = first.fields.find(std::string(name));
    const auto after = second.fields.find(std::string(name));
    const bool had = before != first.fields.end(), has = after != second.fields.end();
    if (!had && !has) continue;
    if (had && has && before->second.value == after->second.value) continue;
    FieldValue& field = first.fields[std::string(name)];
    if (has) field = after->second;
    field.confidence = std::min(field.confidence, kReadingsDisagree);
  }
}

class PipelineExtractor : public Extractor {
 public:
  PipelineExtractor(ExtractOptions options, std::vector<VendorTemplate> templates)
      : options_(std::move(options)), templates_(std::move(templates)) {}

  Extraction Extract(const std::vector<PageText>& pages) const override {
    return Extract(pages, nullptr);
  }

  Extraction Extract(const std::vector<PageText>& pages, RegionReader* images) const override {
    std::vector<std::string> required;
    Extraction ex = ExtractFields(pages, required);
    if (images != nullptr && RereadsFigures(ex.type)) {
      const RereadPages again = RereadFigures(pages, *images, options_.date_order);
      std::vector<std::string> required_again;
      if (again.changed > 0) TakeSecondReadings(ExtractFields(again.pages, required_again), ex);
      DoubtFigures(again.doubtful, ex);
      TakeTextReadings(pages, *images, ex);
    }
    // Every page blank, failed or empty: nothing says the document is meant to hold nothing (a
    // faint receipt can be taken for a blank page), so a person looks.
    if (std::all_of(pages.begin(), pages.end(),
                    [](const PageText& p) { return p.words.empty(); })) {
      ex.review_reasons.push_back("no text was read on any page");
    }
    DecideReview(required, options_.review_threshold, ex);
    return ex;
  }

 private:
  // Into `ex`, the vendor's name and address extracted again once their lines are read again from
  // the image (RereadText), where the renderings read a word otherwise.
  void TakeTextReadings(const std::vector<PageText>& pages, RegionReader& images,
                        Extraction& ex) const {
    std::vector<PageRegion> regions;
    for (std::string_view name : kRereadTextFields) {
      const auto field = ex.fields.find(std::string(name));
      if (field != ex.fields.end()) regions.push_back({field->second.page, field->second.box});
    }
    if (regions.empty()) return;
    const RereadPages again = RereadText(pages, regions, images);
    if (again.changed == 0) return;
    std::vector<std::string> required;
    const Extraction second = ExtractFields(again.pages, required);
    for (std::string_view name : kRereadTextFields) {
      const auto after = second.fields.find(std::string(name));
      if (after != second.fields.end()) ex.fields[std::string(name)] = after->second;
    }
  }

  // The document's fields, validated; `required` set to the fields its type and template need.
  Extraction ExtractFields(const std::vector<PageText>& pages,
                           std::vector<std::string>& required) const {
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
    required = RequiredFields(ex.type);
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
    // A document of no other type is read as a form too: its labels and values are what it
    // has to give (40 of the 149 forms of funsd-dev, memos and fax covers among them, classify
    // as other).
    const FormLinker& linker = FormLinker::Builtin();
    if ((ex.type == DocumentType::kForm || ex.type == DocumentType::kOther) && linker.trained()) {
      ex.pairs = LinkFormPairs(doc, linker.Scorers());
    }
    for (auto& [name, field] : ex.fields) field.box = doc.OriginalBox(field.page, field.box);
    for (FormPair& pair : ex.pairs) {
      pair.key_box = doc.OriginalBox(pair.page, pair.key_box);
      if (!pair.value_box.empty()) pair.value_box = doc.OriginalBox(pair.page, pair.value_box);
    }
    ValidateFields(ex.fields, options_.today);
    return ex;
  }

  Fields FieldsOfType(DocumentType type, const Document& doc,
                      const Conventions& conventions) const {
    switch (type) {
      case DocumentType::kForm: return ExtractFormFields(doc, conventions.date_order);
      case DocumentType::kLetter: return ExtractLetterFields(doc, conventions, options_.today);
      default: {
        Fields fields = ExtractInvoiceFields(doc, conventions, options_.today);
        RankFields(Ranker::Builtin(), doc, conventions, options_.today, fields);
        FitSumToTotal(doc, conventions, fields);
        ReadTotalAsFiguresAgree(doc, conventions, fields);
        CorrectVendorWords(Lexicon::Builtin(), doc, fields);
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
    QUIRE_ASSIGN_OR_RETURN(std::vector<VendorTemplate> loaded, LoadTemplates(options.template_dir));
    templates = std::move(loaded);
  }
  return std::unique_ptr<Extractor>(new PipelineExtractor(options, std::move(templates)));
}

Extraction ExtractAgain(const Extractor& extractor, const std::vector<PageText>& pages,
                        RegionReader* images, const Extraction& previous,
                        const ExtractOptions& options) {
  Extraction again = extractor.Extract(pages, images);
  bool kept = false;
  for (const auto& [name, field] : previous.fields) {
    if (field.set_by.empty()) continue;
    again.fields[name] = field;
    kept = true;
  }
  if (kept) {
    again.review_reasons.clear();
    DecideReview(RequiredFields(again.type), options.review_threshold, again);
  }
  return again;
}

}  // namespace quire::extract
