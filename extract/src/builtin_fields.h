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

// Where subtotal + tax do not make the total (chosen by then: the ranking's), the subtotal and tax
// printed beside their labels that do, the surest such pair: a receipt's item table may have a
// "Tax" column, or a "Total (Inclusive of GST)" line, whose figure the tax's label rule took,
// while "GST Payable: 6.36" adds up. The fields stay as they are when no pair adds up.
void FitSumToTotal(const Document& doc, const Conventions& conventions, Fields& fields);

// A total (as chosen by then) that no other figure agrees with (cash minus change, subtotal plus
// tax, or the subtotal where no tax was read), printed as a word OCR also read as an amount one of
// them does agree with, is read that way, at half the confidence: "TOTAL 32.00" beside "CASH
// 52.00", where OCR found "52.00" likely for the total's word too. Another total label's amount is
// no such figure: "Total 13.30" and "Rounded 73.30", each read also as the other, say nothing of
// which is right.
void ReadTotalAsFiguresAgree(const Document& doc, const Conventions& conventions, Fields& fields);

// A letter's sender (vendor_name, vendor_address), addressee (customer_name) and the bank and
// VAT ids of its footer; a letter has no invoice number, dates or amounts to extract.
Fields ExtractLetterFields(const Document& doc, const Conventions& conventions,
                           std::string_view today);

// The vendor (name and address, from the top of the first page) and the customer (from a
// "Bill to" label). In parties.cc.
void ExtractParties(const Document& doc, Fields& fields);

// The vendor's address under the vendor's name `name` (its box and page in `doc`) as
// ExtractParties reads it; nullopt when none is printed there. In parties.cc.
std::optional<FieldValue> VendorAddressUnder(const Document& doc, const FieldValue& name);

// How a line reads as a vendor's name or address line, for ranking candidates. In parties.cc.
struct NameLine {
  std::string name;         // the name it prints, OCR misreadings undone
  Evidence evidence;        // of the name's span
  double score = 0;         // how much it looks like a name (0: it cannot be one)
  bool legal_form = false;  // "Sdn Bhd", "GmbH"...
  bool trade_word = false;  // "Trading", "Restaurant"...
  bool title = false;       // "TAX INVOICE"
  bool contact = false;     // phone, e-mail, tax and registration numbers
  bool address_like = false;
  bool postcode = false;  // ends with a postcode and town
  bool upper = false;
  int letters = 0;
  int digits = 0;
};
NameLine ReadNameLine(const Line& line, int text_height);

// The label phrases of a built-in field and the phrases that disqualify them (both empty for a
// field without labels); "cash" and "change" for what a customer paid and got back. In fields.cc.
const std::vector<LabelPhrase>& FieldLabels(std::string_view field);
const std::vector<std::string_view>& ExcludedLabels(std::string_view field);

// The table of line items, as a JSON array in the field "line_items". In line_items.cc.
void ExtractLineItems(const Document& doc, const Conventions& conventions, Fields& fields);

}  // namespace quire::extract
