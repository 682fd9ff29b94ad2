// Built-in extractors for invoices and receipts: number, dates, amounts, currency, bank details,
// VAT id, parties and line items, in English, German and French, from patterns and layout.
//
// They find values and normalise them; checking them against each other is validate's job.
#pragma once

#include <map>
#include <string>

#include "document.h"
#include "labelled.h"
#include "normalize.h"
#include "quire/common/fields.h"

namespace quire::extract {

// How this document writes dates and amounts.
struct Conventions {
  DateOrder date_order = DateOrder::kDMY;
  DecimalMark decimal = DecimalMark::kAuto;
};

// The document's own conventions where its text settles them. Otherwise dates are read MDY on a
// bill in US dollars, else in `date_order`; amounts by their own look (kAuto).
Conventions GuessConventions(const Document& doc, DateOrder date_order);

using Fields = std::map<std::string, FieldValue>;

// Confidence is the words' OCR confidence times the rule's reliability.
FieldValue ToFieldValue(const Candidate& candidate);

// `today` (ISO, empty for the system date) tells plausible dates from misreads.
Fields ExtractInvoiceFields(const Document& doc, const Conventions& conventions,
                            std::string_view today);

// A letter's sender (vendor_name, vendor_address), addressee (customer_name) and the bank and
// VAT ids of its footer; a letter has no invoice number, dates or amounts to extract.
Fields ExtractLetterFields(const Document& doc, const Conventions& conventions,
                           std::string_view today);

// The vendor (name and address, from the top of the first page) and the customer (from a
// "Bill to" label). In parties.cc.
void ExtractParties(const Document& doc, Fields& fields);

// The table of line items, as a JSON array in the field "line_items". In line_items.cc.
void ExtractLineItems(const Document& doc, const Conventions& conventions, Fields& fields);

}  // namespace quire::extract
