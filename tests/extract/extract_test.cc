// End to end: realistic invoices and receipts laid out as OCR would return them, through
// Extractor::Extract.
#include "quire/extract/extract.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "page_builder.h"

namespace quire::extract {
namespace {

using testing::PageBuilder;

Extraction Run(const PageText& page) {
  ExtractOptions options;
  options.today = "2024-06-01";
  auto extractor = Extractor::Create(options);
  REQUIRE(extractor.ok());
  return (*extractor)->Extract({page});
}

std::string Value(const Extraction& ex, const std::string& field) {
  const auto it = ex.fields.find(field);
  return it == ex.fields.end() ? "<missing>" : it->second.value;
}

PageText EnglishInvoice(const std::string& total = "£1,620.00") {
  return PageBuilder()
      .Row({{"ACME Consulting Ltd", 50}, {"INVOICE", 550}})
      .Row({{"12 High Street", 50}, {"Invoice No: INV-2024-0042", 450}})
      .Row({{"London EC1A 1BB", 50}, {"Invoice Date: 14 Mar 2024", 450}})
      .Row({{"VAT Reg No: GB 123 4567 89", 50}, {"Due Date: April 13, 2024", 450}})
      .Row({{"PO Number: PO-7781", 450}})
      .Skip()
      .Line("Bill To:")
      .Line("Globex Corporation")
      .Line("1 Main Road, Springfield")
      .Skip()
      .Row({{"Description", 50}, {"Qty", 350}, {"Unit Price", 450}, {"Amount", 620}})
      .Row({{"Consulting services", 50}, {"10", 360}, {"120.00", 470}, {"1,200.00", 620}})
      .Row({{"Travel expenses", 50}, {"1", 360}, {"150.00", 470}, {"150.00", 640}})
      .Skip()
      .Row({{"Subtotal", 450}, {"1,350.00", 620}})
      .Row({{"VAT 20%", 450}, {"270.00", 640}})
      .Row({{"Total", 450}, {total, 610}})
      .Skip()
      .Line("IBAN: GB82 WEST 1234 5698 7654 32   BIC: NWBKGB2L")
      .Build();
}

TEST_CASE("an English invoice yields every field, checked and trusted") {
  const Extraction ex = Run(EnglishInvoice());
  CHECK(ex.type == DocumentType::kInvoice);
  CHECK(ex.type_score > 0.5);
  CHECK(Value(ex, "vendor_name") == "ACME Consulting Ltd");
  CHECK(Value(ex, "vendor_address") == "12 High Street London EC1A 1BB");
  CHECK(Value(ex, "customer_name") == "Globex Corporation");
  CHECK(Value(ex, "invoice_number") == "INV-2024-0042");
  CHECK(Value(ex, "invoice_date") == "2024-03-14");
  CHECK(Value(ex, "due_date") == "2024-04-13");
  CHECK(Value(ex, "po_number") == "PO-7781");
  CHECK(Value(ex, "currency") == "GBP");
  CHECK(Value(ex, "subtotal") == "1350.00");
  CHECK(Value(ex, "tax_amount") == "270.00");
  CHECK(Value(ex, "total") == "1620.00");
  CHECK(Value(ex, "iban") == "GB82WEST12345698765432");
  CHECK(Value(ex, "bic") == "NWBKGB2L");
  CHECK(Value(ex, "vat_id") == "GB123456789");
  CHECK_FALSE(ex.needs_review);
  CHECK(ex.review_reasons.empty());

  const FieldValue& total = ex.fields.at("total");
  CHECK(total.source_text == "1,620.00");
  CHECK(total.box == Box{610, 520, 90, 20});
  // OCR confidence x (the label "Total" x a value in the next column rather than on its line,
  // plus a little for agreeing with subtotal + tax).
  CHECK(total.confidence == Approx(0.95 * (0.85 * 0.9 + 0.05)));
  CHECK(total.valid);

  const auto items = nlohmann::json::parse(Value(ex, "line_items"));
  REQUIRE(items.size() == 2);
  CHECK(items[0]["description"] == "Consulting services");
  CHECK(items[0]["quantity"] == "10");
  CHECK(items[0]["unit_price"] == "120.00");
  CHECK(items[0]["amount"] == "1200.00");
  CHECK(items[1]["amount"] == "150.00");
}

TEST_CASE("a misread total fails the sum check and goes to review") {
  const Extraction ex = Run(EnglishInvoice("£1,820.00"));
  const FieldValue& total = ex.fields.at("total");
  CHECK_FALSE(total.valid);
  REQUIRE_FALSE(total.problems.empty());
  CHECK(total.problems[0] == "subtotal 1350.00 + tax 270.00 = 1620.00, but total is 1820.00");
  CHECK(ex.needs_review);
  CHECK_FALSE(ex.review_reasons.empty());
}

TEST_CASE("a German invoice: labels, comma decimals, IBAN and USt-IdNr") {
  const PageText page =
      PageBuilder()
          .Line("Muster GmbH")
          .Line("Hauptstraße 5")
          .Line("10115 Berlin")
          .Row({{"Rechnung", 450}})
          .Row({{"Rechnungsempfänger:", 50}, {"Rechnungsnummer: RE-2024-117", 450}})
          .Row({{"Beispiel AG", 50}, {"Rechnungsdatum: 05.03.2024", 450}})
          .Row({{"Industrieweg 3", 50}, {"Fälligkeitsdatum: 04.04.2024", 450}})
          .Row({{"80331 München", 50}, {"Bestellnummer: 4500012345", 450}})
          .Skip()
          .Row({{"Pos", 50},
                {"Bezeichnung", 100},
                {"Menge", 350},
                {"Einzelpreis", 450},
                {"Betrag", 620}})
          .Row({{"1", 50}, {"Wartung Server", 100}, {"4", 360}, {"95,00", 470}, {"380,00", 620}})
          .Row({{"2", 50},
                {"Lizenz Software", 100},
                {"1", 360},
                {"1.200,00", 450},
                {"1.200,00", 600}})
          .Skip()
          .Row({{"Nettobetrag", 400}, {"1.580,00 €", 600}})
          .Row({{"MwSt 19%", 400}, {"300,20 €", 620}})
          .Row({{"Gesamtbetrag", 400}, {"1.880,20 €", 600}})
          .Skip()
          .Line("Bankverbindung: IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX")
          .Line("USt-IdNr.: DE136695976")
          .Build();
  const Extraction ex = Run(page);
  CHECK(ex.type == DocumentType::kInvoice);
  CHECK(Value(ex, "vendor_name") == "Muster GmbH");
  CHECK(Value(ex, "vendor_address") == "Hauptstraße 5 10115 Berlin");
  CHECK(Value(ex, "customer_name") == "Beispiel AG");
  CHECK(Value(ex, "invoice_number") == "RE-2024-117");
  CHECK(Value(ex, "invoice_date") == "2024-03-05");
  CHECK(Value(ex, "due_date") == "2024-04-04");
  CHECK(Value(ex, "po_number") == "4500012345");
  CHECK(Value(ex, "currency") == "EUR");
  CHECK(Value(ex, "subtotal") == "1580.00");
  CHECK(Value(ex, "tax_amount") == "300.20");
  CHECK(Value(ex, "total") == "1880.20");
  CHECK(Value(ex, "iban") == "DE89370400440532013000");
  CHECK(Value(ex, "bic") == "COBADEFFXXX");
  CHECK(Value(ex, "vat_id") == "DE136695976");
  CHECK_FALSE(ex.needs_review);
  const auto items = nlohmann::json::parse(Value(ex, "line_items"));
  REQUIRE(items.size() == 2);
  CHECK(items[1]["description"] == "Lizenz Software");
  CHECK(items[1]["amount"] == "1200.00");
}

TEST_CASE("a French invoice: Facture n°, Échéance, Total TTC, TVA intracommunautaire") {
  const PageText page =
      PageBuilder()
          .Line("Dupont SARL")
          .Line("15 rue de la Paix")
          .Line("75002 Paris")
          .Row({{"FACTURE", 450}})
          .Line("Facture n° F-2024-0315")
          .Line("Date : 14/03/2024")
          .Line("Échéance : 13/04/2024")
          .Line("Client : Martin & Fils")
          .Skip()
          .Row({{"Désignation", 50}, {"Qté", 350}, {"Prix unitaire", 430}, {"Montant HT", 600}})
          .Row({{"Conseil", 50}, {"2", 360}, {"450,00", 450}, {"900,00", 620}})
          .Skip()
          .Row({{"Total HT", 400}, {"900,00 €", 620}})
          .Row({{"TVA 20 %", 400}, {"180,00 €", 620}})
          .Row({{"Total TTC", 400}, {"1 080,00 €", 600}})
          .Row({{"Net à payer", 400}, {"1 080,00 €", 600}})
          .Line("N° TVA intracommunautaire : FR40 303 265 045")
          .Line("IBAN : FR14 2004 1010 0505 0001 3M02 606")
          .Build();
  const Extraction ex = Run(page);
  CHECK(ex.type == DocumentType::kInvoice);
  CHECK(Value(ex, "vendor_name") == "Dupont SARL");
  CHECK(Value(ex, "vendor_address") == "15 rue de la Paix 75002 Paris");
  CHECK(Value(ex, "customer_name") == "Martin & Fils");
  CHECK(Value(ex, "invoice_number") == "F-2024-0315");
  CHECK(Value(ex, "invoice_date") == "2024-03-14");
  CHECK(Value(ex, "due_date") == "2024-04-13");
  CHECK(Value(ex, "currency") == "EUR");
  CHECK(Value(ex, "subtotal") == "900.00");
  CHECK(Value(ex, "tax_amount") == "180.00");
  CHECK(Value(ex, "total") == "1080.00");
  CHECK(Value(ex, "vat_id") == "FR40303265045");
  CHECK(Value(ex, "iban") == "FR1420041010050500013M02606");
  CHECK_FALSE(ex.needs_review);
}

PageText MalaysianReceipt() {
  return PageBuilder(400, 1000)
      .Line("KEDAI ABC SDN BHD (123456-X)")
      .Line("NO 5, JALAN MERDEKA,")
      .Line("81100 JOHOR BAHRU, JOHOR")
      .Line("GST ID: 000123456789")
      .Line("TAX INVOICE")
      .Line("Date: 25/12/2018 8:13:39 PM")
      .Row({{"Item", 20}, {"Qty", 200}, {"Amount", 300}})
      .Row({{"MILO 1KG", 20}, {"1", 210}, {"22.90", 310}})
      .Row({{"BREAD", 20}, {"2", 210}, {"5.00", 320}})
      .Row({{"Total Sales (Excl GST)", 20}, {"26.32", 310}})
      .Row({{"GST 6%", 20}, {"1.58", 320}})
      .Row({{"Total (Incl GST)", 20}, {"27.90", 310}})
      .Row({{"Rounding", 20}, {"0.00", 320}})
      .Row({{"ROUNDED TOTAL (RM)", 20}, {"27.90", 310}})
      .Row({{"CASH", 20}, {"50.00", 310}})
      .Row({{"CHANGE", 20}, {"22.10", 310}})
      .Line("THANK YOU, PLEASE COME AGAIN")
      .Build();
}

TEST_CASE("a Malaysian receipt: narrow page, GST, rounded total, RM") {
  const Extraction ex = Run(MalaysianReceipt());
  CHECK(ex.type == DocumentType::kReceipt);
  CHECK(Value(ex, "vendor_name") == "KEDAI ABC SDN BHD");
  CHECK(Value(ex, "vendor_address") == "NO 5, JALAN MERDEKA, 81100 JOHOR BAHRU, JOHOR");
  CHECK(Value(ex, "invoice_date") == "2018-12-25");
  CHECK(Value(ex, "total") == "27.90");
  CHECK(Value(ex, "subtotal") == "26.32");
  CHECK(Value(ex, "tax_amount") == "1.58");
  CHECK(Value(ex, "currency") == "MYR");
  CHECK_FALSE(ex.needs_review);
}

TEST_CASE("a receipt without a total needs review, and says so") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Line("CASH BILL")
                            .Line("Date: 25/12/2018")
                            .Line("THANK YOU")
                            .Build();
  const Extraction ex = Run(page);
  CHECK(ex.type == DocumentType::kReceipt);
  CHECK(ex.needs_review);
  CHECK(std::find(ex.review_reasons.begin(), ex.review_reasons.end(), "total is missing") !=
        ex.review_reasons.end());
}

TEST_CASE("poorly read words lower the confidence and send the document to review") {
  PageBuilder builder;
  builder.Line("ACME Consulting Ltd").Line("INVOICE").Line("Invoice No: 4711");
  builder.Line("Invoice Date: 14.03.2024").Conf(40).Line("Total 99.00");
  const Extraction ex = Run(builder.Build());
  const FieldValue& total = ex.fields.at("total");
  CHECK(total.confidence == Approx(0.40 * 0.85));
  CHECK(ex.needs_review);
  CHECK(std::find(ex.review_reasons.begin(), ex.review_reasons.end(),
                  "total is uncertain (confidence 0.34)") != ex.review_reasons.end());
}

TEST_CASE("an IBAN misread by OCR is repaired when the checksum then passes") {
  const PageText page = PageBuilder()
                            .Line("ACME GmbH")
                            .Line("Rechnung Nr. 1")
                            .Line("IBAN: DE89 37O4 0044 0532 0130 00")
                            .Build();
  const Extraction ex = Run(page);
  const FieldValue& iban = ex.fields.at("iban");
  CHECK(iban.value == "DE89370400440532013000");
  CHECK(iban.valid);
  CHECK(iban.problems ==
        std::vector<std::string>{"repaired O->0 at 7; IBAN checksum (mod-97) passes"});
}

TEST_CASE("the document settles the day/month order when a date cannot be read otherwise") {
  const PageText page = PageBuilder()
                            .Line("ACME Inc")
                            .Line("INVOICE")
                            .Line("Invoice Date: 03/04/2024")
                            .Line("Due Date: 12/25/2024")
                            .Build();
  const Extraction ex = Run(page);
  CHECK(Value(ex, "invoice_date") == "2024-03-04");
  CHECK(Value(ex, "due_date") == "2024-12-25");
}

}  // namespace
}  // namespace quire::extract

namespace quire::extract {
namespace {

using testing::PageBuilder;

TEST_CASE("a receipt without a legible total label: cash minus change") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Line("Date: 25/12/2018")
                            .Row({{"T0TAI", 20}, {"44.9O", 310}})  // misread beyond repair
                            .Row({{"CASH", 20}, {"100.00", 300}})
                            .Row({{"CHANGE", 20}, {"55.10", 310}})
                            .Build();
  const Extraction ex = Run(page);
  CHECK(Value(ex, "total") == "44.90");
  CHECK(ex.fields.at("total").confidence < 0.5);  // a guess: a person checks it
  CHECK(ex.needs_review);
}

TEST_CASE("OCR-garbled legal forms are restored and the restoration is reported") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("TRI SHAAS SON BHO (728515-M)")
                            .Line("4-20, Jalan Ria 25/62")
                            .Line("40400 Shah Alam Selangor")
                            .Line("Date: 25/12/2018")
                            .Row({{"TOTAL", 20}, {"5.00", 310}})
                            .Build();
  const Extraction ex = Run(page);
  const FieldValue& name = ex.fields.at("vendor_name");
  CHECK(name.value == "TRI SHAAS SDN BHD");
  CHECK(name.source_text == "TRI SHAAS SON BHO");
  CHECK(name.problems == std::vector<std::string>{"read 'SON BHO' as the legal form 'SDN BHD'"});
  CHECK(Value(ex, "vendor_address") == "4-20, Jalan Ria 25/62 40400 Shah Alam Selangor");
}

TEST_CASE("a letter: sender from the letterhead line, addressee from the address window") {
  const PageText page =
      PageBuilder()
          .Line("Harrington & Cole Architects", 300)
          .Line("415 Beacon Street - Boston, MA 02115 - (617) 555-0134 - www.hc.example", 300)
          .Skip(3)
          .Line("March 18, 2024")
          .Skip(2)
          .Line("Ms. Rebecca Lindqvist")
          .Line("Northshore Community Library")
          .Line("22 Lafayette Street")
          .Line("Salem, MA 01970")
          .Skip()
          .Line("Dear Ms. Lindqvist,")
          .Line("thank you for meeting with us on March 12 to review the schematic design of the")
          .Line("renovation. We appreciated the detailed comments from your staff and the board.")
          .Line("Sincerely,")
          .Build();
  const Extraction ex = Run(page);
  CHECK(ex.type == DocumentType::kLetter);
  CHECK(Value(ex, "vendor_name") == "Harrington & Cole Architects");
  CHECK(Value(ex, "vendor_address") == "415 Beacon Street, Boston, MA 02115");
  CHECK(Value(ex, "customer_name") == "Ms. Rebecca Lindqvist");
  CHECK_FALSE(ex.fields.count("invoice_date"));  // a letter's date is no invoice date
}

TEST_CASE("a bill in US dollars reads ambiguous dates month first") {
  const PageText page = PageBuilder()
                            .Line("Lone Star Audio Visual, LLC")
                            .Line("INVOICE")
                            .Line("Invoice No.: 10582")
                            .Line("Invoice Date: 05/12/2024")
                            .Row({{"Total", 400}, {"$3,309.20", 600}})
                            .Build();
  const Extraction ex = Run(page);
  CHECK(Value(ex, "currency") == "USD");
  CHECK(Value(ex, "invoice_date") == "2024-05-12");
}

}  // namespace
}  // namespace quire::extract
