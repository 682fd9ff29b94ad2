// Validation: checks that turn OCR misreads into visible problems.
//
// Identifiers with a check digit (IBAN, most EU VAT ids) are checked, and an OCR confusion
// (O/0, I/1, L/1, S/5, B/8, Z/2) is repaired only when exactly one repair makes the check pass;
// the repair is reported, never silent. Amount and date checks compare fields with each other.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "normalize.h"
#include "quire/common/fields.h"

namespace quire::extract {

// The outcome of checking one identifier: the value to keep (repaired or as given) and what was
// found wrong or repaired, in words.
struct CheckResult {
  std::string value;
  bool valid = true;
  std::vector<std::string> problems;
};

// The length of an IBAN of `country` ("DE" -> 22); nullopt for a country without IBANs.
std::optional<int> IbanLength(std::string_view country);

// ISO 13616: known country length, then mod-97 of the rearranged number equals 1.
bool IbanChecksumOk(std::string_view iban);
CheckResult CheckIban(std::string_view iban);

// EU VAT ids (and GB): the country's format, and its check digits where defined (DE, FR, IT, NL,
// BE, AT, ES). Ids of other countries are only checked to be plausible.
bool VatIdOk(std::string_view vat_id);
CheckResult CheckVatId(std::string_view vat_id);

// ISO 9362: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optional
// 3 letters or digits (branch). There is no check digit, so nothing is repaired.
CheckResult CheckBic(std::string_view bic);

// A date that exists in the calendar and lies between 1990-01-01 and `today` + 1 year.
// `today` is ISO; empty for the system date.
std::vector<std::string> DateProblems(std::string_view iso, std::string_view today);
// The last year such a date may bear: next year. `today` as for DateProblems.
int LatestPlausibleYear(std::string_view today);

// A document is not issued weeks ahead of today (ISO; empty for the system date): an issue date
// more than a month later is a misread year or month ("2027" for "2017"), though a later due
// date is common.
std::optional<std::string> IssuedAheadProblem(std::string_view iso, std::string_view today);

// The problem with the document's tax, if any: no tax rate reaches 100%, so a tax that is not
// less than the subtotal, or that is the total, was read from the wrong line.
std::optional<std::string> TaxProblem(std::optional<int64_t> subtotal, std::optional<int64_t> tax,
                                      std::optional<int64_t> total);

// The problem with the document's amounts, if any: subtotal + tax != total (tolerance: one
// cent). Also consistent: prices that include the tax (the subtotal is the total and the tax
// less), and a total rounded to 5 cents for cash (at most 2 cents from the sum). Not checked
// when any of them is missing.
std::optional<std::string> SumProblem(std::optional<int64_t> subtotal, std::optional<int64_t> tax,
                                      std::optional<int64_t> total);
// A line item's quantity (in hundredths) times its unit price must be its amount, within a cent
// plus half a cent per unit (unit prices are rounded to cents). `number` counts from 1.
std::optional<std::string> ItemProblem(size_t number, int64_t quantity, int64_t unit_price,
                                       int64_t amount);
// Line items must add up to the subtotal, or to the total where prices include tax (receipts).
std::optional<std::string> LineItemsProblem(const std::vector<int64_t>& amounts,
                                            std::optional<int64_t> subtotal,
                                            std::optional<int64_t> total);

// Runs every check on the fields of one document, in place: identifiers are checked (and
// repaired where a checksum allows), dates for existence and plausibility, the due date against
// the issue date, the amounts against each other. A failed check sets valid = false and says why
// in problems; a sum that does not add up marks every amount in it, since any one may be misread.
void ValidateFields(std::map<std::string, FieldValue>& fields, std::string_view today);

// Today's date in ISO form, from the system clock.
std::string Today();

}  // namespace quire::extract
