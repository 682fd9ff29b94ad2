// Normalisation: printed dates, amounts, currencies and identifiers to the forms quire stores.
//
//   dates       "14.03.2024", "03/14/2024", "14 Mar 2024", "March 14, 2024", "14-MAR-24",
//               "2024-03-14", "14. März 2024", "14 mars 2024"      -> "2024-03-14"
//   amounts     "1.234,56", "1,234.56", "1 234,56", "1234.5", "RM12.00", "-5,00 €" -> "1234.56"
//   currencies  "€", "EUR", "Euro", "$", "£", "RM", "MYR"        -> ISO 4217 "EUR"
//   identifiers "de 89 3704 0044"                                 -> "DE8937040044"
//
// Two-digit years follow POSIX strptime: 69 and below are 20xx, 70 and above 19xx.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/extract/extract.h"

namespace quire::extract {

// Which character separates the decimals. kAuto decides from the text: the last of '.' and ','
// when both occur; a single separator followed by exactly three digits ("1.234") is a thousands
// separator.
enum class DecimalMark { kAuto, kDot, kComma };

// How a field's value is normalised, compared and validated.
enum class FieldKind { kText, kIdentifier, kDate, kAmount, kCurrency, kIban, kBic, kVatId };

// The kind of a built-in field name; kText for anything else (form keys, template fields).
FieldKind KindOfField(std::string_view field);

// A value found inside a longer text: bytes [begin, end) and its normalised form.
struct TextMatch {
  TextMatch() = default;
  TextMatch(size_t begin, size_t end, std::string value, std::string repair = {})
      : begin(begin), end(end), value(std::move(value)), repair(std::move(repair)) {}

  size_t begin = 0;
  size_t end = 0;
  std::string value;
  // What was read otherwise than printed, in words; empty when the value is as printed.
  std::string repair;
};

// A calendar date; validity is not checked here (see validate.h).
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
};

std::string FormatDate(const Date& date);  // "2024-03-14"
std::optional<Date> ParseIsoDate(std::string_view iso);

// Every date in `text`, left to right. Numeric dates are read in `order` unless a part settles it
// (a first part above 12 is a day; a four-digit first part is a year). Separators may be garbled
// as OCR garbles them ("5°3/2018", "25- -03-18 18:47") where a four-digit year or a time after
// the date shows it is one. A year no document can bear (2100-2999: "2817", "2618") is read as
// 20xx, OCR's usual misreading of the 0, and a day or month no date has ("12-62-2018") with one
// of OCR's usual digit misreads undone where only one reading is a date; the match records the
// repair.
std::vector<TextMatch> FindDates(std::string_view text, DateOrder order);
// The same, where no document bears a year after `latest_year` (LatestPlausibleYear): a year
// after it, as OCR reads "2018" "2078", has one of OCR's usual digit misreads undone in its last
// two digits where only one reading is a year from 1990 up to it.
std::vector<TextMatch> FindDates(std::string_view text, DateOrder order, int latest_year);
// The date `text` holds, if it holds one.
std::optional<std::string> NormalizeDate(std::string_view text, DateOrder order);

// Whether the numeric dates in `texts` settle the day/month order (25/12 is DMY, 12/25 is MDY);
// nullopt when none does or they disagree.
std::optional<DateOrder> SettledDateOrder(const std::vector<std::string_view>& texts);

// Every amount in `text`, left to right, as cents. Percentages, times and parts of dates are
// skipped.
struct AmountMatch {
  size_t begin = 0;
  size_t end = 0;
  int64_t cents = 0;
  char decimal = 0;  // the decimal mark as printed ('.' or ','); 0 for a whole number ("12")
};
std::vector<AmountMatch> FindAmounts(std::string_view text, DecimalMark mark);
// The amount `text` holds, as cents.
std::optional<int64_t> ParseAmount(std::string_view text, DecimalMark mark = DecimalMark::kAuto);
std::string FormatAmount(int64_t cents);         // "1234.50", "-5.00"
std::string FormatQuantity(int64_t hundredths);  // "3", "8.5", "0.25"
std::optional<std::string> NormalizeAmount(std::string_view text,
                                           DecimalMark mark = DecimalMark::kAuto);

// The decimal mark the amounts with two decimals in `texts` agree on; kAuto when undecided.
DecimalMark SettledDecimalMark(const std::vector<std::string_view>& texts);

// Every currency symbol or code in `text`, as ISO 4217.
std::vector<TextMatch> FindCurrencies(std::string_view text);
std::optional<std::string> NormalizeCurrency(std::string_view text);

// Upper case, without spaces, dots and dashes: IBANs, BICs and VAT ids.
std::string NormalizeIdentifier(std::string_view text);

// The normalised form of a whole value of `kind` (text and identifiers are trimmed); nullopt
// when `text` does not read as one.
std::optional<std::string> NormalizeValue(FieldKind kind, std::string_view text, DateOrder order,
                                          DecimalMark mark);

}  // namespace quire::extract
