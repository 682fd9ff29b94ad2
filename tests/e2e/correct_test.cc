// `quire correct` through the program: checked values, refusals that store nothing, accepting a
// field, and the review and the search that follow a correction.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::ProcessOutput;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::TempDir;

namespace {

std::vector<uint64_t> SearchIds(const std::string& archive, const std::string& query) {
  std::vector<uint64_t> ids;
  const json found = RunQuireJson({"--archive", archive, "search", "--json", query});
  for (const json& r : found["results"]) {
    ids.push_back(r["id"].get<uint64_t>());
  }
  return ids;
}

json Fields(const std::string& archive) {
  return RunQuireJson({"--archive", archive, "show", "1", "--json"})["fields"];
}

}  // namespace

TEST_CASE("quire correct stores a checked, normalised value and refuses a wrong one") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  // A text-layer PDF: read without OCR. Its total is 87110.90 USD.
  const json ingested =
      RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("invoice-en-03-text.pdf")});
  REQUIRE(ingested["results"][0]["id"] == 1);
  REQUIRE(Fields(archive)["total"]["value"] == "87110.90");

  const ProcessOutput total =
      RunQuire({"--archive", archive, "correct", "1", "total", "$1,658.31", "--by", "ann"});
  INFO(total.err);
  REQUIRE(total.exit_code == 0);
  CHECK_THAT(total.out, Catch::StartsWith("document 1: total: 87110.90 -> 1658.31; "));
  const json fields = Fields(archive);
  CHECK(fields["total"]["value"] == "1658.31");
  CHECK(fields["total"]["set_by"] == "ann");
  CHECK(SearchIds(archive, "total:>1000") == std::vector<uint64_t>{1});
  CHECK(SearchIds(archive, "total:1658.31") == std::vector<uint64_t>{1});
  CHECK(SearchIds(archive, "total:>80000").empty());

  const json history = RunQuireJson({"--archive", archive, "show", "1", "--json"})["history"];
  REQUIRE(history.size() >= 2);
  CHECK(history.back()["action"] == "corrected");
  CHECK(history.back()["by"] == "ann");
  CHECK(history.back()["detail"] == "total: 87110.90 -> 1658.31");

  struct Refusal {
    std::vector<std::string> args;
    std::string reason;
  };
  const std::vector<Refusal> refusals = {
      {{"invoice_date", "2024-02-30"}, "date 2024-02-30 does not exist"},
      {{"iban", "DE00123"}, "IBAN has 7 characters; DE has 22"},
      {{"colour", "red"}, "there is no field 'colour'"},
      {{"total", "about a thousand"}, "not one amount"},
      {{"total", "1.658,31 €"}, "the document's currency is USD"},
  };
  for (const Refusal& r : refusals) {
    std::vector<std::string> args = {"--archive", archive, "correct", "1"};
    args.insert(args.end(), r.args.begin(), r.args.end());
    args.insert(args.end(), {"--by", "ann"});
    const ProcessOutput refused = RunQuire(args);
    INFO(r.args[0] << " " << r.args[1]);
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains(r.reason));
    CHECK(refused.out.empty());
  }
  CHECK(Fields(archive) == fields);  // nothing stored
  CHECK(RunQuireJson({"--archive", archive, "show", "1", "--json"})["history"].size() ==
        history.size());

  // The value the field has: an acceptance, not a change from X to X.
  const ProcessOutput same =
      RunQuire({"--archive", archive, "correct", "1", "total", "1658.31", "--by", "bob"});
  CHECK_THAT(same.out, Catch::StartsWith("document 1: total: 1658.31 accepted"));
  const json last = RunQuireJson({"--archive", archive, "show", "1", "--json"})["history"].back();
  CHECK(last["action"] == "accepted");
  CHECK(last["by"] == "bob");

  const ProcessOutput missing =
      RunQuire({"--archive", archive, "correct", "7", "total", "1.00", "--by", "ann"});
  CHECK(missing.exit_code == 4);
}

TEST_CASE("quire correct --accept closes the review once every flagged field is settled") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("invoice-en-03-text.pdf")});
  // The total made to disagree with subtotal + tax, which flags them, and says so.
  const ProcessOutput total =
      RunQuire({"--archive", archive, "correct", "1", "total", "87000.00", "--by", "ann"});
  REQUIRE(total.exit_code == 0);
  CHECK_THAT(total.out, Catch::Contains("\n  ! subtotal: subtotal 79119.80 + tax 7991.10 = "
                                        "87110.90, but total is 87000.00\n"));
  const ProcessOutput tax =
      RunQuire({"--archive", archive, "correct", "1", "tax_amount", "--accept", "--by", "bob"});
  REQUIRE(tax.exit_code == 0);
  CHECK_THAT(tax.out, Catch::StartsWith("document 1: tax_amount: 7991.10 accepted by bob; "));
  CHECK(Fields(archive)["tax_amount"]["set_by"] == "bob");
  CHECK(Fields(archive)["tax_amount"]["value"] == "7991.10");

  // Each field the review names, accepted in turn, until the review is done.
  const json review = RunQuireJson({"--archive", archive, "review", "--json"});
  for (const json& doc : review["documents"]) {
    for (const json& reason : doc["review_reasons"]) {
      const std::string text = reason.get<std::string>();
      const std::string field = text.substr(0, text.find(' '));
      INFO(text);
      const json accepted = RunQuireJson(
          {"--archive", archive, "correct", "1", field, "--accept", "--by", "bob", "--json"});
      CHECK(accepted["accepted"] == json::array({field}));
      CHECK(Fields(archive)[field]["set_by"] == "bob");
    }
  }
  CHECK(RunQuireJson({"--archive", archive, "review", "--json"})["documents"].empty());
  const ProcessOutput done =
      RunQuire({"--archive", archive, "correct", "1", "vendor_name", "--accept", "--by", "bob"});
  // The subtotal, which the document does not require, is still shown as not adding up.
  CHECK_THAT(done.out, Catch::Contains("; review done\n  ! subtotal: "));

  const ProcessOutput neither =
      RunQuire({"--archive", archive, "correct", "1", "total", "--by", "bob"});
  CHECK(neither.exit_code == 2);
  CHECK_THAT(neither.err, Catch::Contains("--accept"));
  const ProcessOutput both =
      RunQuire({"--archive", archive, "correct", "1", "total", "1.00", "--accept", "--by", "bob"});
  CHECK(both.exit_code == 2);
}
