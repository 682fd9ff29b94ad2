#include "serial_number.h"

#include <regex>

#include "quire/index/index.h"

namespace quire::app {
namespace {

// What sends a document with a taken number to review, and what to do about it.
std::string TakenReason(const std::string& number, store::DocId holder) {
  return "archive serial number " + number + " is already document " + std::to_string(holder) +
         ": a label was used twice or the paper scanned twice; correct asn or delete a copy";
}

// Another document holding ASN `number`, if any.
Result<std::optional<store::DocId>> Holder(store::Archive& archive, const std::string& number) {
  index::Searcher searcher(archive);
  index::SearchOptions options;
  options.limit = 1;
  QUIRE_ASSIGN_OR_RETURN(index::SearchResults found, searcher.Search("asn:" + number, options));
  if (found.hits.empty()) return std::optional<store::DocId>();
  return std::optional<store::DocId>(found.hits.front().id);
}

}  // namespace

std::optional<FieldValue> ReadSerialNumber(const std::vector<PageText>& pages) {
  static const std::regex kAsn("^\\s*ASN[ -]?0*([0-9]{1,18})\\s*$", std::regex::icase);
  for (size_t p = 0; p < pages.size(); ++p) {
    for (const std::string& code : pages[p].barcodes) {
      std::smatch match;
      if (!std::regex_match(code, match, kAsn)) continue;
      FieldValue field;
      field.value = match[1].str();
      field.source_text = code;
      field.page = static_cast<int>(p);
      field.confidence = 1;  // a barcode reads right or not at all: its check digits
      return field;
    }
  }
  return std::nullopt;
}

Status AssignSerialNumber(const std::vector<PageText>& pages, store::Archive& archive,
                          Extraction& extraction) {
  std::optional<FieldValue> field = ReadSerialNumber(pages);
  if (!field) return Status::Ok();
  QUIRE_ASSIGN_OR_RETURN(std::optional<store::DocId> holder, Holder(archive, field->value));
  if (holder.has_value()) {
    const std::string reason = TakenReason(field->value, *holder);
    field->valid = false;
    field->problems.push_back(reason);
    extraction.needs_review = true;
    extraction.review_reasons.push_back(reason);
  }
  extraction.fields[kSerialNumberField] = std::move(*field);
  return Status::Ok();
}

std::mutex& SerialNumberLock() {
  static std::mutex lock;
  return lock;
}

void KeepSerialNumber(const Extraction& before, Extraction& after) {
  const auto it = before.fields.find(kSerialNumberField);
  if (it == before.fields.end() || after.fields.contains(kSerialNumberField)) return;
  after.fields[kSerialNumberField] = it->second;
  if (!it->second.valid && it->second.set_by.empty()) {
    after.needs_review = true;
    for (const std::string& problem : it->second.problems) after.review_reasons.push_back(problem);
  }
}

}  // namespace quire::app
