#include "quire/common/json.h"

#include <catch2/catch.hpp>

using namespace quire;

TEST_CASE("a page survives the round trip through JSON") {
  PageText page;
  page.width = 2480;
  page.height = 3508;
  page.rotation = 90;
  page.skew = -1.5;
  page.text = "Invoice 4711";
  page.words = {{"Invoice", {10, 20, 100, 30}, 96.5f, 0, 0},
                {"4711", {120, 20, 60, 30}, 91, 0, 0, {"47l1", "4T11"}}};
  page.barcodes = {"ASN00042", "QUIRE-SEP"};
  const Result<PageText> back = PageTextFromJson(ToJson(page));
  REQUIRE(back.ok());
  CHECK(back->text == page.text);
  CHECK(back->rotation == 90);
  CHECK(back->skew == -1.5);
  REQUIRE(back->words.size() == 2);
  CHECK(back->words[1].box == Box{120, 20, 60, 30});
  CHECK(back->words[1].alternatives == page.words[1].alternatives);
  CHECK_FALSE(ToJson(page.words[0]).contains("alternatives"));  // a word OCR was sure of
  CHECK(back->barcodes == page.barcodes);
  CHECK_FALSE(ToJson(PageText()).contains("barcodes"));  // older pages read as none
}

TEST_CASE("fields survive the round trip through JSON and bad shapes are reported") {
  Extraction ex;
  ex.type = DocumentType::kInvoice;
  ex.needs_review = true;
  ex.review_reasons = {"total: subtotal + tax != total"};
  ex.fields["total"] = FieldValue{"112.00", "112,00", 0, {1, 2, 3, 4}, 0.8, false, {"sum"}};
  const Result<Extraction> back = ExtractionFromJson(ToJson(ex));
  REQUIRE(back.ok());
  CHECK(back->type == DocumentType::kInvoice);
  CHECK(back->fields.at("total").value == "112.00");
  CHECK_FALSE(back->fields.at("total").valid);
  CHECK_FALSE(ExtractionFromJson(nlohmann::json{{"type", 3}}).ok());
}

namespace quire {
namespace {

TEST_CASE("a form's pairs round-trip through JSON, and a document without pairs writes none") {
  Extraction ex;
  ex.type = DocumentType::kForm;
  ex.pairs = {{"DATE:", "date", "9/3/92", 0, {10, 20, 50, 12}, {70, 20, 60, 12}, 0.8},
              {"COMMENTS:", "comments", "", 0, {10, 60, 90, 12}, {}, 0.5}};
  const nlohmann::json j = ToJson(ex);
  CHECK(j["pairs"][0]["key_name"] == "date");
  CHECK(j["pairs"][0]["value_box"] == nlohmann::json::array({70, 20, 60, 12}));
  const Result<Extraction> back = ExtractionFromJson(j);
  REQUIRE(back.ok());
  REQUIRE(back->pairs.size() == 2);
  CHECK(back->pairs[0].key == "DATE:");
  CHECK(back->pairs[0].value == "9/3/92");
  CHECK(back->pairs[0].key_box == Box{10, 20, 50, 12});
  CHECK(back->pairs[0].confidence == 0.8);
  CHECK(back->pairs[1].value.empty());
  CHECK_FALSE(ToJson(Extraction{}).contains("pairs"));
}

}  // namespace
}  // namespace quire
