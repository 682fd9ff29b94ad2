#include "validate.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace quire::extract {
namespace {

TEST_CASE("IBAN mod-97 (ISO 13616)") {
  CHECK(IbanChecksumOk("DE89370400440532013000"));
  CHECK(IbanChecksumOk("GB82WEST12345698765432"));
  CHECK(IbanChecksumOk("FR1420041010050500013M02606"));
  CHECK(IbanChecksumOk("NL91ABNA0417164300"));
  CHECK_FALSE(IbanChecksumOk("DE88370400440532013000"));  // wrong check digits
  CHECK_FALSE(IbanChecksumOk("DE8937040044053201300"));   // one digit short
}

TEST_CASE("an IBAN with a wrong check digit is rejected, not repaired") {
  const CheckResult r = CheckIban("DE88370400440532013000");
  CHECK_FALSE(r.valid);
  CHECK(r.value == "DE88370400440532013000");
  CHECK(r.problems == std::vector<std::string>{"IBAN checksum (mod-97) fails"});
}

TEST_CASE("OCR confusions in an IBAN are repaired only where the checksum then passes") {
  const CheckResult o = CheckIban("DE89370400440532O13000");
  CHECK(o.valid);
  CHECK(o.value == "DE89370400440532013000");
  CHECK(o.problems ==
        std::vector<std::string>{"repaired O->0 at 17; IBAN checksum (mod-97) passes"});

  // Letters in a German account number can only be misread digits: all are repaired at once.
  const CheckResult many = CheckIban("DE8937O4OO44O532O13OOO");
  CHECK(many.valid);
  CHECK(many.value == "DE89370400440532013000");

  // In a British IBAN the bank code is letters: a misread "5" for "S" there is repaired back.
  const CheckResult gb = CheckIban("GB82WE5T12345698765432");
  CHECK(gb.valid);
  CHECK(gb.value == "GB82WEST12345698765432");
}

TEST_CASE("an IBAN of the wrong length or an unknown country says so") {
  CHECK(CheckIban("DE893704004405320130").problems ==
        std::vector<std::string>{"IBAN has 20 characters; DE has 22"});
  CHECK_FALSE(CheckIban("QQ89370400440532013000").valid);
}

TEST_CASE("VAT ids with check digits") {
  CHECK(VatIdOk("DE136695976"));
  CHECK_FALSE(VatIdOk("DE136695977"));
  CHECK(VatIdOk("ATU13585627"));
  CHECK_FALSE(VatIdOk("ATU13585628"));
  CHECK(VatIdOk("BE0403019261"));
  CHECK(VatIdOk("BE403019261"));  // the old nine-digit form
  CHECK_FALSE(VatIdOk("BE0403019262"));
  CHECK(VatIdOk("FR40303265045"));
  CHECK_FALSE(VatIdOk("FR41303265045"));
  CHECK(VatIdOk("IT00743110157"));
  CHECK_FALSE(VatIdOk("IT00743110158"));
  CHECK(VatIdOk("NL004495445B01"));
  CHECK_FALSE(VatIdOk("NL004495446B01"));
  CHECK(VatIdOk("ESA28015865"));  // CIF
  CHECK(VatIdOk("ES12345678Z"));  // NIF
  CHECK(VatIdOk("ESX1234567L"));  // NIE
  CHECK_FALSE(VatIdOk("ES12345678A"));
  CHECK(VatIdOk("GB123456789"));  // format only
  CHECK(VatIdOk("GBGD001"));
  CHECK_FALSE(VatIdOk("GB12345678"));
}

TEST_CASE("a VAT id misread by OCR is repaired when the check digit then passes") {
  const CheckResult r = CheckVatId("DE13669S976");
  CHECK(r.valid);
  CHECK(r.value == "DE136695976");
  CHECK(r.problems == std::vector<std::string>{"repaired S->5 at 8; DE VAT id check digit passes"});

  const CheckResult wrong = CheckVatId("DE136695977");
  CHECK_FALSE(wrong.valid);
  CHECK(wrong.problems == std::vector<std::string>{"DE VAT id check digit fails"});
}

TEST_CASE("a VAT id without a known country is kept as read") {
  const CheckResult r = CheckVatId("000123456789");
  CHECK(r.valid);
  CHECK(r.problems.empty());
}

TEST_CASE("BIC format (ISO 9362)") {
  CHECK(CheckBic("COBADEFFXXX").valid);
  CHECK(CheckBic("NWBKGB2L").valid);
  CHECK_FALSE(CheckBic("COBADEF").valid);
  CHECK_FALSE(CheckBic("C0BADEFF").valid);  // a zero in the bank code
}

TEST_CASE("dates must exist and be plausible") {
  CHECK(DateProblems("2024-02-29", "2024-06-01").empty());
  CHECK(DateProblems("2023-02-29", "2024-06-01") ==
        std::vector<std::string>{"date 2023-02-29 does not exist"});
  CHECK(DateProblems("1989-12-31", "2024-06-01").size() == 1);
  CHECK(DateProblems("2025-06-01", "2024-06-01").empty());
  CHECK(DateProblems("2025-06-02", "2024-06-01").size() == 1);
}

TEST_CASE("subtotal plus tax must equal the total within a cent") {
  CHECK_FALSE(SumProblem(135000, 27000, 162000).has_value());
  CHECK_FALSE(SumProblem(135000, 27000, 162001).has_value());
  CHECK(SumProblem(135000, 27000, 182000) ==
        "subtotal 1350.00 + tax 270.00 = 1620.00, but total is 1820.00");
  CHECK_FALSE(SumProblem(std::nullopt, 27000, 182000).has_value());
}

TEST_CASE("prices that include the tax, and a total rounded to 5 cents for cash, add up") {
  CHECK_FALSE(SumProblem(175, 16, 175).has_value());      // "Total 1.75 (incl. GST 0.16)"
  CHECK_FALSE(SumProblem(9517, 571, 10090).has_value());  // 100.88 paid as 100.90
  CHECK_FALSE(SumProblem(1300, 78, 1380).has_value());    // 13.78 paid as 13.80
  CHECK_FALSE(SumProblem(1261, 73, 1260).has_value());    // 12.61 incl. GST 0.73 paid as 12.60
  CHECK(SumProblem(1257, 73, 1260).has_value());          // 12.57 is no rounding of 12.60
  CHECK(SumProblem(6200, 351, 6206).has_value());         // 62.06 is no rounding of 65.51
  CHECK(SumProblem(2727, 164, 2870).has_value());         // 28.91 is not 28.70
}

TEST_CASE("a tax not less than the subtotal, or that is the total, was read from the wrong line") {
  CHECK(TaxProblem(4220, 4473, 4473) == "tax 44.73 is the total 44.73");
  // A total smaller than the tax may be the misread one: the sum check says so for all three.
  CHECK_FALSE(TaxProblem(7911980, 799110, 165831).has_value());
  CHECK(TaxProblem(454, 480, 500) == "tax 4.80 is not less than the subtotal 4.54");
  CHECK_FALSE(TaxProblem(135000, 27000, 162000).has_value());
  CHECK_FALSE(TaxProblem(std::nullopt, std::nullopt, 162000).has_value());
}

TEST_CASE("line items must add up to the subtotal, or to the total when prices include tax") {
  CHECK(LineItemsProblem({120000, 15000}, 135000, 162000) == std::nullopt);
  CHECK(LineItemsProblem({2290, 500}, 2632, 2790) == std::nullopt);
  CHECK(LineItemsProblem({120000, 16000}, 135000, 162000) ==
        "line items add up to 1360.00, but subtotal is 1350.00 and total is 1620.00");
  CHECK(LineItemsProblem({120000, 16000}, std::nullopt, 162000) ==
        "line items add up to 1360.00, but total is 1620.00");
  CHECK(LineItemsProblem({120000}, std::nullopt, std::nullopt) == std::nullopt);
}

TEST_CASE("a line item's quantity times unit price is its amount") {
  CHECK(ItemProblem(1, 300, 124900, 374700) == std::nullopt);
  CHECK(ItemProblem(1, 250, 333, 833) == std::nullopt);      // 2.5 x 3.33 = 8.325
  CHECK(ItemProblem(1, 1200, 1667, 20000) == std::nullopt);  // 12 x 16.67, priced 200.00
  CHECK(ItemProblem(2, 3900, 420, 16380) == std::nullopt);
  CHECK(ItemProblem(2, 8900, 420, 16380) ==  // 39 misread as 89
        "line item 2: 89 x 4.20 = 373.80, but its amount is 163.80");
}

TEST_CASE("a misread line item quantity is repaired once the sum confirms the amounts") {
  std::map<std::string, FieldValue> fields;
  fields["line_items"].value =
      R"([{"description":"Cable","quantity":"39","unit_price":"4.20","amount":"163.80"},)"
      R"( {"description":"Rack","quantity":"8","unit_price":"1249.00","amount":"3747.00"},)"
      R"( {"description":"Labour","quantity":"35","unit_price":"64.00","amount":"224.00"},)"
      R"( {"description":"Lavender","quantity":"30","unit_price":"795.00","amount":"238.50"}])";
  fields["subtotal"].value = "4373.30";
  ValidateFields(fields, "2024-06-01");
  CHECK(fields["line_items"].valid);
  CHECK(fields["line_items"].problems ==
        std::vector<std::string>{
            "line item 2: repaired quantity 8 -> 3, as 3 x 1249.00 = 3747.00",
            "line item 3: repaired quantity 35 -> 3.5, as 3.5 x 64.00 = 224.00",
            "line item 4: repaired unit_price 795.00 -> 7.95, as 30 x 7.95 = 238.50"});
  const auto items = nlohmann::json::parse(fields["line_items"].value);
  CHECK(items[1]["quantity"] == "3");
  CHECK(items[2]["quantity"] == "3.5");
  CHECK(items[3]["unit_price"] == "7.95");
}

TEST_CASE("a line item that does not add up, with nothing to confirm its amount, goes to review") {
  std::map<std::string, FieldValue> fields;
  fields["line_items"].value =
      R"([{"description":"Rack","quantity":"8","unit_price":"1249.00","amount":"3747.00"}])";
  ValidateFields(fields, "2024-06-01");
  CHECK_FALSE(fields["line_items"].valid);
  CHECK(fields["line_items"].problems ==
        std::vector<std::string>{"line item 1: 8 x 1249.00 = 9992.00, but its amount is 3747.00"});
}

TEST_CASE("validating a document's fields: a due date before the invoice date") {
  std::map<std::string, FieldValue> fields;
  fields["invoice_date"].value = "2024-03-14";
  fields["due_date"].value = "2024-03-01";
  fields["iban"].value = "de89 3704 0044 0532 0130 00";
  ValidateFields(fields, "2024-06-01");
  CHECK(fields["invoice_date"].valid);
  CHECK_FALSE(fields["due_date"].valid);
  CHECK(fields["due_date"].problems ==
        std::vector<std::string>{"due date 2024-03-01 is before the invoice date 2024-03-14"});
  CHECK(fields["iban"].value == "DE89370400440532013000");
  CHECK(fields["iban"].valid);
}

TEST_CASE("an issue date more than a month after today is a misread, a later due date is not") {
  std::map<std::string, FieldValue> fields;
  fields["invoice_date"].value = "2025-02-14";  // "2024" misread
  fields["due_date"].value = "2025-03-14";
  ValidateFields(fields, "2024-06-01");
  CHECK_FALSE(fields["invoice_date"].valid);
  CHECK(fields["invoice_date"].problems ==
        std::vector<std::string>{"issued 2025-02-14, more than a month after today (2024-06-01)"});
  CHECK(fields["due_date"].valid);

  CHECK_FALSE(IssuedAheadProblem("2024-07-01", "2024-06-01"));  // a month ahead: an advance bill
  CHECK(IssuedAheadProblem("2024-07-02", "2024-06-01"));
  CHECK_FALSE(IssuedAheadProblem("2025-01-31", "2024-12-31"));  // across the year's end
  CHECK(IssuedAheadProblem("2025-02-01", "2024-12-31"));
  CHECK_FALSE(IssuedAheadProblem("2024-02-29", "2024-01-31"));  // to the month's last day
  CHECK(IssuedAheadProblem("2024-03-01", "2024-01-31"));
}

TEST_CASE("line items that do not add up are marked invalid") {
  std::map<std::string, FieldValue> fields;
  fields["subtotal"].value = "100.00";
  fields["line_items"].value = R"([{"description": "a", "amount": "60.00"},
                                   {"description": "b", "amount": "30.00"}])";
  ValidateFields(fields, "2024-06-01");
  CHECK_FALSE(fields["line_items"].valid);
  CHECK(fields["line_items"].problems ==
        std::vector<std::string>{"line items add up to 90.00, but subtotal is 100.00"});
}

}  // namespace
}  // namespace quire::extract
