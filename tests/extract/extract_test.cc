// End to end: realistic invoices and receipts laid out as OCR would return them, through
// Extractor::Extract.
#include "quire/extract/extract.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "builtin_fields.h"
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
  CHECK(total.confidence > ExtractOptions{}.review_threshold);
  CHECK(total.confidence <= 1.0);
  CHECK(total.valid);
  // The same total read by OCR with less confidence is less certain.
  PageText faint = EnglishInvoice();
  for (OcrWord& word : faint.words) {
    if (word.box.y == total.box.y) word.conf = 60;
  }
  const Extraction faint_ex = Run(faint);
  REQUIRE(faint_ex.fields.count("total") == 1);
  CHECK(faint_ex.fields.at("total").value == "1620.00");
  CHECK(faint_ex.fields.at("total").confidence < total.confidence);

  const auto items = nlohmann::json::parse(Value(ex, "line_items"));
  REQUIRE(items.size() == 2);
  CHECK(items[0]["description"] == "Consulting services");
  CHECK(items[0]["quantity"] == "10");
  CHECK(items[0]["unit_price"] == "120.00");
  CHECK(items[0]["amount"] == "1200.00");
  CHECK(items[1]["amount"] == "150.00");
}

TEST_CASE("a table that goes on over the page is read whole, its descriptions with their numbers") {
  const PageText first =
      PageBuilder()
          .Row({{"ACME Networks Ltd", 50}, {"INVOICE", 550}})
          .Row({{"Invoice No: INV-42", 450}})
          .Skip()
          .Row({{"Description", 50}, {"Qty", 400}, {"Unit Price", 470}, {"Amount", 620}})
          .Row({{"Server rack, 42U, 600 x 1000 mm", 50},
                {"3", 410},
                {"1,249.00", 470},
                {"3,747.00", 620}})
          .Row({{"Patch cable, 1 m, blue", 50}, {"39", 410}, {"4.20", 500}, {"163.80", 640}})
          .Skip(20)
          .Line("Continued on page 2")
          .Row({{"ACME Networks Ltd - Invoice INV-42 - Page 1 of 2", 200}})
          .Build();
  const PageText second =
      PageBuilder()
          .Line("Invoice No: INV-42 (continued)")
          .Row({{"Description", 60}, {"Qty", 390}, {"Unit Price", 480}, {"Amount", 630}})
          .Row({{"Installation labor, hours", 60}, {"15", 400}, {"95.00", 500}, {"1,425.00", 630}})
          .Skip()
          .Row({{"Subtotal", 450}, {"5,335.80", 630}})
          .Row({{"Tax 10%", 450}, {"533.58", 650}})
          .Row({{"Total", 450}, {"5,869.38", 630}})
          .Build();
  auto extractor = Extractor::Create(ExtractOptions{});
  REQUIRE(extractor.ok());
  const Extraction ex = (*extractor)->Extract({first, second});

  const auto items = nlohmann::json::parse(Value(ex, "line_items"));
  REQUIRE(items.size() == 3);
  CHECK(items[0]["description"] == "Server rack, 42U, 600 x 1000 mm");
  CHECK(items[0]["quantity"] == "3");
  CHECK(items[0]["unit_price"] == "1249.00");
  CHECK(items[1]["description"] == "Patch cable, 1 m, blue");
  CHECK(items[2]["description"] == "Installation labor, hours");
  CHECK(items[2]["amount"] == "1425.00");
  CHECK(ex.fields.at("line_items").problems.empty());
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
          .Row({{"Lustre", 50}, {"4", 370}, {"189,00", 450}, {"756,00", 620}})
          .Skip()
          .Row({{"Total HT", 400}, {"1 656,00 €", 600}})
          .Row({{"TVA 20 %", 400}, {"331,20 €", 620}})
          .Row({{"Total TTC", 400}, {"1 987,20 €", 600}})
          .Row({{"Net à payer", 400}, {"1 987,20 €", 600}})
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
  CHECK(Value(ex, "subtotal") == "1656.00");
  CHECK(Value(ex, "tax_amount") == "331.20");
  CHECK(Value(ex, "total") == "1987.20");
  CHECK(Value(ex, "vat_id") == "FR40303265045");
  CHECK(Value(ex, "iban") == "FR1420041010050500013M02606");
  // "4 189,00", read as one number, is the quantity 4 and the unit price 189,00.
  const auto items = nlohmann::json::parse(Value(ex, "line_items"));
  REQUIRE(items.size() == 2);
  CHECK(items[1]["quantity"] == "4");
  CHECK(items[1]["unit_price"] == "189.00");
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

TEST_CASE("a code in brackets stays in a vendor's name, a registration number does not") {
  const Document doc({PageBuilder(400, 1000).Line("ACME (4) SDN BHD (860671-D)").Build()});
  REQUIRE(doc.lines().size() == 1);
  CHECK(ReadNameLine(doc.lines()[0], doc.TextHeight(0)).name == "ACME (4) SDN BHD");
}

TEST_CASE("a legal form OCR garbled twice between its first and last letters is restored") {
  const Document doc({PageBuilder(400, 1000).Line("ACME BAKERIES SDN BIED").Build()});
  REQUIRE(doc.lines().size() == 1);
  CHECK(ReadNameLine(doc.lines()[0], doc.TextHeight(0)).name == "ACME BAKERIES SDN BHD");
}

TEST_CASE("the last token of a legal form is known by its end once the others are read") {
  const auto name = [](const std::string& line) {
    const Document doc({PageBuilder(400, 1000).Line(line).Build()});
    return ReadNameLine(doc.lines()[0], doc.TextHeight(0)).name;
  };
  CHECK(name("ACME VICTORY SON aD") == "ACME VICTORY SDN BHD");
  CHECK(name("ACME HOLDINGS SDN. GtHiD.") == "ACME HOLDINGS SDN. BHD.");
  CHECK(name("ACME SDN MARKETING") == "ACME SDN MARKETING");
}

TEST_CASE("a vendor's name that names nobody by itself goes on from the line above") {
  const auto name_under = [](const std::string& first, const std::string& second) {
    return Value(Run(PageBuilder(400, 1000)
                         .Line(first)
                         .Line(second)
                         .Line("NO. 17-G, JALAN SETIA INDAH,")
                         .Line("40170 SHAH ALAM")
                         .Line("Date: 25/12/2018")
                         .Row({{"TOTAL", 20}, {"27.90", 310}})
                         .Build()),
                 "vendor_name");
  };
  CHECK(name_under("AIK HUAT HARDWARE", "ENTERPRISE (SETIA ALAM) SDN BHD") ==
        "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD");
  CHECK(name_under("THE COFFEE BEAN", "& TEA LEAF (M) SDN BHD") ==
        "THE COFFEE BEAN & TEA LEAF (M) SDN BHD");
  // A name of its own under a brand stays alone.
  CHECK(name_under("TEALIVE", "LOOB HOLDING SDN BHD") == "LOOB HOLDING SDN BHD");
}

TEST_CASE("a Malay business word makes a vendor's name over a logo OCR garbled above it") {
  const Extraction ex = Run(PageBuilder(400, 1000)
                                .Line("3 18 Ol Olt")
                                .Skip(3)
                                .Line("SYARIKAT PERNIAGAAN ABC")
                                .Line("NO 290, JALAN AIR PANAS,")
                                .Line("53200, KUALA LUMPUR.")
                                .Line("Date: 25/12/2018")
                                .Row({{"TOTAL", 20}, {"27.90", 310}})
                                .Build());
  CHECK(Value(ex, "vendor_name") == "SYARIKAT PERNIAGAAN ABC");
  CHECK(Value(ex, "vendor_address") == "NO 290, JALAN AIR PANAS, 53200, KUALA LUMPUR.");
}

TEST_CASE("a label word is found as OCR reads it one letter off, but not as another word") {
  const Document doc({PageBuilder(400, 1000)
                          .Line("Tatal: 41.50")
                          .Line("Tota 41.50")
                          .Line("Serv. Charge (10%): 2.66")
                          .Line("Net 41.50")
                          .Build()});
  CHECK(FindLabels(doc, {{"total"}}).size() == 2);
  CHECK(FindLabels(doc, {{"change"}}).empty());
  CHECK(FindLabels(doc, {{"net"}}).size() == 1);
  CHECK(FindLabels(doc, {{"nett"}}).empty());  // four letters are too few to tell
}

TEST_CASE("a street line is no vendor's name, though it holds a trade word") {
  const Extraction ex = Run(PageBuilder(400, 1000)
                                .Line("TAN BROTHERS")
                                .Line("12, Jalan Pasar Besar,")
                                .Line("81300 Skudai, Johor")
                                .Line("Date: 25/12/2018")
                                .Row({{"TOTAL", 20}, {"27.90", 310}})
                                .Build());
  CHECK(Value(ex, "vendor_name") == "TAN BROTHERS");
  CHECK(Value(ex, "vendor_address") == "12, Jalan Pasar Besar, 81300 Skudai, Johor");
}

TEST_CASE("the vendor's address is read under a name the ranking chose") {
  const Document doc({PageBuilder(400, 1000)
                          .Line("PERNIAGAAN ABC")
                          .Line("NO.59 JALAN PERMAS 9/5")
                          .Line("81760 JOHOR BAHRU")
                          .Line("TEL : 07-386 7524")
                          .Skip(3)
                          .Line("XYZ ENGINEERING (M) SDN BHD")
                          .Line("Receipt# CS00082582")
                          .Build()});
  FieldValue name;
  name.value = "PERNIAGAAN ABC";
  name.box = doc.lines().front().box;
  const std::optional<FieldValue> address = VendorAddressUnder(doc, name);
  REQUIRE(address.has_value());
  CHECK(address->value == "NO.59 JALAN PERMAS 9/5 81760 JOHOR BAHRU");
  name.box = doc.lines()[doc.lines().size() - 2].box;  // the engineering firm
  CHECK_FALSE(VendorAddressUnder(doc, name).has_value());
}

TEST_CASE("an address may start with a street or a floor without a number") {
  const Extraction ex = Run(PageBuilder(400, 1000)
                                .Line("KEDAI ABC SDN BHD")
                                .Line("GROUND FLOOR, WISMA ABC")
                                .Line("JALAN MERDEKA,")
                                .Line("81100 JOHOR BAHRU, JOHOR")
                                .Line("Date: 25/12/2018")
                                .Row({{"TOTAL", 20}, {"27.90", 310}})
                                .Build());
  CHECK(Value(ex, "vendor_address") ==
        "GROUND FLOOR, WISMA ABC JALAN MERDEKA, 81100 JOHOR BAHRU, JOHOR");
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

TEST_CASE("a document on which no text was read goes to review, and says so") {
  PageText blank;
  blank.width = 400;
  blank.height = 1000;
  blank.blank = true;
  const std::string reason = "no text was read on any page";
  const Extraction ex = Run(blank);
  CHECK(ex.fields.empty());
  CHECK(ex.needs_review);
  CHECK(std::count(ex.review_reasons.begin(), ex.review_reasons.end(), reason) == 1);
  const Extraction read = Run(PageBuilder(400, 1000).Line("Minutes of the meeting").Build());
  CHECK(std::count(read.review_reasons.begin(), read.review_reasons.end(), reason) == 0);
}

TEST_CASE("poorly read words lower the confidence and send the document to review") {
  // The same invoice, its total line read with OCR confidence 95 and 40.
  auto invoice = [](float total_conf) {
    PageBuilder builder;
    builder.Line("ACME Consulting Ltd").Line("INVOICE").Line("Invoice No: 4711");
    builder.Line("Invoice Date: 14.03.2024").Conf(total_conf).Line("Total 99.00");
    return Run(builder.Build());
  };
  const Extraction clear = invoice(95);
  const Extraction poor = invoice(40);
  const auto uncertain = [](const Extraction& ex) {
    return std::find_if(ex.review_reasons.begin(), ex.review_reasons.end(),
                        [](const std::string& r) { return r.starts_with("total is uncertain"); });
  };
  REQUIRE(clear.fields.count("total") == 1);
  REQUIRE(poor.fields.count("total") == 1);
  const double confidence = poor.fields.at("total").confidence;
  CHECK(confidence < clear.fields.at("total").confidence);
  // Under the threshold: review, with the confidence in the reason.
  CHECK(confidence < ExtractOptions{}.review_threshold);
  CHECK(poor.needs_review);
  REQUIRE(uncertain(poor) != poor.review_reasons.end());
  char expected[64];
  std::snprintf(expected, sizeof(expected), "total is uncertain (confidence %.2f)", confidence);
  CHECK(*uncertain(poor) == expected);
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

TEST_CASE("a number that starts like an IBAN but is too short for one is not taken for one") {
  // A receipt's transaction number: "MT" is Malta's code, whose IBANs have 31 characters.
  const PageText receipt = PageBuilder()
                               .Line("FRESH MART SDN BHD")
                               .Line("MT161201805120055")
                               .Line("TOTAL 12.00")
                               .Build();
  CHECK(Run(receipt).fields.count("iban") == 0);

  // Under an IBAN label, a short one is an IBAN OCR lost characters of: kept, and failed.
  const PageText labelled = PageBuilder()
                                .Line("ACME GmbH")
                                .Line("Rechnung Nr. 1")
                                .Line("IBAN: DE89 3704 0044 0532 0130")
                                .Build();
  const Extraction ex = Run(labelled);
  REQUIRE(ex.fields.count("iban") == 1);
  CHECK_FALSE(ex.fields.at("iban").valid);
}

TEST_CASE("a subtotal and tax that do not make the total give way to printed ones that do") {
  const PageText page = PageBuilder()
                            .Line("KEDAI ABC SDN BHD")
                            .Line("TAX INVOICE")
                            .Row({{"Qty", 20}, {"Description", 80}, {"Total", 400}, {"Tax", 500}})
                            .Row({{"1", 20}, {"PVC PIPE 2M", 80}, {"70.00", 400}, {"SR", 500}})
                            .Row({{"1", 20}, {"ELBOW JOINT", 80}, {"36.00", 400}, {"SR", 500}})
                            .Row({{"Total (Excluding GST):", 20}, {"106.00", 400}})
                            .Row({{"GST Payable:", 20}, {"6.36", 400}})
                            .Row({{"Total (Inclusive of GST):", 20}, {"112.36", 400}})
                            .Build();
  const Extraction ex = Run(page);
  CHECK(Value(ex, "total") == "112.36");
  CHECK(Value(ex, "subtotal") == "106.00");
  CHECK(Value(ex, "tax_amount") == "6.36");
  CHECK(ex.fields.at("total").valid);
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
  // Cash minus change confirms the amount on the garbled row: the ranking learned that such a
  // total is usually right, and its confidence says how often.
  CHECK(ex.fields.at("total").confidence > 0.5);
}

TEST_CASE("a total no figure agrees with is read as OCR's other reading that one does") {
  // OCR read the total "32.00" and found "52.00" likely too; the cash paid, with no change, says
  // which.
  const auto receipt = [](const std::string& total, const std::string& cash,
                          const std::map<std::string, std::vector<std::string>>& alternatives) {
    return PageBuilder(400, 1000)
        .Line("KEDAI ABC SDN BHD")
        .Line("Date: 25/12/2018")
        .Row({{"BREAD", 20}, {"22.00", 310}})
        .Row({{"SUBTOTAL", 20}, {"22.00", 310}})
        .Row({{"TOTAL", 20}, {total, 310}})
        .Row({{"CASH", 20}, {cash, 310}})
        .Alternatives(alternatives)
        .Build();
  };
  const Extraction read_again = Run(receipt("32.00", "52.00", {{"32.00", {"92.00", "52.00"}}}));
  const FieldValue& total = read_again.fields.at("total");
  CHECK(total.value == "52.00");
  REQUIRE(total.problems.size() == 1);
  CHECK(total.problems[0] ==
        "read 52.00, OCR's other reading, which other figures agree with; "
        "OCR read 32.00");
  // A person confirms OCR's second choice.
  CHECK(total.confidence < 0.6);
  CHECK(read_again.needs_review);
  // As read: without the other reading; when only another word has it; when a figure agrees with
  // the total as read (the subtotal) though another agrees with the other reading (the cash).
  CHECK(Value(Run(receipt("32.00", "52.00", {})), "total") == "32.00");
  CHECK(Value(Run(receipt("32.00", "52.00", {{"22.00", {"52.00"}}})), "total") == "32.00");
  CHECK(Value(Run(receipt("22.00", "52.00", {{"22.00", {"52.00"}}})), "total") == "22.00");
}

TEST_CASE("two totals each read also as the other stay as the ranking chose") {
  // Another total label's amount is no figure that confirms a total: neither is rewritten.
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Line("Date: 25/12/2018")
                            .Row({{"Total incl GST", 20}, {"13.30", 310}})
                            .Row({{"Total Rounded", 20}, {"73.30", 310}})
                            .Alternatives({{"13.30", {"73.30"}}, {"73.30", {"13.30"}}})
                            .Build();
  const Extraction ex = Run(page);
  REQUIRE(ex.fields.count("total") == 1);
  CHECK(ex.fields.at("total").problems.empty());
}

TEST_CASE("a receipt whose total and cash labels OCR garbled: subtotal plus tax, if printed") {
  const auto receipt = [](const std::string& total) {
    return PageBuilder(400, 1000)
        .Line("KEDAI ABC SDN BHD")
        .Line("Date: 25/12/2018")
        .Row({{"Sub Total : RM", 20}, {"68. 87", 310}})
        .Row({{"GST/TAX 6% y RM", 20}, {"4.13", 310}})
        .Row({{"TOR\", :", 20}, {total, 310}})
        .Build();
  };
  const Extraction ex = Run(receipt("RM 73. 00"));
  CHECK(Value(ex, "total") == "73.00");
  CHECK(ex.fields.at("total").valid);  // subtotal + tax confirms it
  // Where the sum is printed nowhere, the subtotal may already hold the tax.
  CHECK(Value(Run(receipt("RM 7?.0")), "total") == "68.87");
}

TEST_CASE("a value that follows a label of its own is not the value of the label above it") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("SECRET RECIPE SDN BHD")
                            .Line("Date: 25/12/2018")
                            .Row({{"Grand Total", 250}, {"rn | ° 30", 400}})
                            .Line("(Bill Inclusive of 6% GST : RM2,90)", 20)
                            .Row({{"Cash", 20}, {"RM51.30", 300}})
                            .Build();
  CHECK(Value(Run(page), "total") == "51.30");
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

// `page` as scanned turned 90° counter-clockwise: capture reads it after turning it 90°
// clockwise and reports the boxes on the scan (see PageText).
PageText ScannedSideways(PageText page) {
  for (OcrWord& w : page.words) w.box = Box{w.box.y, page.width - w.box.right(), w.box.h, w.box.w};
  std::swap(page.width, page.height);
  page.rotation = 90;
  return page;
}

// `page` as scanned tilted by `degrees` (negative: rows fall to the right), the tilt capture
// measured and corrected before OCR; the boxes stay on the tilted scan.
PageText ScannedTilted(PageText page, double degrees) {
  const double angle = -degrees * 3.14159265358979 / 180;
  for (OcrWord& w : page.words) {
    const double dx = w.box.x + w.box.w / 2.0 - page.width / 2.0;
    const double dy = w.box.y + w.box.h / 2.0 - page.height / 2.0;
    const double x = page.width / 2.0 + dx * std::cos(angle) - dy * std::sin(angle);
    const double y = page.height / 2.0 + dx * std::sin(angle) + dy * std::cos(angle);
    w.box.x = static_cast<int>(std::lround(x - w.box.w / 2.0));
    w.box.y = static_cast<int>(std::lround(y - w.box.h / 2.0));
  }
  page.skew = degrees;
  return page;
}

Box BoxOfWord(const PageText& page, const std::string& text) {
  for (const OcrWord& w : page.words) {
    if (w.text == text) return w.box;
  }
  return {};
}

TEST_CASE("a page scanned sideways is read upright, and its boxes stay on the scan") {
  const PageText page = ScannedSideways(EnglishInvoice());
  const Extraction ex = Run(page);
  CHECK(Value(ex, "vendor_name") == "ACME Consulting Ltd");
  CHECK(Value(ex, "vendor_address") == "12 High Street London EC1A 1BB");
  CHECK(Value(ex, "customer_name") == "Globex Corporation");
  CHECK(Value(ex, "subtotal") == "1350.00");
  CHECK(Value(ex, "total") == "1620.00");
  CHECK(ex.fields.at("total").box == BoxOfWord(page, "£1,620.00"));
}

TEST_CASE("a tilted scan's labels find their values across the page") {
  const PageText page = ScannedTilted(PageBuilder()
                                          .Line("Pennine Joinery Ltd")
                                          .Line("Unit 4, Calder Works")
                                          .Line("Sowerby Bridge HX6 2AB")
                                          .Line("Invoice No. TT-2024-052")
                                          .Skip(4)
                                          .Row({{"Net", 50}, {"£1,726.50", 700}})
                                          .Row({{"VAT 20%", 50}, {"£345.30", 700}})
                                          .Row({{"Total", 50}, {"£2,071.80", 700}})
                                          .Build(),
                                      -4.5);
  const Extraction ex = Run(page);
  CHECK(Value(ex, "subtotal") == "1726.50");
  CHECK(Value(ex, "tax_amount") == "345.30");
  CHECK(Value(ex, "total") == "2071.80");
  CHECK(ex.fields.at("total").box == BoxOfWord(page, "£2,071.80"));
}

// A German letterhead: the name at the top right over a slogan, the address only in the sender
// line over the window, OCR reading the window before the letterhead.
PageText GermanLetterhead(const std::string& sender_line) {
  PageText page = PageBuilder()
                      .Skip(8)
                      .Line(sender_line)
                      .Line("Bäckerei Schneider KG")
                      .Line("z. Hd. Herrn Thomas Schneider")
                      .Line("Lindenallee 3")
                      .Line("50933 Köln")
                      .Skip()
                      .Row({{"Rechnungsnummer:", 450}, {"RE-2024-0147", 650}})
                      .Row({{"Rechnungsdatum:", 450}, {"14.03.2024", 650}})
                      .Skip()
                      .Row({{"Gesamtbetrag", 450}, {"1.020,60 €", 650}})
                      .Build();
  const PageText letterhead = PageBuilder()
                                  .Line("Müller & Söhne Haustechnik GmbH", 400)
                                  .Line("Heizung · Sanitär · Klima", 550)
                                  .Build();
  page.words.insert(page.words.end(), letterhead.words.begin(), letterhead.words.end());
  return page;
}

TEST_CASE("a letterhead's address read from the sender line over the address window") {
  const Extraction ex =
      Run(GermanLetterhead("Müller & Söhne Haustechnik GmbH · Industriestraße 14 · 50667 Köln"));
  CHECK(Value(ex, "vendor_name") == "Müller & Söhne Haustechnik GmbH");
  CHECK(Value(ex, "vendor_address") == "Industriestraße 14, 50667 Köln");
  CHECK(Value(ex, "customer_name") == "Bäckerei Schneider KG");
}

TEST_CASE("a sender line with its postcode misread is still no customer") {
  const Extraction ex =
      Run(GermanLetterhead("Müller & Söhne Haustechnik GmbH · Industriestraße 14 · 50667 K6ln"));
  CHECK(Value(ex, "customer_name") == "Bäckerei Schneider KG");
}

TEST_CASE("speckle read as a stray letter over the address window is passed over") {
  const PageText page =
      PageBuilder()
          .Line("Müller & Söhne Haustechnik GmbH", 400)
          .Skip(6)
          .Line("Müller & Söhne Haustechnik GmbH · Industriestraße 14 · 50667 Köln")
          .Line("x . . .")
          .Line("Bäckerei Schneider KG")
          .Line("Lindenallee 3")
          .Line("50933 Koln")
          .Build();
  CHECK(Value(Run(page), "customer_name") == "Bäckerei Schneider KG");
}

TEST_CASE("the address block of a footer names the vendor, not the customer") {
  const PageText page = PageBuilder()
                            .Line("Müller & Söhne Haustechnik GmbH", 400)
                            .Skip(3)
                            .Row({{"Rechnungsnummer:", 450}, {"RE-2024-0147", 650}})
                            .Row({{"Rechnungsdatum:", 450}, {"14.03.2024", 650}})
                            .Row({{"Gesamtbetrag", 450}, {"1.020,60 €", 650}})
                            .Skip(25)
                            .Row({{"Müller & Söhne Haustechnik GmbH", 50}, {"IBAN DE89 3704", 450}})
                            .Row({{"Industriestraße 14", 50}, {"0044 0532 0130 00", 450}})
                            .Row({{"50667 Köln", 50}, {"BIC COBADEFFXXX", 450}})
                            .Build();
  CHECK_FALSE(Run(page).fields.count("customer_name"));
}

TEST_CASE("an address beside the invoice details runs on past them") {
  PageText page = PageBuilder()
                      .Row({{"Cascade Network Solutions, Inc.", 50}, {"INVOICE", 600}})
                      .Line("7701 Pacific Avenue, Floor 4")
                      .Line("Tacoma, WA 98408")
                      .Line("(253) 555-0199 · ar@cascadenet.example")
                      .Build();
  // The details column starts under the end of the name, between two address lines.
  const Box street = BoxOfWord(page, "7701");
  page.words.push_back(OcrWord{"Invoice", Box{340, street.y + 15, 70, 20}, 95, 90, 90, {}});
  page.words.push_back(OcrWord{"No.", Box{420, street.y + 15, 30, 20}, 95, 90, 90, {}});
  page.words.push_back(OcrWord{"CNS-240512", Box{460, street.y + 15, 100, 20}, 95, 90, 90, {}});
  CHECK(Value(Run(page), "vendor_address") == "7701 Pacific Avenue, Floor 4 Tacoma, WA 98408");
}

TEST_CASE("receipt addresses: where they start and where they end") {
  SECTION("a street number that looks like a postcode, then the real postcode line") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("THE TOAST F&B SDN BHD (965752-T)")
                              .Line("LOT 2110&2111 JALAN PERMAS UTARA")
                              .Line("BANDAR BARU PERMAS")
                              .Line("81750 JOHOR BAHRU JOHOR")
                              .Line("Tel: 07-3886880")
                              .Build();
    CHECK(Value(Run(page), "vendor_address") ==
          "LOT 2110&2111 JALAN PERMAS UTARA BANDAR BARU PERMAS 81750 JOHOR BAHRU JOHOR");
  }
  SECTION("a country ends the address; the branch under it is no part of it") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("POPULAR BOOK CO. (M) SDN BHD")
                              .Line("No 8, Jalan 7/118B, Desa Tun Razak")
                              .Line("56000 Kuala Lumpur, Malaysia")
                              .Line("SUNWAY VELOCITY")
                              .Build();
    CHECK(Value(Run(page), "vendor_address") ==
          "No 8, Jalan 7/118B, Desa Tun Razak 56000 Kuala Lumpur, Malaysia");
  }
  SECTION("\"NO :\" opens an address, it is no logo and no letterhead separator") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("EDEN IMPRESSION SDN BHD")
                              .Line("Lot NO : 20, Level UG1, Publika Solaris")
                              .Line("Dutamas.")
                              .Line("No 1, Jalan Dutamas, 50480 KL")
                              .Line("Tel: 03-62062378")
                              .Build();
    CHECK(Value(Run(page), "vendor_address") ==
          "Lot NO : 20, Level UG1, Publika Solaris Dutamas. No 1, Jalan Dutamas, 50480 KL");
  }
}

TEST_CASE("a bare \"invoice\" names the number after it, not one later in a sentence") {
  const auto page = [](const std::string& line) {
    return PageBuilder()
        .Line("Brightline Office Supply Co.")
        .Line(line)
        .Line("Questions about this invoice? Contact us at (415) 555-0182.")
        .Build();
  };
  CHECK_FALSE(Run(page("Invoice Date 03/14/2024")).fields.count("invoice_number"));
  CHECK(Value(Run(page("INVOICE # INV-2024-0387")), "invoice_number") == "INV-2024-0387");
  CHECK(Value(Run(page("Facture n° 2024-118")), "invoice_number") == "2024-118");
}

TEST_CASE("the rule under a number, read as '_' or '|', is not part of it") {
  const auto number = [](const std::string& line) {
    return Value(Run(PageBuilder().Line("Pennine Joinery Ltd").Line(line).Build()),
                 "invoice_number");
  };
  CHECK(number("Invoice Number: _PJ-10423") == "PJ-10423");
  CHECK(number("Invoice Number: |PJ-10423_") == "PJ-10423");
}

TEST_CASE("a legal form alone under an illegible logo names no vendor") {
  const PageText page = PageBuilder(400, 1000)
                            .Conf(10)
                            .Line("oe ix Larry")
                            .Conf(90)
                            .Skip(3)
                            .Line("Sdn. Bhd.", 150)
                            .Line("Date: 25/05/2017")
                            .Build();
  CHECK_FALSE(Run(page).fields.count("vendor_name"));
}

TEST_CASE("a lower-case letter joined to an address is part of it, not debris") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("SANYU STATIONERY SHOP")
                            .Line("NO. 31G&33G, JALAN SETIA INDAH X ,U13/x")
                            .Line("40170 SETIA ALAM")
                            .Line("Tel: +603-3362 4137")
                            .Build();
  CHECK(Value(Run(page), "vendor_address") ==
        "NO. 31G&33G, JALAN SETIA INDAH X ,U13/x 40170 SETIA ALAM");
}

TEST_CASE("vendor names with OCR's signs for letters and logo debris") {
  SECTION("a yen sign for Y is read as Y and reported") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("MR. D.I.\xC2\xA5. SDN BHD")
                              .Line("LOT 1851-A & 1851-B, JALAN KPB 6,")
                              .Line("43300 SERI KEMBANGAN, SELANGOR")
                              .Build();
    const FieldValue name = Run(page).fields.at("vendor_name");
    CHECK(name.value == "MR. D.I.Y. SDN BHD");
    CHECK(name.problems == std::vector<std::string>{"read '\xC2\xA5' as 'Y'"});
  }
  SECTION("digits read for dotted initials are letters, and the reading is reported") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("MR. D.1.Y. (M) SDN BHD")
                              .Line("LOT 1851-A & 1851-B, JALAN KPB 6,")
                              .Build();
    const FieldValue name = Run(page).fields.at("vendor_name");
    CHECK(name.value == "MR. D.I.Y. (M) SDN BHD");
    CHECK(name.problems == std::vector<std::string>{"read the initials 'D.1.Y.' as 'D.I.Y.'"});
  }
  SECTION("a dollar sign in a legal form is an S") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("KING'S CONFECTIONERY $/8 273500-U")
                              .Line("NO.41, JALAN SERI BINTANG 2")
                              .Build();
    CHECK(Value(Run(page), "vendor_name") == "KING'S CONFECTIONERY S/B");
  }
  SECTION("a name whose bracket OCR broke over two lines") {
    const PageText page = PageBuilder(400, 1000)
                              .Line("AIK HUAT HARDWARE ENTERPRISE (SETIA")
                              .Line("ALAM) SDN BHD")
                              .Line("922737-X")
                              .Line("NO. 17-G, JALAN SETIA INDAH")
                              .Build();
    CHECK(Value(Run(page), "vendor_name") == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD");
  }
  SECTION("a logo read as a letter drawn taller than the name") {
    PageText page = PageBuilder().Line("Boulangerie-Traiteur Dubois", 150).Build();
    const Box name = page.words.front().box;
    page.words.insert(page.words.begin(), OcrWord{"L", Box{60, name.y - 20, 40, 60}, 70, 0, 0, {}});
    CHECK(Value(Run(page), "vendor_name") == "Boulangerie-Traiteur Dubois");
  }
  SECTION("a logo read as a lower-case word before the name") {
    const PageText page = PageBuilder()
                              .Line("al Harrington & Cole Architects", 300)
                              .Line("415 Beacon Street - Boston, MA 02115", 300)
                              .Build();
    CHECK(Value(Run(page), "vendor_name") == "Harrington & Cole Architects");
  }
}

TEST_CASE("the customer under its label, past a table rule OCR read as empty words") {
  PageText page = PageBuilder()
                      .Line("Brightline Office Supply Co.")
                      .Line("1450 Market Street, San Francisco, CA 94103")
                      .Skip()
                      .Row({{"BILL TO", 50}, {"SHIP TO", 450}})
                      .Line("Harborview Dental Group")
                      .Build();
  const Box bill_to = BoxOfWord(page, "BILL");
  page.words.push_back(OcrWord{"", Box{bill_to.x, bill_to.bottom() + 2, 700, 2}, 95, 99, 99, {}});
  page.words.push_back(
      OcrWord{"", Box{bill_to.x + 710, bill_to.bottom() + 2, 2, 2}, 95, 99, 99, {}});
  CHECK(Value(Run(page), "customer_name") == "Harborview Dental Group");
}

TEST_CASE("Your Ref. in a header row names the order number under it") {
  const PageText page = PageBuilder()
                            .Line("Pennine Joinery Ltd")
                            .Row({{"Invoice No.", 50}, {"Date", 250}, {"Your Ref.", 450}})
                            .Row({{"TT-2024-052", 50}, {"07/06/2024", 250}, {"4471", 450}})
                            .Build();
  CHECK(Value(Run(page), "po_number") == "4471");
}

TEST_CASE("a receipt that charges GST reads day first, even with OCR's \"$\" for \"S\"") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("BENS INDEPENDENT GROCER SDN. BHD")
                            .Line("Tax Invoice : BATO2201803120255 12/03/18")
                            .Row({{"3068320113784 $3.50*4", 20}, {"53.50 $", 300}})
                            .Row({{"Total with GST @ 6%", 20}, {"77.20", 310}})
                            .Build();
  CHECK(Value(Run(page), "invoice_date") == "2018-03-12");
}

TEST_CASE("a poorly read date is still the receipt's date, and a person checks it") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Conf(25)
                            .Line("073 S4PH 561781 21-11-16")
                            .Conf(95)
                            .Row({{"TOTAL", 20}, {"31.80", 310}})
                            .Build();
  const Extraction ex = Run(page);
  CHECK(Value(ex, "invoice_date") == "2016-11-21");
  CHECK(ex.needs_review);
}

TEST_CASE("a receipt date with its year misread is repaired, reported and reviewed") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("GIANT HYPERMARKET SDN BHD")
                            .Line("CASHI 410-82 17/03/2817 21:35")
                            .Row({{"TOTAL", 20}, {"62.00", 310}})
                            .Build();
  const Extraction ex = Run(page);
  const FieldValue date = ex.fields.at("invoice_date");
  CHECK(date.value == "2017-03-17");
  CHECK(date.problems == std::vector<std::string>{"read the year 2817 as 2017 (OCR misreads 0)"});
  CHECK(ex.needs_review);
}

TEST_CASE("a receipt date with a year after next year is read with its misread digit undone") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("EXPRINT SDN BHD")
                            .Line("04:54 pm, 27 March, 2078")
                            .Row({{"TOTAL", 20}, {"5.50", 310}})
                            .Build();
  const FieldValue date = Run(page).fields.at("invoice_date");  // today is 2024-06-01
  CHECK(date.value == "2018-03-27");
  CHECK(date.problems == std::vector<std::string>{"read the year 2078 as 2018 (OCR misreads 1)"});
}

TEST_CASE("a possessive is no label: CUSTOMER'S COPY names no customer") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("KEDAI ABC SDN BHD")
                            .Line("CUSTOMER'S COPY")
                            .Line("Customer\u2019s Payment 20.00")
                            .Row({{"TOTAL", 20}, {"9.00", 310}})
                            .Build();
  CHECK(Value(Run(page), "customer_name") == "<missing>");
  const PageText labelled = PageBuilder(400, 1000)
                                .Line("KEDAI ABC SDN BHD")
                                .Line("Customer: Tan Ah Kow")
                                .Row({{"TOTAL", 20}, {"9.00", 310}})
                                .Build();
  CHECK(Value(Run(labelled), "customer_name") == "Tan Ah Kow");
}

TEST_CASE("an unlabelled date named as another kind of date is not the receipt's date") {
  const PageText page = PageBuilder(400, 1000)
                            .Line("POPULAR BOOK CO. (M) SDN BHD")
                            .Line("Card Expiry: 31/05/18")
                            .Line("21:22 Slip No. : 3020188757 27/02/18")
                            .Row({{"TOTAL", 20}, {"41.00", 310}})
                            .Build();
  CHECK(Value(Run(page), "invoice_date") == "2018-02-27");
}

}  // namespace
}  // namespace quire::extract
