#include "classify.h"

#include <catch2/catch.hpp>

#include "page_builder.h"

namespace quire::extract {
namespace {

using testing::PageBuilder;

Classification Of(const PageText& page) {
  const std::vector<PageText> pages = {page};
  return Classify(Document(pages));
}

TEST_CASE("an invoice by its vocabulary") {
  const Classification c = Of(PageBuilder()
                                  .Line("ACME GmbH")
                                  .Line("Rechnung")
                                  .Line("Rechnungsnummer: 4711")
                                  .Line("Rechnungsdatum: 05.03.2024")
                                  .Line("Gesamtbetrag 119,00 EUR")
                                  .Build());
  CHECK(c.type == DocumentType::kInvoice);
  CHECK(c.score > 0.5);
}

TEST_CASE("a narrow page with till vocabulary is a receipt, even if it says TAX INVOICE") {
  const Classification c = Of(PageBuilder(400, 1000)
                                  .Line("KEDAI ABC SDN BHD")
                                  .Line("TAX INVOICE")
                                  .Line("TOTAL 9.00")
                                  .Line("CASH 10.00")
                                  .Line("CHANGE 1.00")
                                  .Build());
  CHECK(c.type == DocumentType::kReceipt);
}

TEST_CASE("French and German till slips that are not narrow are receipts by their words") {
  const Classification fr = Of(PageBuilder(945, 1426)
                                   .Line("Le Petit Fournil")
                                   .Line("Ticket n° 000318 Table 4")
                                   .Line("2 x Café crème 2,80 5,60")
                                   .Line("Total HT 14,14")
                                   .Line("TVA 10 % 1,41")
                                   .Line("TOTAL TTC 15,55 EUR")
                                   .Line("CB sans contact 15,55")
                                   .Line("Merci de votre visite")
                                   .Build());
  CHECK(fr.type == DocumentType::kReceipt);
  const Classification de = Of(PageBuilder(1003, 1656)
                                   .Line("FRISCHEMARKT")
                                   .Line("Roggenbrot 750g 2,49 A")
                                   .Line("Bananen 1,78 A")
                                   .Line("SUMME EUR 24,03")
                                   .Line("Geg. Girocard 24,03")
                                   .Line("MwSt gesamt 1,91")
                                   .Line("14.03.2024 18:05 Bon 4711")
                                   .Line("Kasse 2 Bed. 07")
                                   .Build());
  CHECK(de.type == DocumentType::kReceipt);
}

TEST_CASE("an office form on a noisy scan: its labels count, however much debris OCR reads") {
  PageBuilder page;
  page.Line("PUBLIC COMMUNICATIONS APPROVAL SHEET")
      .Line("DATE: 1/27/89")
      .Line("SUBJECT: Press release")
      .Line("WRITER: J. Smith")
      .Line("APPROVALS:")
      .Line("Comments: none");
  for (int i = 0; i < 20; ++i) page.Line("oe . ae ss");
  CHECK(Of(page.Build()).type == DocumentType::kForm);
}

TEST_CASE("a type ruled out by the layout takes no share of the score") {
  // A narrow page without amounts: a receipt by its shape, not an invoice (a negative cue).
  const Classification c =
      Of(PageBuilder(400, 1000).Line("KEDAI ABC SDN BHD").Line("THANK YOU").Build());
  CHECK(c.type == DocumentType::kReceipt);
  CHECK(c.score > 0.5);
  CHECK(c.score <= 1.0);
}

TEST_CASE("a page of labels with colons and checkboxes is a form") {
  const Classification c = Of(PageBuilder()
                                  .Line("Name:")
                                  .Line("Address:")
                                  .Line("Date of birth:")
                                  .Line("Married: ☐ yes ☒ no")
                                  .Line("Children: ☐ yes ☐ no")
                                  .Line("Signature:")
                                  .Build());
  CHECK(c.type == DocumentType::kForm);
}

TEST_CASE("a letter by its salutation and closing") {
  const Classification c =
      Of(PageBuilder()
             .Line("Dear Mr Smith,")
             .Line("thank you for your letter of 3 March about the delivery we sent last week.")
             .Line("We have looked into the matter and will send the missing parts at once.")
             .Line("Yours sincerely,")
             .Line("Jane Doe")
             .Build());
  CHECK(c.type == DocumentType::kLetter);
}

TEST_CASE("a page with no cues is other") {
  const Classification c = Of(PageBuilder().Line("Lorem ipsum").Build());
  CHECK(c.type == DocumentType::kOther);
  CHECK(c.score > 0.5);
}

}  // namespace
}  // namespace quire::extract
