// Typed fields extracted from a document, with where each came from and how sure we are.
//
// A field that fails validation is still a field: `problems` says what is wrong, and the
// document's `needs_review` sends it to a person. Plain value types.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "quire/common/page.h"

namespace quire {

enum class DocumentType { kInvoice, kReceipt, kForm, kLetter, kOther };

// "invoice", "receipt", "form", "letter", "other".
const char* DocumentTypeName(DocumentType type);
// The inverse of DocumentTypeName; kOther for anything unknown.
DocumentType ParseDocumentType(const std::string& name);

// The names of the fields quire extracts: the keys of Extraction::fields, of the ground truth
// (DESIGN.md), of `quire show --json` and of the archive's field records.
namespace field_name {
inline constexpr char kVendorName[] = "vendor_name";
inline constexpr char kVendorAddress[] = "vendor_address";
inline constexpr char kCustomerName[] = "customer_name";
inline constexpr char kInvoiceNumber[] = "invoice_number";
inline constexpr char kInvoiceDate[] = "invoice_date";
inline constexpr char kDueDate[] = "due_date";
inline constexpr char kPoNumber[] = "po_number";
inline constexpr char kCurrency[] = "currency";
inline constexpr char kSubtotal[] = "subtotal";
inline constexpr char kTaxAmount[] = "tax_amount";
inline constexpr char kTotal[] = "total";
inline constexpr char kIban[] = "iban";
inline constexpr char kBic[] = "bic";
inline constexpr char kVatId[] = "vat_id";
// The table of line items, a JSON array; not one of the ground truth's fields.
inline constexpr char kLineItems[] = "line_items";

// Every field of the ground truth, which any document may be given by a person.
inline constexpr const char* kAll[] = {
    kVendorName, kVendorAddress, kCustomerName, kInvoiceNumber, kInvoiceDate, kDueDate, kPoNumber,
    kCurrency,   kSubtotal,      kTaxAmount,    kTotal,         kIban,        kBic,     kVatId};
}  // namespace field_name

struct FieldValue {
  std::string value;        // normalised: ISO dates, "1234.50", ISO 4217, IBAN without spaces
  std::string source_text;  // the text it was read from, as printed
  int page = 0;             // 0-based page index
  Box box;                  // on that page, in original page pixels
  double confidence = 0;    // 0..1
  bool valid = true;        // false when a check failed
  std::vector<std::string> problems;  // what failed, or what was repaired, in words
  // Who set the value or accepted it as it is; empty when extracted. A person-set field is not
  // a reason for review, and re-extraction can keep it. JSON key "set_by", written when set.
  std::string set_by;
};

// A printed key of a form and the value filled in for it (funsd's "pairs"): one per value, so a
// column header with several values under it, or a key printed twice, gives several pairs.
struct FormPair {
  std::string key;        // as printed, "DATE:"
  std::string key_name;   // normalised: folded words without punctuation, "date"
  std::string value;      // as printed, wrapped lines joined by spaces; empty when not filled in
  int page = 0;           // 0-based page index of the key (and of its value)
  Box key_box;            // in original page pixels
  Box value_box;          // empty when the value is
  double confidence = 0;  // 0..1, that the value belongs to this key
};

struct Extraction {
  DocumentType type = DocumentType::kOther;
  double type_score = 0;                     // 0..1
  std::map<std::string, FieldValue> fields;  // by field name, e.g. "invoice_number"
  std::vector<FormPair> pairs;               // a form's keys and values, in reading order
  bool needs_review = false;
  std::vector<std::string> review_reasons;
};

}  // namespace quire
