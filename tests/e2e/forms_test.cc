// End to end: the checkboxes of the sample forms, read from the page image by `quire extract`.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::TempDir;

namespace {

json TruthFields(const std::string& name) {
  std::ifstream in(SampleDoc(name + ".truth.json"));
  REQUIRE(in.good());
  return json::parse(in)["fields"];
}

TEST_CASE("the checkbox fields of the sample forms: the ticked option, or X and empty", "[slow]") {
  // Groups of options after a label, and boxes standing alone, ticked and not.
  const std::vector<std::pair<std::string, std::vector<std::string>>> forms = {
      {"form-01",
       {"Type of loss", "Police report filed", "Anyone injured",
        "I declare that the information given is true and complete.",
        "I authorize the release of repair estimates to Evergreen Mutual.",
        "Please contact me about a rental vehicle."}},
      {"form-02",
       {"Geschlecht", "Abteilung", "Beitragsart",
        "Ich habe die Satzung und die Datenschutzhinweise zur Kenntnis genommen.",
        "Ich möchte den Newsletter per E-Mail erhalten."}},
      {"form-03",
       {"Sex", "Marital status", "Preferred contact", "Relationship", "Asthma", "Diabetes",
        "High blood pressure", "Heart disease", "Allergies", "Thyroid disorder"}},
      {"form-04",
       {"Title", "Supplied by us", "Pay by Direct Debit",
        "I confirm the details above are correct.",
        "Send my final bill by email instead of post."}},
  };
  for (const auto& [form, checkboxes] : forms) {
    const json truth = TruthFields(form);
    const json fields = RunQuireJson({"extract", "--json", SampleDoc(form + ".png")})["fields"];
    for (const std::string& name : checkboxes) {
      CAPTURE(form, name);
      REQUIRE(fields.contains(name));
      CHECK(fields[name]["value"] == truth[name]);
    }
  }
}

TEST_CASE("quire extract --json gives a form's pairs: key as printed and normalised, value, boxes",
          "[slow]") {
  const json out = RunQuireJson({"extract", "--json", SampleDoc("form-01.png")});
  REQUIRE(out.contains("pairs"));
  bool policy = false;
  for (const json& pair : out["pairs"]) {
    CAPTURE(pair.dump());
    REQUIRE(pair["key_box"].size() == 4);
    CHECK(pair["confidence"].get<double>() >= 0);
    CHECK(pair["confidence"].get<double>() <= 1);
    if (pair["key_name"] == "policy number") {
      policy = true;
      CHECK(pair["key"] == "Policy number:");
      CHECK(pair["value"] == "EM-4471-20938");
      // The value is printed right of its key.
      CHECK(pair["value_box"][0].get<int>() > pair["key_box"][0].get<int>());
    }
  }
  CHECK(policy);

  // The archive keeps them: show --json gives the same pairs.
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc("form-01.png")}).exit_code == 0);
  CHECK(RunQuireJson({"--archive", archive, "show", "1", "--json"})["pairs"] == out["pairs"]);
}

}  // namespace
