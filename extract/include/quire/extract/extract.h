// Extract: from page text and word boxes to typed, normalised, validated fields.
//
// An Extractor classifies the document (invoice, receipt, form, letter, other), runs the built-in
// extractors (patterns and layout: a value to the right of or below its label) and any vendor
// template that matches, normalises values (ISO dates, "1234.50" amounts, ISO 4217 currencies),
// validates them (IBAN mod-97, VAT ids, subtotal + tax = total, plausible dates) and decides
// whether a person must review the document. On a form, or a document of no other type, it also
// links every printed key to the values filled in for it (Extraction::pairs), with a model
// learned from annotated forms. It never reads images: only PageText.
//
// Thread safety: Extract() is const and may be called from several threads at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "quire/common/fields.h"
#include "quire/common/page.h"
#include "quire/common/region_reader.h"
#include "quire/common/status.h"

namespace quire::extract {

// How to read an ambiguous numeric date such as 03/04/2024.
enum class DateOrder { kDMY, kMDY, kYMD };

struct ExtractOptions {
  // Day/month order for numeric dates when the document itself does not settle it (a date like
  // 25/12/2024 does).
  // Default: kDMY.
  DateOrder date_order = DateOrder::kDMY;

  // A field whose confidence is below this sends the document to review (on an invoice or a
  // receipt, a field its type requires: see Extractor). The total, date and vendor chosen by the
  // learned ranking carry a calibrated confidence, the share of such choices that were right on
  // documents the model was not trained on (the lower end of its 95% interval); at 0.6, about two
  // receipts in three of sroie-dev need no review, and 2 of those 71 have a wrong total or date.
  // Default: 0.6 (confidence runs from 0 to 1).
  double review_threshold = 0.6;

  // A folder of vendor templates, one JSON file (*.json) per vendor, for what the built-in
  // extractors miss; empty for none. Extractor::Create fails, naming the file, on a bad one.
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
  //       "invoice_number": {"pattern": "Beleg-Nr\\.?\\s*(\\S+)"},
  //       "total": {"region": {"page": 0, "x": 0.6, "y": 0.8, "w": 0.4, "h": 0.1}}
  //     }
  //   }
  //
  // Keywords match like labels (ignoring case, accents and punctuation); the matching template
  // with most keywords found applies. A pattern is an ECMAScript regular expression, run
  // case-insensitively over the document's lines joined by '\n'; its first group is the value.
  // A region (fractions of the page's width and height) takes the words whose centre lies in
  // it. Values are normalised by the field's kind like built-in ones, and replace them.
  // Default: empty.
  std::string template_dir;

  // The date plausibility checks count from, as YYYY-MM-DD (dates more than a year after it are
  // implausible); empty for the system date. Set it to replay old documents or in tests.
  // Default: empty.
  std::string today;
};

class Extractor {
 public:
  // Fails when a template in options.template_dir cannot be read; the message names the file.
  static Result<std::unique_ptr<Extractor>> Create(const ExtractOptions& options);
  virtual ~Extractor() = default;

  virtual Extraction Extract(const std::vector<PageText>& pages) const = 0;

  // As Extract(pages), then, on an invoice or a receipt, every amount and date of the pages read
  // again from the images through `images` (region_reader.h; a figure counts as read otherwise
  // where all the renderings read it alike), and the document extracted again with the figures
  // that read otherwise. Where that gives another total or date, it is taken. A total or date
  // that changed so, or whose figure's renderings mostly read otherwise than the page, is no
  // surer than 0.85: its readings disagree. `images` null: as Extract(pages).
  virtual Extraction Extract(const std::vector<PageText>& pages, RegionReader* images) const = 0;
};

// `pages` extracted again by `extractor`, their figures read again through `images` (may be
// null) as Extract does, keeping the fields of `previous` a person set (FieldValue::set_by), then
// review decided again: what `quire reextract` stores after the rules or the ranking model
// changed.
Extraction ExtractAgain(const Extractor& extractor, const std::vector<PageText>& pages,
                        RegionReader* images, const Extraction& previous,
                        const ExtractOptions& options);

// ---- A person's corrections ----------------------------------------------------------------
//
// A corrected value is read and checked like an extracted one: normalised by the field's kind
// (dates in options.date_order to ISO, amounts in any convention to "1658.31", currencies to ISO
// 4217, identifiers upper case without spaces), then validated (IBAN mod-97, VAT check digits,
// BIC shape, dates that exist and are plausible, the due date not before the issue date). A value
// that fails is refused, and nothing changes. A field a person set carries their name in
// FieldValue::set_by; it no longer sends the document to review, and re-extraction can keep it.
//
// Which fields can be corrected: the standard fields (vendor_name, vendor_address,
// customer_name, invoice_number, invoice_date, due_date, po_number, currency, subtotal,
// tax_amount, total, iban, bic, vat_id), on any document, and any field the document already has
// (a form's printed labels, a template's fields), as text. line_items, a table, can only be
// accepted.

// One field changed by a correction.
struct FieldChange {
  std::string field;
  std::string before;  // the value before, empty when the document did not have the field
  std::string after;   // the normalised value stored
};

// Sets `field` to `value`, read as described above, with `by` as set_by (confidence 1, valid),
// checks the document's fields against each other again and decides its review again. An amount
// that names its currency ("$1,658.31") also sets the document's currency when it has none.
// Returns what changed (the field, and the currency where it was set): nothing when the value
// was already the field's, which is then only marked as the person's.
// InvalidArgument, with what is wrong and what a valid value looks like, for an unknown field,
// a value that does not read as the field's kind or fails its check, a value that contradicts
// another field a person set (a total that is not subtotal + tax), an amount whose currency is
// not the document's, or an empty `by`; `extraction` is then unchanged.
Result<std::vector<FieldChange>> ApplyCorrection(const std::string& field, const std::string& value,
                                                 const std::string& by,
                                                 const ExtractOptions& options,
                                                 Extraction& extraction);

// Several corrections at once (the fields of one API request), each read and checked as
// ApplyCorrection does, but judged together: values that agree only with each other, such as a
// new subtotal and total, are taken. A currency among them is the one their amounts must name.
// All or nothing: when one is refused, `extraction` is unchanged. InvalidArgument also for no
// values.
Result<std::vector<FieldChange>> ApplyCorrections(const std::map<std::string, std::string>& values,
                                                  const std::string& by,
                                                  const ExtractOptions& options,
                                                  Extraction& extraction);

// A person's word that a field the document has is right as it is, though a check failed or its
// confidence is low: sets its set_by to `by` (its value, validity and problems stay as they are)
// and decides the review again. InvalidArgument when the document has no such field or `by` is
// empty.
Status AcceptField(const std::string& field, const std::string& by, const ExtractOptions& options,
                   Extraction& extraction);

}  // namespace quire::extract
