// A person's corrections: read and checked like extracted values, refused with a reason, and the
// review decided again (ApplyCorrection, AcceptField).
#include <catch2/catch.hpp>

#include "page_builder.h"
#include "quire/common/json.h"
#include "quire/extract/extract.h"

namespace quire::extract {
namespace {

ExtractOptions Options(DateOrder order = DateOrder::kDMY) {
  ExtractOptions options;
  options.date_order = order;
  options.today = "2024-06-01";
  return options;
}

FieldValue Extracted(const std::string& value, double confidence = 0.9) {
  FieldValue f;
  f.value = value;
  f.source_text = value;
  f.confidence = confidence;
  return f;
}

// An invoice as the extractor leaves it: subtotal + tax != total, so all three failed the sum.
Extraction InvoiceWithBadTotal() {
  Extraction ex;
  ex.type = DocumentType::kInvoice;
  ex.fields["invoice_number"] = Extracted("INV-1");
  ex.fields["invoice_date"] = Extracted("2024-03-14");
  ex.fields["currency"] = Extracted("EUR");
  ex.fields["subtotal"] = Extracted("1000.00");
  ex.fields["tax_amount"] = Extracted("190.00");
  ex.fields["total"] = Extracted("1790.00");
  const std::string sum = "subtotal 1000.00 + tax 190.00 = 1190.00, but total is 1790.00";
  for (const char* name : {"subtotal", "tax_amount", "total"}) {
    ex.fields[name].valid = false;
    ex.fields[name].problems = {sum};
  }
  ex.needs_review = true;
  ex.review_reasons = {"total failed a check; " + sum};
  return ex;
}

// A clean invoice with nothing to review.
Extraction CleanInvoice() {
  Extraction ex;
  ex.type = DocumentType::kInvoice;
  ex.fields["invoice_number"] = Extracted("INV-1");
  ex.fields["invoice_date"] = Extracted("2024-03-14");
  ex.fields["total"] = Extracted("1190.00");
  return ex;
}

std::string Corrected(const std::string& field, const std::string& value,
                      DateOrder order = DateOrder::kDMY) {
  Extraction ex = CleanInvoice();
  Result<std::vector<FieldChange>> changes =
      ApplyCorrection(field, value, "ann", Options(order), ex);
  INFO(changes.status().message());
  REQUIRE(changes.ok());
  return ex.fields.at(field).value;
}

// The refusal's message; REQUIREs that the correction is refused and changes nothing.
std::string Refusal(const std::string& field, const std::string& value,
                    Extraction ex = CleanInvoice()) {
  const std::string before = ToJson(ex).dump();
  Result<std::vector<FieldChange>> changes = ApplyCorrection(field, value, "ann", Options(), ex);
  REQUIRE_FALSE(changes.ok());
  CHECK(changes.status().code() == Status::Code::kInvalidArgument);
  CHECK(ToJson(ex).dump() == before);
  return changes.status().message();
}

TEST_CASE("a corrected amount is read in any convention and stored as the extractor stores it") {
  CHECK(Corrected("total", "1658.31") == "1658.31");
  CHECK(Corrected("total", "1,658.31") == "1658.31");
  CHECK(Corrected("total", "1.658,31") == "1658.31");
  CHECK(Corrected("total", " 1658,3 ") == "1658.30");
  CHECK(Corrected("subtotal", "1 658,31") == "1658.31");
}

TEST_CASE("an amount that names its currency sets the currency the document lacks") {
  Extraction ex = CleanInvoice();
  Result<std::vector<FieldChange>> changes =
      ApplyCorrection("total", "$1,658.31", "ann", Options(), ex);
  REQUIRE(changes.ok());
  REQUIRE(changes->size() == 2);
  CHECK((*changes)[0].field == "total");
  CHECK((*changes)[0].before == "1190.00");
  CHECK((*changes)[0].after == "1658.31");
  CHECK((*changes)[1].field == "currency");
  CHECK((*changes)[1].before.empty());
  CHECK((*changes)[1].after == "USD");
  CHECK(ex.fields.at("currency").set_by == "ann");
}

TEST_CASE("an amount in the document's own currency is taken, in another it is refused") {
  Extraction ex = InvoiceWithBadTotal();
  Result<std::vector<FieldChange>> changes =
      ApplyCorrection("total", "1.190,00 €", "ann", Options(), ex);
  REQUIRE(changes.ok());
  CHECK(changes->size() == 1);
  CHECK(ex.fields.at("total").value == "1190.00");

  const std::string message = Refusal("total", "$1,190.00", InvoiceWithBadTotal());
  CHECK_THAT(message, Catch::Contains("USD") && Catch::Contains("EUR"));
}

TEST_CASE("text that is not one amount is refused, saying what an amount looks like") {
  for (const char* bad : {"", "twelve", "12 apples", "12.00 13.00", "12,00 € $"}) {
    INFO(bad);
    const std::string message = Refusal("total", bad);
    CHECK_THAT(message, Catch::Contains("total") && Catch::Contains("1,658.31"));
  }
}

TEST_CASE("a corrected date is read in the supported conventions and the date order") {
  CHECK(Corrected("invoice_date", "14.03.2024") == "2024-03-14");
  CHECK(Corrected("invoice_date", "14 March 2024") == "2024-03-14");
  CHECK(Corrected("invoice_date", "March 14, 2024") == "2024-03-14");
  CHECK(Corrected("invoice_date", "2024-03-14") == "2024-03-14");
  CHECK(Corrected("invoice_date", "04/03/2024", DateOrder::kDMY) == "2024-03-04");
  CHECK(Corrected("invoice_date", "04/03/2024", DateOrder::kMDY) == "2024-04-03");
  CHECK(Corrected("invoice_date", "25/03/2024", DateOrder::kMDY) == "2024-03-25");
}

TEST_CASE("a date that does not exist or is no date is refused with the form a date takes") {
  CHECK_THAT(Refusal("invoice_date", "2024-02-30"),
             Catch::Contains("2024-02-30 does not exist") && Catch::Contains("2024-03-14"));
  CHECK_THAT(Refusal("invoice_date", "31.04.2024"), Catch::Contains("does not exist"));
  CHECK_THAT(Refusal("invoice_date", "soon"), Catch::Contains("not a date"));
  CHECK_THAT(Refusal("invoice_date", "14.03.2024 or 15.03.2024"), Catch::Contains("not a date"));
  CHECK_THAT(Refusal("due_date", "1985-01-01"), Catch::Contains("implausible"));
}

TEST_CASE("a due date before the invoice date is refused, the invoice date must be corrected") {
  CHECK_THAT(Refusal("due_date", "2024-03-01"),
             Catch::Contains("before the invoice date 2024-03-14") &&
                 Catch::Contains("if the other field is the wrong one, correct it first"));
  CHECK(Corrected("due_date", "2024-04-13") == "2024-04-13");
}

TEST_CASE("IBAN, VAT id and BIC are checked, a valid one is stored without spaces") {
  CHECK(Corrected("iban", "de89 3704 0044 0532 0130 00") == "DE89370400440532013000");
  CHECK_THAT(Refusal("iban", "DE00123"), Catch::Contains("IBAN has 7 characters; DE has 22") &&
                                             Catch::Contains("DE89 3704 0044 0532 0130 00"));
  CHECK_THAT(Refusal("iban", "DE88370400440532013000"), Catch::Contains("mod-97"));
  // One letter O typed for a zero: the checksum says which.
  CHECK_THAT(Refusal("iban", "DE89 37O4 0044 0532 0130 00"),
             Catch::Contains("did you mean DE89370400440532013000"));

  CHECK(Corrected("vat_id", "DE 136 695 976") == "DE136695976");
  CHECK_THAT(Refusal("vat_id", "DE136695977"), Catch::Contains("check digit"));

  CHECK(Corrected("bic", "cobadeffxxx") == "COBADEFFXXX");
  CHECK_THAT(Refusal("bic", "COBA12"), Catch::Contains("ISO 9362"));
  CHECK(Corrected("currency", "€") == "EUR");
  CHECK_THAT(Refusal("currency", "pebbles"), Catch::Contains("EUR, USD"));
}

TEST_CASE("only known fields can be corrected") {
  CHECK_THAT(Refusal("colour", "red"), Catch::Contains("no field 'colour'") &&
                                           Catch::Contains("vendor_name") &&
                                           Catch::Contains("invoice_number"));
  CHECK_THAT(Refusal("line_items", "[]"), Catch::Contains("--accept"));
  CHECK(Corrected("vendor_name", "  ACME GmbH ") == "ACME GmbH");
  CHECK_THAT(Refusal("vendor_name", "   "), Catch::Contains("not empty"));
}

TEST_CASE("a form's printed labels are corrected as text, made-up ones are refused") {
  Extraction form;
  form.type = DocumentType::kForm;
  form.fields["Name of applicant"] = Extracted("Jane Doh", 0.3);
  form.needs_review = true;
  form.review_reasons = {"Name of applicant is uncertain (confidence 0.30)"};
  Result<std::vector<FieldChange>> changes =
      ApplyCorrection("Name of applicant", "Jane Doe", "ann", Options(), form);
  REQUIRE(changes.ok());
  CHECK(form.fields.at("Name of applicant").value == "Jane Doe");
  CHECK_FALSE(form.needs_review);
  CHECK_THAT(Refusal("Favourite colour", "red", form), Catch::Contains("Name of applicant"));
}

TEST_CASE("a correction records who set the field, in memory and in its JSON") {
  Extraction ex = CleanInvoice();
  REQUIRE(ApplyCorrection("total", "1658.31", "ann", Options(), ex).ok());
  const FieldValue& total = ex.fields.at("total");
  CHECK(total.set_by == "ann");
  CHECK(total.confidence == 1.0);
  CHECK(total.valid);
  CHECK(ex.fields.at("invoice_number").set_by.empty());

  const nlohmann::json j = ToJson(ex);
  CHECK(j["fields"]["total"]["set_by"] == "ann");
  CHECK_FALSE(j["fields"]["invoice_number"].contains("set_by"));
  Result<Extraction> back = ExtractionFromJson(j);
  REQUIRE(back.ok());
  CHECK(back->fields.at("total").set_by == "ann");

  Extraction nobody = CleanInvoice();
  CHECK_FALSE(ApplyCorrection("total", "1658.31", " ", Options(), nobody).ok());
}

TEST_CASE("correcting the amount that broke the sum clears the others and closes the review") {
  Extraction ex = InvoiceWithBadTotal();
  REQUIRE(ApplyCorrection("total", "1190.00", "ann", Options(), ex).ok());
  CHECK(ex.fields.at("subtotal").valid);
  CHECK(ex.fields.at("subtotal").problems.empty());
  CHECK(ex.fields.at("tax_amount").valid);
  CHECK_FALSE(ex.needs_review);
  CHECK(ex.review_reasons.empty());
}

TEST_CASE("a corrected amount that still does not add up flags the extracted ones, anew") {
  Extraction ex = InvoiceWithBadTotal();
  REQUIRE(ApplyCorrection("total", "1200.00", "ann", Options(), ex).ok());
  CHECK(ex.fields.at("total").valid);
  const FieldValue& subtotal = ex.fields.at("subtotal");
  CHECK_FALSE(subtotal.valid);
  REQUIRE(subtotal.problems.size() == 1);
  CHECK(subtotal.problems[0] == "subtotal 1000.00 + tax 190.00 = 1190.00, but total is 1200.00");
  // The subtotal is no required field and the sum no exact check: it shows its problem without
  // holding the document, whose total a person set (review.h).
  CHECK_FALSE(ex.needs_review);

  // The subtotal was the misread one.
  REQUIRE(ApplyCorrection("subtotal", "1010.00", "ann", Options(), ex).ok());
  CHECK(ex.fields.at("tax_amount").valid);
  CHECK_FALSE(ex.needs_review);

  // Three amounts a person set that contradict each other: the last is refused.
  CHECK_THAT(Refusal("tax_amount", "100.00", ex), Catch::Contains("but total is 1200.00"));
}

TEST_CASE("corrections given together are judged together, all or nothing") {
  Extraction ex = InvoiceWithBadTotal();
  // Every amount set by a person: then a subtotal alone that disagrees with the total is refused.
  REQUIRE(
      ApplyCorrections({{"subtotal", "1000.00"}, {"tax_amount", "190.00"}, {"total", "1190.00"}},
                       "ann", Options(), ex)
          .ok());
  CHECK_THAT(Refusal("subtotal", "1100.00", ex), Catch::Contains("but total is 1190.00"));
  Result<std::vector<FieldChange>> both =
      ApplyCorrections({{"subtotal", "1100.00"}, {"total", "1290.00"}}, "ann", Options(), ex);
  REQUIRE(both.ok());
  CHECK(both->size() == 2);
  CHECK(ex.fields.at("total").value == "1290.00");
  CHECK_FALSE(ex.needs_review);

  const std::string before = ToJson(ex).dump();
  Result<std::vector<FieldChange>> one_bad =
      ApplyCorrections({{"invoice_number", "INV-2"}, {"iban", "DE00123"}}, "ann", Options(), ex);
  CHECK_FALSE(one_bad.ok());
  CHECK_THAT(one_bad.status().message(), Catch::Contains("iban"));
  CHECK(ToJson(ex).dump() == before);

  // The currency given with the amounts is the one they must name.
  Result<std::vector<FieldChange>> dollars =
      ApplyCorrections({{"currency", "USD"}, {"total", "$1,290.00"}}, "ann", Options(), ex);
  REQUIRE(dollars.ok());
  CHECK(ex.fields.at("currency").value == "USD");
  CHECK_FALSE(ApplyCorrections({}, "ann", Options(), ex).ok());
}

TEST_CASE("accepting a flagged field as it is closes its part of the review") {
  Extraction ex = InvoiceWithBadTotal();
  ex.fields["iban"] = Extracted("DE00123");
  ex.fields["iban"].valid = false;
  ex.fields["iban"].problems = {"IBAN has 7 characters; DE has 22"};
  ex.fields["vendor_name"] = Extracted("ACME", 0.2);

  REQUIRE(AcceptField("iban", "bob", Options(), ex).ok());
  const FieldValue& iban = ex.fields.at("iban");
  CHECK(iban.set_by == "bob");
  CHECK(iban.value == "DE00123");
  CHECK_FALSE(iban.valid);  // the check still failed; a person vouched for it
  CHECK(ex.needs_review);

  REQUIRE(AcceptField("vendor_name", "bob", Options(), ex).ok());
  REQUIRE(AcceptField("subtotal", "bob", Options(), ex).ok());
  REQUIRE(AcceptField("tax_amount", "bob", Options(), ex).ok());
  CHECK(ex.needs_review);  // the total is still flagged
  REQUIRE(AcceptField("total", "bob", Options(), ex).ok());
  CHECK_FALSE(ex.needs_review);

  Status missing = AcceptField("colour", "bob", Options(), ex);
  CHECK(missing.code() == Status::Code::kInvalidArgument);
  CHECK_THAT(missing.message(), Catch::Contains("no field 'colour'") && Catch::Contains("iban"));
}

TEST_CASE("an accepted failure that a later correction cures is cleared") {
  Extraction ex = InvoiceWithBadTotal();
  REQUIRE(AcceptField("subtotal", "bob", Options(), ex).ok());
  CHECK_FALSE(ex.fields.at("subtotal").valid);
  REQUIRE(ApplyCorrection("total", "1190.00", "ann", Options(), ex).ok());
  CHECK(ex.fields.at("subtotal").valid);
  CHECK(ex.fields.at("subtotal").problems.empty());
  CHECK(ex.fields.at("subtotal").set_by == "bob");
  CHECK_FALSE(ex.needs_review);
}

TEST_CASE("a field a template required stays required when the review is decided again") {
  Extraction ex = CleanInvoice();
  ex.fields["total"].confidence = 0.2;
  ex.needs_review = true;
  ex.review_reasons = {"po_number is missing", "total is uncertain (confidence 0.20)"};
  REQUIRE(ApplyCorrection("total", "1190.00", "ann", Options(), ex).ok());
  CHECK(ex.needs_review);
  CHECK(ex.review_reasons == std::vector<std::string>{"po_number is missing"});
  REQUIRE(ApplyCorrection("po_number", "PO-7781", "ann", Options(), ex).ok());
  CHECK_FALSE(ex.needs_review);
}

TEST_CASE("a correction of an extracted invoice closes the review it opened") {
  // The total printed with a smudge: read as 1,820.00, which fails the sum.
  const PageText page = testing::PageBuilder()
                            .Row({{"ACME Consulting Ltd", 50}, {"INVOICE", 550}})
                            .Row({{"Invoice No: INV-2024-0042", 450}})
                            .Row({{"Invoice Date: 14 Mar 2024", 450}})
                            .Skip()
                            .Row({{"Subtotal", 450}, {"1,350.00", 620}})
                            .Row({{"VAT 20%", 450}, {"270.00", 640}})
                            .Row({{"Total", 450}, {"£1,820.00", 610}})
                            .Build();
  auto extractor = Extractor::Create(Options());
  REQUIRE(extractor.ok());
  Extraction ex = (*extractor)->Extract({page});
  REQUIRE(ex.fields.count("total"));
  REQUIRE(ex.needs_review);
  REQUIRE_FALSE(ex.fields.at("subtotal").valid);

  REQUIRE(ApplyCorrection("total", "£1,620.00", "ann", Options(), ex).ok());
  INFO(ToJson(ex).dump(2));
  CHECK(ex.fields.at("total").value == "1620.00");
  CHECK(ex.fields.at("subtotal").valid);
  CHECK_FALSE(ex.needs_review);
}

TEST_CASE("a correction to the value a field has changes nothing and makes it the person's") {
  Extraction ex = CleanInvoice();
  Result<std::vector<FieldChange>> changes =
      ApplyCorrection("total", "1.190,00", "ann", Options(), ex);
  REQUIRE(changes.ok());
  CHECK(changes->empty());
  CHECK(ex.fields.at("total").value == "1190.00");
  CHECK(ex.fields.at("total").set_by == "ann");
  changes = ApplyCorrection("total", "1191.00", "ann", Options(), ex);
  REQUIRE(changes.ok());
  REQUIRE(changes->size() == 1);
  CHECK((*changes)[0].before == "1190.00");
}

}  // namespace
}  // namespace quire::extract
