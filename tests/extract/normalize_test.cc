#include "normalize.h"

#include <catch2/catch.hpp>

namespace quire::extract {
namespace {

std::string Date(std::string_view text, DateOrder order = DateOrder::kDMY) {
  return NormalizeDate(text, order).value_or("<none>");
}

std::string Amount(std::string_view text, DecimalMark mark = DecimalMark::kAuto) {
  return NormalizeAmount(text, mark).value_or("<none>");
}

TEST_CASE("dates in the printed forms of invoices and receipts") {
  CHECK(Date("14.03.2024") == "2024-03-14");
  CHECK(Date("2024-03-14") == "2024-03-14");
  CHECK(Date("14 Mar 2024") == "2024-03-14");
  CHECK(Date("March 14, 2024") == "2024-03-14");
  CHECK(Date("14-MAR-24") == "2024-03-14");
  CHECK(Date("14th March 2024") == "2024-03-14");
  CHECK(Date("14. März 2024") == "2024-03-14");
  CHECK(Date("1er février 2024") == "2024-02-01");
  CHECK(Date("Date: 25/12/2018 8:13:39 PM") == "2018-12-25");
  CHECK(Date("28-06-18") == "2018-06-28");
  CHECK(Date("9/ 3/ 92") == "1992-03-09");
}

TEST_CASE("a receipt's date with a separator dropped or changed before a four-digit year") {
  CHECK(Date("Date : 18-06 2018 16:15:47") == "2018-06-18");
  CHECK(Date("28.04/2018") == "2018-04-28");
  CHECK(Date("Date +: 20~-06- 2018 13:11:45") == "2018-06-20");
  // OCR reads a "/" as a degree sign.
  CHECK(Date("Date © 5°3/2018 22°52 33") == "2018-03-05");
  // Without a four-digit year such runs are more often times and ranges than dates.
  CHECK(Date("Open 10.30-12.00") == "<none>");
  CHECK(Date("18-06 18") == "<none>");
}

TEST_CASE("a time of day after garbled separators shows a date with a two-digit year") {
  CHECK(Date("25- -03-18 18:47 SH01 ZJ86") == "2018-03-25");
  CHECK(Date("25~03-18 9:05") == "2018-03-25");
  CHECK(Date("Pages 10-12 18") == "<none>");
  CHECK(Date("Open 10.30-12.00 18:00") == "<none>");
}

TEST_CASE("a year no document bears is read as OCR misread its 0, and the repair is told") {
  const std::vector<TextMatch> dates = FindDates("CASHI 410-82 17/03/2817 21:35", DateOrder::kDMY);
  REQUIRE(dates.size() == 1);
  CHECK(dates[0].value == "2017-03-17");
  CHECK(dates[0].repair == "read the year 2817 as 2017 (OCR misreads 0)");
  CHECK(Date("Datum: 14.03.2624") == "2024-03-14");
  // Years that may be printed stay as they are, and so does the record of them.
  const std::vector<TextMatch> plain = FindDates("14.03.2024 and 01.02.1987", DateOrder::kDMY);
  REQUIRE(plain.size() == 2);
  CHECK(plain[0].repair.empty());
  CHECK(plain[1].value == "1987-02-01");
  CHECK(Date("01.02.2099") == "2099-02-01");
}

TEST_CASE("a year after the latest a document may bear is read with a digit misread undone") {
  const std::vector<TextMatch> dates = FindDates("04:54 pm, 27 March, 2078", DateOrder::kDMY, 2027);
  REQUIRE(dates.size() == 1);
  CHECK(dates[0].value == "2018-03-27");
  CHECK(dates[0].repair == "read the year 2078 as 2018 (OCR misreads 1)");
  CHECK(FindDates("26/05/2078", DateOrder::kDMY, 2027)[0].value == "2018-05-26");
  // Read without the latest year, the year stands.
  CHECK(FindDates("26/05/2078", DateOrder::kDMY)[0].value == "2078-05-26");
  // Up to the latest year, a year stands; so does one that two readings could be ("2029": 2019
  // or 2020) or none ("2036": 2030, 2035, 2038, 2056... all after 2027).
  for (const char* year : {"2027", "2029", "2036"}) {
    const std::vector<TextMatch> stands =
        FindDates(std::string("25/10/") + year, DateOrder::kDMY, 2027);
    REQUIRE(stands.size() == 1);
    CHECK(stands[0].value == std::string(year) + "-10-25");
    CHECK(stands[0].repair.empty());
  }
}

TEST_CASE("a day or month no date has is read with one of OCR's digit misreads undone") {
  const std::vector<TextMatch> dates = FindDates("12-62-2618 11:34:45 AM", DateOrder::kDMY);
  REQUIRE(dates.size() == 1);
  CHECK(dates[0].value == "2018-02-12");
  CHECK(dates[0].repair ==
        "read 62 as 02 (OCR misreads 0); read the year 2618 as 2018 (OCR misreads 0)");
  CHECK(Date("40/03/2018 Tax Invoice") == "2018-03-10");
  CHECK(Date("DATE: 04/99/2017") == "2017-09-04");
  CHECK(Date("64/05/2018") == "2018-05-04");
  // Digits OCR does not confuse are not changed to make a date.
  CHECK(Date("58/05/2018") == "<none>");
  // A repair that reads only with day and month swapped is none ("05/48" is not May 18th).
  CHECK(Date("DD: 05/48/2017 11:00") == "<none>");
}

TEST_CASE("a year glued to the label after it is still a date's year") {
  CHECK(Date("Date: 21/05/2018TIME: 11:12:56AM") == "2018-05-21");
}

TEST_CASE("two-digit years pivot at 69 like strptime") {
  CHECK(Date("01.01.69") == "2069-01-01");
  CHECK(Date("01.01.70") == "1970-01-01");
}

TEST_CASE("the date order decides ambiguous numeric dates, a day above 12 decides itself") {
  CHECK(Date("03/04/2024", DateOrder::kDMY) == "2024-04-03");
  CHECK(Date("03/04/2024", DateOrder::kMDY) == "2024-03-04");
  CHECK(Date("03/14/2024", DateOrder::kDMY) == "2024-03-14");
  CHECK(Date("25/12/2024", DateOrder::kMDY) == "2024-12-25");
  CHECK(Date("24/03/14", DateOrder::kYMD) == "2024-03-14");
}

TEST_CASE("a document's dates settle its order") {
  CHECK(SettledDateOrder({"Date 03/04/2024", "Due 25/04/2024"}) == DateOrder::kDMY);
  CHECK(SettledDateOrder({"Due 04/25/2024"}) == DateOrder::kMDY);
  CHECK_FALSE(SettledDateOrder({"03/04/2024"}).has_value());
  CHECK_FALSE(SettledDateOrder({"25/04/2024", "04/25/2024"}).has_value());
}

TEST_CASE("things that are not dates") {
  CHECK(Date("Total 12.50") == "<none>");
  CHECK(Date("8:13:39") == "<none>");
  CHECK(Date("Tel 03-1234 5678") == "<none>");
}

TEST_CASE("amounts in either convention") {
  CHECK(Amount("1.234,56") == "1234.56");
  CHECK(Amount("1,234.56") == "1234.56");
  CHECK(Amount("1 234,56") == "1234.56");
  CHECK(Amount("1234.5") == "1234.50");
  CHECK(Amount("RM12.00") == "12.00");
  CHECK(Amount("€ 5") == "5.00");
  CHECK(Amount("-5,00 €") == "-5.00");
  CHECK(Amount("1'234.50") == "1234.50");
  CHECK(Amount("12.345.678,90") == "12345678.90");
  CHECK(Amount("Total Incl. GST@6% RM.34.80") == "34.80");  // a code abbreviated with a dot
}

TEST_CASE("a lone separator before three digits groups thousands unless the document says not") {
  CHECK(Amount("1.234") == "1234.00");
  CHECK(Amount("9.000", DecimalMark::kDot) == "9.00");
  CHECK(Amount("1,234", DecimalMark::kComma) == "1.23");
}

TEST_CASE("a day or month with a letter OCR read for a digit is read with the digit") {
  CHECK(Date("25-O1-16") == "2016-01-25");
  CHECK(Date("12/O5/18") == "2018-05-12");
  CHECK(Date("1l/05/2018") == "2018-05-11");
  // Two letters, or none of OCR's look-alikes, make no date.
  CHECK(Date("25-OI-16") == "<none>");
  CHECK(Date("25-X1-16") == "<none>");
}

TEST_CASE("a space groups thousands only in the comma convention") {
  const std::vector<AmountMatch> amounts = FindAmounts("2 450.00", DecimalMark::kDot);
  REQUIRE(amounts.size() == 2);
  CHECK(amounts[0].cents == 200);
  CHECK(amounts[1].cents == 45000);
}

TEST_CASE("an amount ending a line whose decimal point OCR missed is read with its decimals") {
  const std::vector<AmountMatch> amounts = FindAmounts("Total Incl GST 6 00", DecimalMark::kDot);
  REQUIRE(amounts.size() == 1);
  CHECK(amounts[0].cents == 600);
  CHECK(amounts[0].decimal == '.');
  CHECK(FindAmounts("Grand Total RM 15 40 ", DecimalMark::kAuto).at(0).cents == 1540);
  // Not in the comma convention, not on a line with a point, not mid-line.
  CHECK(FindAmounts("Total 6 00", DecimalMark::kComma).at(0).decimal == 0);
  CHECK(FindAmounts("Qty 2 10 x 1.50", DecimalMark::kDot).size() == 3);
  CHECK(FindAmounts("Table 6 00 Pax", DecimalMark::kDot).at(0).decimal == 0);
}

TEST_CASE("percentages, times, dates and identifiers are not amounts") {
  CHECK(FindAmounts("GST 6% 1.58", DecimalMark::kAuto).size() == 1);
  CHECK(FindAmounts("TVA 20 %", DecimalMark::kAuto).empty());
  CHECK(FindAmounts("8:13:39", DecimalMark::kAuto).empty());
  CHECK(FindAmounts("14.03.2024", DecimalMark::kAuto).empty());
  CHECK(FindAmounts("INV2024", DecimalMark::kAuto).empty());
  CHECK(FindAmounts("2024-03-14", DecimalMark::kAuto).empty());
}

TEST_CASE("a document's amounts settle its decimal mark") {
  CHECK(SettledDecimalMark({"12,50", "1.200,00", "3,00"}) == DecimalMark::kComma);
  CHECK(SettledDecimalMark({"12.50", "9.000"}) == DecimalMark::kDot);
  CHECK(SettledDecimalMark({"12.50", "3,00"}) == DecimalMark::kAuto);
}

TEST_CASE("currencies from symbols and codes") {
  CHECK(NormalizeCurrency("€") == "EUR");
  CHECK(NormalizeCurrency("Total 12,00 EUR") == "EUR");
  CHECK(NormalizeCurrency("$ 5.00") == "USD");
  CHECK(NormalizeCurrency("£1,620.00") == "GBP");
  CHECK(NormalizeCurrency("RM12.00") == "MYR");
  CHECK(NormalizeCurrency("Total (RM)") == "MYR");
  CHECK(NormalizeCurrency("MYR 9.00") == "MYR");
  CHECK_FALSE(NormalizeCurrency("ROOM 12").has_value());
}

TEST_CASE("identifiers lose spaces and punctuation and go upper case") {
  CHECK(NormalizeIdentifier("de89 3704 0044 0532 0130 00") == "DE89370400440532013000");
  CHECK(NormalizeIdentifier("BE 0403.019.261") == "BE0403019261");
}

}  // namespace
}  // namespace quire::extract
