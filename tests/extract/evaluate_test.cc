#include "quire/extract/evaluate.h"

#include <catch2/catch.hpp>

#include "page_builder.h"

namespace quire::extract {
namespace {

Extraction With(std::map<std::string, std::string> values) {
  Extraction ex;
  for (auto& [name, value] : values) ex.fields[name].value = value;
  return ex;
}

TEST_CASE("values compare as a person would judge them") {
  CHECK(FieldValuesMatch("total", "9.00", "9"));
  CHECK(FieldValuesMatch("total", "$8.20", "8.20"));
  CHECK_FALSE(FieldValuesMatch("total", "9.00", "9.01"));
  CHECK(FieldValuesMatch("invoice_date", "2018-12-25", "2018-12-25"));
  CHECK_FALSE(FieldValuesMatch("invoice_date", "2018-12-25", "2018-12-26"));
  CHECK(FieldValuesMatch("vendor_name", "BOOK TA .K (TAMAN DAYA) SDN BHD",
                         "Book Ta K (Taman Daya) Sdn Bhd"));
  CHECK(FieldValuesMatch("vendor_address", "12, JALAN TAMPOI 7/4,KAWASAN",
                         "12 JALAN TAMPOI 7/4 KAWASAN"));
  CHECK(FieldValuesMatch("iban", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"));
  CHECK_FALSE(FieldValuesMatch("vendor_name", "ACME", "ACME GmbH"));
}

TEST_CASE("a form value the truth keeps as printed equals the date it reads as") {
  CHECK(FieldValuesMatch("DATE:", "May 1, 1985", "1985-05-01"));
  CHECK(FieldValuesMatch("Date:", "9/ 3/ 92", "1992-03-09", DateOrder::kDMY));
  CHECK(FieldValuesMatch("Date:", "9/ 3/ 92", "1992-09-03", DateOrder::kMDY));
  CHECK_FALSE(FieldValuesMatch("Date:", "9/ 3/ 92", "1992-03-09", DateOrder::kMDY));
  // A date inside a longer value is no date value.
  CHECK_FALSE(FieldValuesMatch("Remarks", "sent 9/3/92 by fax", "1992-03-09"));
}

TEST_CASE("a lost umlaut or accent is a wrong value but case and ß spelt SS are not") {
  CHECK(FieldValuesMatch("vendor_name", "Müller & Söhne GmbH", "MÜLLER & SÖHNE GMBH"));
  CHECK(FieldValuesMatch("vendor_address", "Industriestraße 14", "INDUSTRIESTRASSE 14"));
  // "ü" composed (U+00FC) and decomposed (u + U+0308) are the same letter.
  CHECK(FieldValuesMatch("vendor_name", "M\xC3\xBCller", "Mu\xCC\x88ller"));
  CHECK_FALSE(FieldValuesMatch("vendor_name", "Müller & Söhne GmbH", "Muller & Sohne GmbH"));
  CHECK_FALSE(FieldValuesMatch("vendor_address", "50667 Köln", "50667 Kiln"));
  CHECK_FALSE(FieldValuesMatch("vendor_name", "Société Générale", "Societe Generale"));
}

TEST_CASE("per-field counts, precision, recall and F1") {
  Evaluation ev;
  ev.Add("a", With({{"total", "9.00"}, {"vendor_name", "ACME"}}),
         {{"total", "9.00"}, {"vendor_name", "ACME"}, {"invoice_date", "2024-03-14"}});
  ev.Add("b", With({{"total", "10.00"}, {"invoice_number", "7"}}),
         {{"total", "12.00"}, {"vendor_name", "Initech"}});

  const auto scores = ev.Scores();
  CHECK(scores.count("invoice_number") == 0);  // never in the truth: nothing to measure
  const FieldScore total = scores.at("total");
  CHECK(total.tp == 1);
  CHECK(total.fp == 1);
  CHECK(total.fn == 1);
  CHECK(total.Precision() == Approx(0.5));
  CHECK(total.Recall() == Approx(0.5));
  CHECK(total.F1() == Approx(0.5));
  CHECK(scores.at("invoice_date").fn == 1);
  CHECK(scores.at("invoice_date").F1() == 0);

  const FieldScore all = ev.Overall();
  CHECK(all.tp == 2);
  CHECK(all.fn == 3);

  const auto misses = ev.Misses();
  REQUIRE(misses.size() == 3);
  CHECK(misses[0].document == "a");
  CHECK(misses[0].field == "invoice_date");
  CHECK(misses[0].found.empty());
  CHECK(misses[1].expected == "12.00");
  CHECK(misses[1].found == "10.00");
}

TEST_CASE("review against actual errors, straight-through documents and confident fields") {
  const auto doc = [](std::string total, double confidence, bool review) {
    Extraction ex;
    ex.fields["total"].value = std::move(total);
    ex.fields["total"].confidence = confidence;
    ex.fields["vendor_name"].value = "ACME";
    ex.fields["vendor_name"].confidence = 0.95;
    ex.needs_review = review;
    return ex;
  };
  Evaluation ev;
  const std::map<std::string, std::string> truth = {{"total", "9.00"}, {"vendor_name", "Initech"}};
  ev.Add("right, straight through", doc("9.00", 0.95, false), truth);
  ev.Add("wrong, straight through", doc("8.00", 0.95, false), truth);
  ev.Add("wrong, reviewed", doc("7.00", 0.3, true), truth);
  ev.Add("right, reviewed", doc("9.00", 0.6, true), truth);

  const ReviewScore& r = ev.Review();
  CHECK(r.documents == 4);
  CHECK(r.wrong == 2);  // a wrong vendor name alone makes no wrong document: not a key field
  CHECK(r.reviewed == 2);
  CHECK(r.Precision() == Approx(0.5));
  CHECK(r.Recall() == Approx(0.5));
  CHECK(r.StraightThrough() == Approx(0.5));
  CHECK(r.StraightWrong() == Approx(0.5));
  // Confident: two totals and four vendor names; right: one total.
  CHECK(r.confident == 6);
  CHECK(r.ConfidentRight() == Approx(1.0 / 6));
}

TEST_CASE("form keys match whatever their punctuation") {
  Evaluation ev;
  ev.Add("form", With({{"Date", "9/3/92"}, {"Name / Phone Ext.", "M. Hamann"}}),
         {{"Date:", "9/ 3/ 92"}, {"Name / Phone Ext. :", "M. Hamann"}});
  CHECK(ev.Overall().tp == 2);
}

}  // namespace
}  // namespace quire::extract

namespace quire::extract {
namespace {

FormPair Found(std::string key, std::string value, Box key_box, Box value_box,
               double confidence = 0.9) {
  return {key, "", std::move(value), 0, key_box, value_box, confidence};
}

TEST_CASE("form pairs: key and value by text with OCR tolerance, each truth pair once") {
  const std::vector<PageText> pages = {testing::PageBuilder()
                                           .Line("Date: 9/3/92")
                                           .Line("cc:")
                                           .Line("A. H. Tisch", 90)
                                           .Line("R. H. Orcutt", 90)
                                           .Build()};
  const std::vector<TruthPair> truth = {{"Date:", "9/ 3/ 92"},
                                        {"cc:", "A. H. Tisch"},
                                        {"cc:", "R. H. Orcutt"},
                                        {"Supervisor:", "J. S. Wigand"}};
  const Box date{50, 10, 50, 20}, cc{50, 40, 30, 20};
  const std::vector<FormPair> found = {
      Found("DATE", "9/3/92", date, {110, 10, 60, 20}),          // right: case and colon aside
      Found("cc:", "A. H. Tlsch", cc, {90, 70, 110, 20}),        // right: one OCR error
      Found("cc:", "A. H. Tisch", cc, {90, 70, 110, 20}, 0.35),  // twice: the second is wrong
      Found("Supervisor:", "", {50, 130, 110, 20}, {}, 0.3),     // the truth has a value
      Found("Phone:", "", {50, 160, 60, 20}, {}, 0.3),           // not paired: not scored
  };
  PairEvaluation e;
  e.Add("form", pages, found, truth);
  CHECK(e.Overall().tp == 2);
  CHECK(e.Overall().fp == 2);
  CHECK(e.Overall().fn == 2);
  CHECK(e.unclaimed_empty() == 1);
  // "Date" is on its key's line; the cc: names are a key's several values, a table.
  CHECK(e.ByPosition().at(ValuePosition::kSameLine).tp == 1);
  CHECK(e.ByPosition().at(ValuePosition::kTable).tp == 1);
  CHECK(e.ByPosition().at(ValuePosition::kTable).fn == 1);
  // By confidence: the two right ones at 0.9, the two wrong ones in 0.3-0.4.
  REQUIRE(e.ByConfidence().size() == 2);
  CHECK(e.ByConfidence().at(9).tp == 2);
  CHECK(e.ByConfidence().at(9).fp == 0);
  CHECK(e.ByConfidence().at(3).tp == 0);
  CHECK(e.ByConfidence().at(3).fp == 2);
}

TEST_CASE("OCR tolerance: one error in five letters, short texts exactly") {
  CHECK(TextsMatchWithOcrErrors("Phyllis G. Jennings", "Phyllis G. Jonnings"));
  CHECK_FALSE(TextsMatchWithOcrErrors("Phyllis G. Jennings", "Phyllis"));
  CHECK(TextsMatchWithOcrErrors("TO:", "To"));
  CHECK_FALSE(TextsMatchWithOcrErrors("10", "1O"));
  CHECK(TextsMatchWithOcrErrors("", ""));
}

}  // namespace
}  // namespace quire::extract
