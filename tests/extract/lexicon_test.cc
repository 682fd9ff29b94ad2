// OCR word corrections of vendor names and addresses: the lexicon compiled into quire, and how
// a lexicon corrects words OCR was unsure of.
#include "lexicon.h"

#include <catch2/catch.hpp>
#include <map>

#include "document.h"
#include "page_builder.h"

namespace quire::extract {
namespace {

const auto kUnsure = [](const std::string&) { return 0.5; };

// A page of one address line, read at `conf`, whose words have the `alternatives` given.
Document AddressPage(const std::string& line, float conf,
                     const std::map<std::string, std::vector<std::string>>& alternatives) {
  return Document(
      {testing::PageBuilder(400, 1000).Conf(conf).Line(line).Alternatives(alternatives).Build()});
}

// The address that is the line of `doc`, as CorrectVendorWords corrects it with `lexicon`.
std::string CorrectedAddress(const Lexicon& lexicon, const Document& doc) {
  Fields fields;
  fields["vendor_address"].value = doc.lines().front().text;
  fields["vendor_address"].box = doc.lines().front().box;
  CorrectVendorWords(lexicon, doc, fields);
  return fields["vendor_address"].value;
}

TEST_CASE("a word OCR was unsure of is corrected to the one common word near it") {
  const Result<Lexicon> lexicon = Lexicon::FromText(
      "# test\nword SELANGOR 51\nword TMN 5\nword JAYA 25\nknown JAVA\n"
      "postcode 53200 KUALA\npostcode 40150 SHAH\nword KUALA 28\nconfusion T L 6\nconfusion H M "
      "99\nconfusion S 3 11\n");
  REQUIRE(lexicon.ok());
  std::vector<std::string> notes;
  CHECK(lexicon->Correct("12, Thn Jaya, Setangor", kUnsure, &notes) == "12, Tmn Jaya, Selangor");
  CHECK(notes == std::vector<std::string>{"read 'Thn' as 'Tmn'", "read 'Setangor' as 'Selangor'"});
  // "JAVA" is a word seen printed, though one letter from "JAYA"; "TXN" is no cheap edit away.
  CHECK(lexicon->Correct("TXN JAVA", kUnsure, &notes) == "TXN JAVA");
  // A word OCR was sure of is corrected only by its most frequent substitution ("H" for "M"),
  // a word of a text layer not at all.
  const auto sure = [](const std::string&) { return 0.95; };
  CHECK(lexicon->Correct("Setangor", sure, &notes) == "Setangor");
  CHECK(lexicon->Correct("Thn", sure, &notes) == "Tmn");
  CHECK(lexicon->Correct(
            "Thn", [](const std::string&) { return 1.0; }, &notes) == "Thn");
  // A postcode that lost a digit, before its town.
  CHECK(lexicon->Correct("SETAPAK, 3200, KUALA LUMPUR", kUnsure, &notes) ==
        "SETAPAK, 53200, KUALA LUMPUR");
  // A floor's ordinal whose digit OCR read as a letter.
  CHECK(lexicon->Correct("SRD FLR, AEON MALL", kUnsure, &notes) == "3RD FLR, AEON MALL");
  CHECK(lexicon->Correct("SRD AEON", kUnsure, &notes) == "SRD AEON");
  // However sure OCR was: its digit read as a letter and its suffix garbled ("O" is often read
  // for "D" in this lexicon's confusions), or its suffix garbled after the digit.
  const Result<Lexicon> confusing =
      Lexicon::FromText("confusion O D 46\nconfusion S 3 11\nconfusion Z 2 5\n");
  REQUIRE(confusing.ok());
  const auto sure_of_all = [](const std::string&) { return 0.95; };
  CHECK(confusing->Correct("SRD FLR", sure_of_all, &notes) == "3RD FLR");
  CHECK(confusing->Correct("SRO FLR", sure_of_all, &notes) == "3RD FLR");
  CHECK(confusing->Correct("3RU FLR", sure_of_all, &notes) == "3RD FLR");
  CHECK(confusing->Correct("2NO FLOOR", sure_of_all, &notes) == "2ND FLOOR");
  CHECK(confusing->Correct("SRX FLR", sure_of_all, &notes) == "SRX FLR");
  // Read surely, "GND" and "GRD" are the ground floor: "G" is no digit OCR often misreads.
  CHECK(confusing->Correct("GND FLR", sure_of_all, &notes) == "GND FLR");
  CHECK(confusing->Correct("GRD FLOOR", sure_of_all, &notes) == "GRD FLOOR");
  CHECK(confusing->Correct("ZND FLOOR", sure_of_all, &notes) == "2ND FLOOR");
  CHECK(confusing->Correct("GRD FLOOR", kUnsure, &notes) == "3RD FLOOR");
  CHECK(confusing->Correct("3RD FLR", sure_of_all, &notes) == "3RD FLR");
  CHECK(confusing->Correct("4TH FLR", sure_of_all, &notes) == "4TH FLR");
  // A postcode of five digits the lexicon does not know is taken as printed when its town has
  // postcodes of its first two digits and it ends in 0, as most do; otherwise it is one OCR
  // misread, even surely, before or after its town.
  CHECK(lexicon->Correct("53100 KUALA", kUnsure, &notes) == "53100 KUALA");
  CHECK(lexicon->Correct("93200, KUALA", sure, &notes) == "53200, KUALA");
  CHECK(lexicon->Correct("SHAH ALAM, 40159", sure, &notes) == "SHAH ALAM, 40150");
  CHECK(lexicon->Correct("93200 SHAH", sure, &notes) == "93200 SHAH");
  // "$" glued to a word is an "S", a postcode's too before it is corrected.
  CHECK(lexicon->Correct("Lot $25, JALAN $$21", sure, &notes) == "Lot S25, JALAN SS21");
  CHECK(lexicon->Correct("$3200 KUALA", kUnsure, &notes) == "53200 KUALA");
  CHECK(lexicon->Correct("RM $ 5", sure, &notes) == "RM $ 5");
}

TEST_CASE("an accent OCR invented on a common word is dropped") {
  const Result<Lexicon> lexicon =
      Lexicon::FromText("word SELANGOR 51\nword CHERAS 9\nknown PELABUR\n");
  REQUIRE(lexicon.ok());
  const auto sure = [](const std::string&) { return 0.95; };
  std::vector<std::string> notes;
  CHECK(lexicon->Correct("Bandar Mahkota Chéras, Petaling Jaya élangor", sure, &notes) ==
        "Bandar Mahkota Cheras, Petaling Jaya Selangor");
  CHECK(lexicon->Correct("Jalan Pélabur 23/1", sure, &notes) == "Jalan Pelabur 23/1");
  CHECK(notes.size() == 3);
  // A word the lexicon does not hold keeps its accents; so does a text layer's.
  CHECK(lexicon->Correct("50667 Köln", sure, &notes) == "50667 Köln");
  CHECK(lexicon->Correct(
            "Chéras", [](const std::string&) { return 1.0; }, &notes) == "Chéras");

  // As OCR read it on a page: its confidence is that of the word's ASCII parts.
  for (const float conf : {80.0f, 100.0f}) {
    CHECK(CorrectedAddress(*lexicon, AddressPage("43200 Chéras, Selangor", conf, {})) ==
          (conf < 100 ? "43200 Cheras, Selangor" : "43200 Chéras, Selangor"));
  }
}

TEST_CASE("a word as near to two common words is left as read") {
  const Result<Lexicon> lexicon =
      Lexicon::FromText("word UTAMA 10\nword UTARA 3\nconfusion M N 9\nconfusion R N 9\n");
  REQUIRE(lexicon.ok());
  std::vector<std::string> notes;
  CHECK(lexicon->Correct("UTANA", kUnsure, &notes) == "UTANA");
  CHECK(notes.empty());
}

TEST_CASE("a word the rules cut from an OCR word has that word's confidence") {
  // OCR read "$1750" unsure of it; the address holds "1750" without the sign.
  const Document doc(
      {testing::PageBuilder(400, 1000).Conf(60).Line("JAYA $1750 PLENTONG").Build()});
  Fields fields;
  FieldValue& address = fields["vendor_address"];
  address.value = "JAYA 1750 PLENTONG";
  address.box = doc.lines().front().box;
  CorrectVendorWords(*Lexicon::FromText("postcode 81750 PLENTONG\n"), doc, fields);
  CHECK(fields["vendor_address"].value == "JAYA 81750 PLENTONG");
}

TEST_CASE("a word of a vendor's name is spelled as the document prints it more often") {
  const Result<Lexicon> lexicon = Lexicon::FromText("word STATIONERY 7\n");
  REQUIRE(lexicon.ok());
  std::vector<std::string> notes;
  const std::map<std::string, int> printed = {
      {"SANYO", 1}, {"SANYU", 2}, {"STATIONERY", 2}, {"STATIONARY", 3}, {"SHOP", 1}};
  CHECK(lexicon->SpellAsPrinted("Sanyo Stationery Shop", printed, kUnsure, &notes) ==
        "Sanyu Stationery Shop");
  CHECK(notes.size() == 1);
  // A common word stays, and so does a word of a text layer or one printed as often otherwise.
  const auto exact = [](const std::string&) { return 1.0; };
  CHECK(lexicon->SpellAsPrinted("SANYO", printed, exact, &notes) == "SANYO");
  CHECK(lexicon->SpellAsPrinted("SANYO", {{"SANYO", 2}, {"SANYU", 2}}, kUnsure, &notes) == "SANYO");
  CHECK(lexicon->SpellAsPrinted("SANYO", {{"SANYU", 1}}, kUnsure, &notes) == "SANYO");
}

TEST_CASE("a long word of an address OCR was sure of is checked, a name's is not") {
  const Document doc({testing::PageBuilder(400, 1000)
                          .Conf(92)
                          .Line("ACME STATIONERS")
                          .Line("JALAN KENARI 5, SETANGOR")
                          .Build()});
  Fields fields;
  fields["vendor_name"].value = "ACME STATIONERS";
  fields["vendor_name"].box = doc.lines()[0].box;
  fields["vendor_address"].value = "JALAN KENARI 5, SETANGOR";
  fields["vendor_address"].box = doc.lines()[1].box;
  CorrectVendorWords(Lexicon::Builtin(), doc, fields);
  CHECK(fields["vendor_address"].value == "JALAN KENARI 5, SELANGOR");
  CHECK(fields["vendor_name"].value == "ACME STATIONERS");
}

TEST_CASE("an address starts with its label when OCR garbled it before a number") {
  const Result<Lexicon> lexicon =
      Lexicon::FromText("confusion Q O 13\nconfusion U O 15\nconfusion I T 22\n");
  REQUIRE(lexicon.ok());
  const auto sure = [](const std::string&) { return 0.95; };
  std::vector<std::string> notes;
  CHECK(lexicon->CorrectAddressStart("NQ 37, JALAN MANIS 7", sure, &notes) ==
        "NO 37, JALAN MANIS 7");
  CHECK(lexicon->CorrectAddressStart("Nu.1, Taman Sri", sure, &notes) == "No.1, Taman Sri");
  CHECK(lexicon->CorrectAddressStart("LUI 1504, BATU 8", sure, &notes) == "LOT 1504, BATU 8");
  CHECK(notes.size() == 3);
  // Not before a number, two edits away, a text layer's word: as read.
  CHECK(lexicon->CorrectAddressStart("NQ JALAN 5", sure, &notes) == "NQ JALAN 5");
  CHECK(lexicon->CorrectAddressStart("UNIT 5, JALAN 5", sure, &notes) == "UNIT 5, JALAN 5");
  CHECK(lexicon->CorrectAddressStart("HQ: 7, JLN SS21/34", sure, &notes) == "HQ: 7, JLN SS21/34");
  CHECK(lexicon->CorrectAddressStart(
            "NQ 37", [](const std::string&) { return 1.0; }, &notes) == "NQ 37");
  CHECK(notes.size() == 3);
}

TEST_CASE("a word no common word spells is read as OCR's first alternative that is one") {
  const Result<Lexicon> lexicon =
      Lexicon::FromText("word BAHRU 11\nword JAYA 25\nknown JAVA\nword SS 3\n");
  REQUIRE(lexicon.ok());
  const std::map<std::string, std::vector<std::string>> alternatives = {
      {"BAHRII,", {"BAHRLI,", "BAHRU,", "BAHRU."}},  // the first one known is taken
      {"JAYA", {"JAVA"}},                            // a known word stays
      {"SS4/4", {"SS/4"}},                           // an alternative of other words says nothing
      {"KANCIL", {"KANCIE"}}};                       // nor one the lexicon does not know
  const std::string line = "JAYA BAHRII, SS4/4 KANCIL";
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 95, alternatives)) ==
        "JAYA BAHRU, SS4/4 KANCIL");
  // A text layer's words are as printed.
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 100, alternatives)) == line);
}

TEST_CASE("a postcode no town has is read as OCR's other reading that its town has") {
  const Result<Lexicon> lexicon = Lexicon::FromText(
      "word SETIA 9\nword ALAM 9\npostcode 40170 SETIA\npostcode 40160 SETIA\n"
      "postcode 40100 SHAH\n");
  REQUIRE(lexicon.ok());
  // "40120" ends in 0 in its town's region: without another reading, it stands.
  const std::string line = "JALAN 1, 40120 SETIA ALAM";
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 95, {})) == line);
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 95, {{"40120", {"40140", "40170"}}})) ==
        "JALAN 1, 40170 SETIA ALAM");
  // Another town's postcode is no reading of this one; a postcode the town has stays.
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 95, {{"40120", {"40100"}}})) == line);
  const std::string known = "JALAN 1, 40170 SETIA ALAM";
  CHECK(CorrectedAddress(*lexicon, AddressPage(known, 95, {{"40170", {"40160"}}})) == known);
}

TEST_CASE("a word with a mark no address prints is read as OCR's first reading without one") {
  const Result<Lexicon> lexicon = Lexicon::FromText("word JALAN 9\n");
  REQUIRE(lexicon.ok());
  const std::string line = "LOT 1€51-A, JALAN SS2 «L";
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 95, {{"1€51-A,", {"1€61-A,", "1851-A,"}}})) ==
        "LOT 1851-A, JALAN SS2 «L");
  // Without a reading free of marks, the word stays as read.
  CHECK(CorrectedAddress(*lexicon, AddressPage(line, 95, {{"«L", {"«I"}}})) == line);
}

TEST_CASE("a lexicon file that is not one is refused with what to do") {
  const Result<Lexicon> bad = Lexicon::FromText("word JALAN 3\nconfusion AB C 4\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("line 2") != std::string::npos);
  CHECK(bad.status().message().find("train-lexicon") != std::string::npos);
}

TEST_CASE("the built-in lexicon corrects the common words of Malaysian addresses") {
  std::vector<std::string> notes;
  CHECK(Lexicon::Builtin().Correct("KAWASAN PERINOUSTRIAN BALAKONG, SETANGOR", kUnsure, &notes) ==
        "KAWASAN PERINDUSTRIAN BALAKONG, SELANGOR");
  CHECK(notes.size() == 2);
}

}  // namespace
}  // namespace quire::extract
