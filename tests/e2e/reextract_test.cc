// Extraction without OCR: `quire extract --pages` on the output of `quire ocr --json`, and
// `quire reextract` on archived documents, keeping what a person set.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::ProcessOutput;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::TempDir;

TEST_CASE("extract --pages gives the fields extract gives from the file, without OCR") {
  TempDir dir;
  // A text-layer PDF: read without OCR, so both runs see the same words.
  const std::string pdf = SampleDoc("invoice-en-03-text.pdf");
  const json pages = RunQuireJson({"ocr", "--json", pdf});
  const std::string pages_file = dir.Sub("pages.json");
  std::ofstream(pages_file) << pages.dump();

  const json from_file = RunQuireJson({"extract", "--json", pdf});
  const json from_pages = RunQuireJson({"extract", "--json", "--pages", pages_file});
  CHECK(from_pages["fields"]["total"]["value"] == "87110.90");
  CHECK(from_pages["fields"] == from_file["fields"]);
  CHECK(from_pages["needs_review"] == from_file["needs_review"]);

  std::ofstream(dir.Sub("bad.json")) << "{\"words\": []}";
  const ProcessOutput bad = RunQuire({"extract", "--pages", dir.Sub("bad.json")});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("quire ocr --json") != std::string::npos);
  CHECK(RunQuire({"extract"}).exit_code == 2);  // neither FILE nor --pages
}

TEST_CASE("reextract keeps what a person set and audits what it changes") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("invoice-en-03-text.pdf")});
  REQUIRE(RunQuire({"--archive", archive, "correct", "1", "total", "87000.00", "--by", "ann"})
              .exit_code == 0);

  const json result = RunQuireJson({"--archive", archive, "reextract", "--json"});
  REQUIRE(result["documents"].size() == 1);
  CHECK(result["documents"][0]["id"] == 1);
  const json doc = RunQuireJson({"--archive", archive, "show", "1", "--json"});
  CHECK(doc["fields"]["total"]["value"] == "87000.00");  // the person's value stays
  CHECK(doc["fields"]["total"]["set_by"] == "ann");
  CHECK(doc["fields"]["invoice_number"]["value"] ==
        RunQuireJson({"extract", "--json",
                      SampleDoc("invoice-en-03-text.pdf")})["fields"]["invoice_number"]["value"]);

  CHECK(RunQuire({"--archive", archive, "reextract", "9"}).exit_code == 4);
}

TEST_CASE("reextract with other rules changes the fields, audits and re-indexes them") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("invoice-en-03-text.pdf")});
  // A vendor template that reads the invoice number as the PO number: a rule that changed.
  const std::string templates = dir.Sub("templates");
  std::filesystem::create_directory(templates);
  std::ofstream(templates + "/cascade.json")
      << R"json({"name": "Cascade", "keywords": ["Cascade Network Solutions"],
                 "fields": {"po_number": {"pattern": "(CNS-\\d+)"}}})json";
  const json result =
      RunQuireJson({"--archive", archive, "reextract", "--json", "--template-dir", templates});
  REQUIRE(result["documents"][0]["changes"].size() == 1);
  CHECK(result["documents"][0]["changes"][0] ==
        json({{"field", "po_number"}, {"before", "4500021877"}, {"after", "CNS-240512"}}));
  const json doc = RunQuireJson({"--archive", archive, "show", "1", "--json"});
  CHECK(doc["fields"]["po_number"]["value"] == "CNS-240512");
  CHECK(doc["history"].back()["action"] == "reextracted");
  CHECK(doc["history"].back()["detail"] == "po_number: 4500021877 -> CNS-240512");
  const json found = RunQuireJson({"--archive", archive, "search", "--json", "po:CNS-240512"});
  REQUIRE(found["results"].size() == 1);
  CHECK(found["results"][0]["id"] == 1);
}

TEST_CASE("reextract reads the figures again from the original, as ingest did") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  // The photographed receipt's figures read otherwise alone than on the page: ingest sends it to
  // review, and its stored text alone would not.
  const json ingested =
      RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("receipt-01-photo.jpg")});
  REQUIRE(ingested["results"][0]["needs_review"] == true);

  const json result = RunQuireJson({"--archive", archive, "reextract", "--json"});
  REQUIRE(result["documents"].size() == 1);
  CHECK(result["documents"][0]["changes"].empty());
  CHECK(result["documents"][0]["needs_review"] == true);
  const json doc = RunQuireJson({"--archive", archive, "show", "1", "--json"});
  CHECK(doc["needs_review"] == true);
  CHECK(doc["history"].back()["action"] != "reextracted");
}

TEST_CASE("reextract --jobs extracts in parallel and stores and reports in the order asked") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const json ingested =
      RunQuireJson({"--archive", archive, "ingest", "--json", SampleDoc("receipt-01-photo.jpg"),
                    SampleDoc("invoice-en-03-text.pdf"), SampleDoc("receipt-01.png")});
  REQUIRE(ingested["results"].size() == 3);
  std::vector<std::string> asked;  // the ids in the order ingest reported them, and one unknown
  for (const json& r : ingested["results"]) asked.push_back(std::to_string(r["id"].get<int>()));
  std::reverse(asked.begin(), asked.end());
  asked.insert(asked.begin() + 1, "9");

  std::vector<std::string> args = {"--archive", archive, "--json", "reextract", "--jobs", "2"};
  args.insert(args.end(), asked.begin(), asked.end());
  const ProcessOutput run = RunQuire(args);
  CHECK(run.exit_code == 4);  // document 9 is unknown; the others are still done
  CHECK(run.err.find("9") != std::string::npos);
  const json result = json::parse(run.out);
  REQUIRE(result["documents"].size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const json& before = ingested["results"][2 - i];
    const json& after = result["documents"][i];
    CHECK(after["id"] == before["id"]);
    CHECK(after["needs_review"] == before["needs_review"]);
    CHECK(after["changes"].empty());
  }
}
