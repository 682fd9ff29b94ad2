#include "forms.h"

#include <catch2/catch.hpp>

#include "form_pairs.h"
#include "page_builder.h"
#include "quire/extract/extract.h"

namespace quire::extract {
namespace {

using testing::PageBuilder;

Fields FormFields(const PageText& page) {
  const std::vector<PageText> pages = {page};
  return ExtractFormFields(Document(pages), DateOrder::kMDY);
}

std::string Value(const Fields& fields, const std::string& name) {
  const auto it = fields.find(name);
  return it == fields.end() ? "<missing>" : it->second.value;
}

TEST_CASE("form values to the right of their label, on its line or in the next column") {
  const Fields f = FormFields(PageBuilder()
                                  .Line("Name: Jane Doe")
                                  .Row({{"Date:", 50}, {"9/3/92", 300}})
                                  .Line("R&D Group: Licensee   To: J. S. Wigand")
                                  .Build());
  CHECK(Value(f, "Name") == "Jane Doe");
  CHECK(Value(f, "Date") == "1992-09-03");  // dates are normalised, here read MDY
  CHECK(Value(f, "R&D Group") == "Licensee");
  CHECK(Value(f, "To") == "J. S. Wigand");
}

TEST_CASE("a value written on a fill-in rule is read without the rule's underscores") {
  const Fields f = FormFields(PageBuilder()
                                  .Line("Estimated Responders: ___300___")
                                  .Line("Date: _6/21/90")
                                  .Line("Claim number: ______")
                                  .Build());
  CHECK(Value(f, "Estimated Responders") == "300");
  CHECK(Value(f, "Date") == "1990-06-21");
  CHECK(Value(f, "Claim number") == "");
}

TEST_CASE("a value under its label wraps onto the lines under it, up to the next field") {
  const Fields f =
      FormFields(PageBuilder()
                     .Line("Description of damage:")
                     .Line("Rear bumper and tailgate dented after being hit from behind", 60)
                     .Line("while stopped at a red light. Tail light (left) broken.", 60)
                     .Skip()
                     .Line("Police report filed: [X] Yes [ ] No")
                     .Build());
  CHECK(Value(f, "Description of damage") ==
        "Rear bumper and tailgate dented after being hit from behind while stopped at a red "
        "light. Tail light (left) broken.");
  CHECK(Value(f, "Police report filed") == "Yes");
}

TEST_CASE("form values under their label") {
  const Fields f = FormFields(PageBuilder()
                                  .Row({{"Supervisor / Manager :", 50}, {"Phone:", 400}})
                                  .Row({{"J. S. Wigand", 50}, {"555-1234", 400}})
                                  .Build());
  CHECK(Value(f, "Supervisor / Manager") == "J. S. Wigand");
  CHECK(Value(f, "Phone") == "555-1234");
}

TEST_CASE("checkboxes: a label's checked options, or each box on its own") {
  const Fields f = FormFields(PageBuilder()
                                  .Line("Married: ☐ yes ☒ no")
                                  .Line("☑ I accept the terms")
                                  .Line("☐ Send me news")
                                  .Build());
  CHECK(Value(f, "Married") == "no");
  CHECK(Value(f, "I accept the terms") == "X");
  CHECK(Value(f, "Send me news").empty());
}

TEST_CASE("a form field carries its box and confidence") {
  const Fields f = FormFields(PageBuilder().Line("Name: Jane Doe").Build());
  const FieldValue& name = f.at("Name");
  CHECK(name.source_text == "Jane Doe");
  CHECK(name.box == Box{110, 40, 80, 20});
  CHECK(name.confidence > ExtractOptions{}.review_threshold);
  CHECK(name.confidence <= 1.0);
  // The same line read by OCR with less confidence gives a less certain value.
  const Fields faint = FormFields(PageBuilder().Conf(40).Line("Name: Jane Doe").Build());
  REQUIRE(faint.count("Name") == 1);
  CHECK(faint.at("Name").value == "Jane Doe");
  CHECK(faint.at("Name").confidence < name.confidence);
}

}  // namespace
}  // namespace quire::extract

namespace quire::extract {
namespace {

TEST_CASE("checkboxes as OCR reads printed boxes") {
  const Fields f = FormFields(testing::PageBuilder()
                                  .Line("Type of loss: [X Collision (J Theft LJ Fire")
                                  .Line("Sex: (_] Male K] Female")
                                  .Line("[—X] I declare that the information is true.")
                                  .Line("[] Send me news")
                                  .Build());
  CHECK(Value(f, "Type of loss") == "Collision");
  CHECK(Value(f, "Sex") == "Female");
  CHECK(Value(f, "I declare that the information is true.") == "X");
  CHECK(Value(f, "Send me news").empty());
}

TEST_CASE("a checkbox group set far apart is one field, and a bar after a box is the letter I") {
  const Fields f = FormFields(testing::PageBuilder()
                                  .Line("Title: ☐ Mr      ☐ Mrs      ☒ Ms      Phone: 555-0148")
                                  .Line("☒ | declare that the information is true.")
                                  .Build());
  CHECK(Value(f, "Title") == "Ms");
  CHECK(Value(f, "Phone") == "555-0148");
  CHECK(f.count("Ms") == 0);
  CHECK(Value(f, "I declare that the information is true.") == "X");
}

TEST_CASE("a label with nothing filled in is a field with an empty value") {
  const Fields f = FormFields(testing::PageBuilder().Line("Claim number:").Build());
  REQUIRE(f.count("Claim number"));
  CHECK(f.at("Claim number").value.empty());
}

}  // namespace
}  // namespace quire::extract

namespace quire::extract {
namespace {

const FormPair* PairOf(const std::vector<FormPair>& pairs, std::string_view key) {
  for (const FormPair& p : pairs) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

TEST_CASE("the built-in form model reads and links a form's printed keys to their values") {
  const FormLinker& linker = FormLinker::Builtin();
  REQUIRE(linker.trained());
  const std::vector<PageText> pages = {testing::PageBuilder()
                                           .Line("FAX COVER SHEET", 300)
                                           .Skip()
                                           .Row({{"DATE:", 50}, {"March 3, 1992", 200}})
                                           .Row({{"TO:", 50}, {"J. S. Wigand", 200}})
                                           .Row({{"FROM:", 50}, {"R. H. Orcutt", 200}})
                                           .Row({{"NUMBER OF PAGES:", 50}, {"3", 250}})
                                           .Skip()
                                           .Line("COMMENTS:")
                                           .Build()};
  const Document doc(pages);
  const std::vector<FormPair> pairs = LinkFormPairs(doc, linker.Scorers());
  const FormPair* date = PairOf(pairs, "DATE:");
  REQUIRE(date != nullptr);
  CHECK(date->value == "March 3, 1992");
  CHECK(date->key_name == "date");
  // Boxes: the key's and the value's words, on one row.
  CHECK(date->key_box.x == 50);
  CHECK(date->value_box.x == 200);
  CHECK(date->value_box.y == date->key_box.y);
  CHECK(date->value_box.w == 130);
  CHECK(date->confidence > 0);
  const FormPair* to = PairOf(pairs, "TO:");
  REQUIRE(to != nullptr);
  CHECK(to->value == "J. S. Wigand");
  // A printed key with nothing filled in is reported, empty, with the little that such a report
  // is worth (a tenth of them were right on funsd-dev).
  const FormPair* comments = PairOf(pairs, "COMMENTS:");
  REQUIRE(comments != nullptr);
  CHECK(comments->value.empty());
  CHECK(comments->confidence == Approx(0.1));
}

TEST_CASE("a key is reported empty only where nothing is printed beside or under it") {
  const std::vector<PageText> pages = {testing::PageBuilder()
                                           .Row({{"NAME:", 50}, {"J. S. Wigand", 200}})
                                           .Skip()
                                           .Line("PHONE:")
                                           .Line("919 741 5000")
                                           .Skip()
                                           .Line("COMMENTS:")
                                           .Build()};
  const Document doc(pages);
  // Scorers that link nothing: a key with text where its value would be has a value the model
  // missed, so it is not said to be empty.
  const auto none = [](const std::vector<float>&) { return 0.0; };
  const std::vector<FormPair> pairs = LinkFormPairs(doc, {none, none, 0.5});
  CHECK(PairOf(pairs, "NAME:") == nullptr);
  CHECK(PairOf(pairs, "PHONE:") == nullptr);
  const FormPair* comments = PairOf(pairs, "COMMENTS:");
  REQUIRE(comments != nullptr);
  CHECK(comments->value.empty());
}

TEST_CASE("a form model that is not one is refused with what to do") {
  const Result<FormLinker> broken = FormLinker::FromText("%YAML:1.0\n---\nlink: 3\n");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().message().find("scripts/train-forms.sh") != std::string::npos);
}

}  // namespace
}  // namespace quire::extract
