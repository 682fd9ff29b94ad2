// `quire export --all` and `quire import`: an archive moved into a folder and back, as a user
// moving it to a new machine would, compared document by document with `quire show --json`.
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

namespace {

std::vector<uint64_t> Ids(const std::string& archive) {
  std::vector<uint64_t> ids;
  const json list = RunQuireJson({"--archive", archive, "list", "--json"});
  for (const json& d : list["documents"]) {
    ids.push_back(d["id"].get<uint64_t>());
  }
  return ids;
}

json Show(const std::string& archive, uint64_t id) {
  return RunQuireJson({"--archive", archive, "show", std::to_string(id), "--json"});
}

void Run(const std::vector<std::string>& args) {
  const ProcessOutput run = RunQuire(args);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
}

// Three documents read without OCR (PDFs with a text layer) and a scan; the first corrected, the
// second deleted, the third tagged.
std::string MakeArchive(const TempDir& dir) {
  const std::string archive = dir.Sub("archive");
  // One at a time: ingest gives ids in the order documents finish.
  for (const char* name :
       {"invoice-de-01-text.pdf", "invoice-en-03-text.pdf", "form-01-scan.pdf", "receipt-01.png"}) {
    Run({"--archive", archive, "ingest", SampleDoc(name)});
  }
  Run({"--archive", archive, "correct", "1", "total", "1.00", "--by", "ann"});
  Run({"--archive", archive, "delete", "2"});
  Run({"--archive", archive, "tag", "3", "--add", "urgent", "--add", "acme"});
  Run({"--archive", archive, "tag", "3", "--remove", "acme"});
  return archive;
}

}  // namespace

TEST_CASE("an archive exported and imported into an empty one shows every document the same") {
  TempDir dir;
  const std::string archive = MakeArchive(dir);
  const std::string out = dir.Sub("export");
  const ProcessOutput exported = RunQuire({"--archive", archive, "export", "--all", out, "--pdf"});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out == "exported 3 documents to " + out + " and the history of 1 deleted\n");

  std::ifstream in(out + "/manifest.json");
  const json manifest = json::parse(in);
  CHECK(manifest["format"] == "quire-archive-export");
  CHECK(manifest["version"] == 2);
  REQUIRE(manifest["documents"].size() == 3);
  // The deleted document's history: ingested, then deleted.
  REQUIRE(manifest["deleted"].size() == 1);
  CHECK(manifest["deleted"][0]["id"] == 2);
  REQUIRE(manifest["deleted"][0]["history"].size() == 2);
  CHECK(manifest["deleted"][0]["history"][0]["action"] == "ingested");
  CHECK(manifest["deleted"][0]["history"][1]["action"] == "deleted");
  for (const json& d : manifest["documents"]) {
    CHECK(std::filesystem::exists(out + "/" + d["original"].get<std::string>()));
    CHECK(std::filesystem::exists(out + "/" + d["pages_file"].get<std::string>()));
    CHECK(std::filesystem::exists(out + "/" + d["pdf"].get<std::string>()));
  }

  const std::string moved = dir.Sub("moved");
  const json imported = RunQuireJson({"--archive", moved, "import", out, "--json"});
  REQUIRE(imported["results"].size() == 3);
  REQUIRE(imported["deleted"].size() == 1);
  CHECK(imported["deleted"][0]["status"] == "kept");
  CHECK(imported["deleted"][0]["id"] == 2);
  // Ids, and so their order, are kept; the deleted document's id stays unused.
  REQUIRE(Ids(moved) == Ids(archive));
  REQUIRE(Ids(moved) == std::vector<uint64_t>{4, 3, 1});
  for (uint64_t id : Ids(archive)) {
    INFO("document " << id);
    CHECK(Show(moved, id) == Show(archive, id));
  }
  CHECK(RunQuire({"--archive", moved, "show", "2"}).exit_code == 4);
  CHECK(Show(moved, 1)["fields"]["total"]["value"] == "1.00");
  CHECK(Show(moved, 1)["history"].back()["action"] == "corrected");
  // The index is built as the documents come in: filters and words find them.
  const json found = RunQuireJson({"--archive", moved, "search", "--json", "tag:urgent"});
  REQUIRE(found["results"].size() == 1);
  CHECK(found["results"][0]["id"] == 3);
  CHECK(RunQuireJson({"--archive", moved, "search", "--json", "total:1.00"})["results"].size() ==
        1);

  const ProcessOutput verify = RunQuire({"--archive", moved, "verify"});
  INFO(verify.out);
  CHECK(verify.exit_code == 0);

  // Exported again, the moved archive gives the same deleted document's history.
  const std::string out_again = dir.Sub("export-again");
  Run({"--archive", moved, "export", "--all", out_again});
  std::ifstream in_again(out_again + "/manifest.json");
  CHECK(json::parse(in_again)["deleted"] == manifest["deleted"]);

  // Importing again stores nothing twice.
  const json again = RunQuireJson({"--archive", moved, "import", out, "--json"});
  for (const json& r : again["results"]) CHECK(r["status"] == "duplicate");
  REQUIRE(again["deleted"].size() == 1);
  CHECK(again["deleted"][0]["status"] == "duplicate");
  CHECK(Ids(moved).size() == 3);
}

TEST_CASE("import into an archive in use appends after its documents and skips what it has") {
  TempDir dir;
  const std::string archive = MakeArchive(dir);
  const std::string out = dir.Sub("export");
  Run({"--archive", archive, "export", "--all", out});

  // An archive that has two documents, one of them the export's receipt.
  const std::string other = dir.Sub("other");
  Run({"--archive", other, "ingest", SampleDoc("receipt-01.png")});
  Run({"--archive", other, "ingest", SampleDoc("invoice-en-01.png")});
  const json imported = RunQuireJson({"--archive", other, "import", out, "--json"});
  REQUIRE(imported["results"].size() == 3);
  CHECK(imported["results"][0]["status"] == "imported");
  CHECK(imported["results"][0]["from"] == 1);
  CHECK(imported["results"][0]["id"] == 3);
  // The deleted document's history takes the next id, so the order is kept.
  REQUIRE(imported["deleted"].size() == 1);
  CHECK(imported["deleted"][0]["from"] == 2);
  CHECK(imported["deleted"][0]["id"] == 4);
  CHECK(imported["results"][1]["id"] == 5);
  CHECK(imported["results"][2]["status"] == "duplicate");
  CHECK(imported["results"][2]["duplicate_of"] == 1);
  CHECK(Ids(other) == std::vector<uint64_t>{5, 3, 2, 1});
  // Everything but the id comes as it was.
  json moved = Show(other, 5), original = Show(archive, 3);
  CHECK(moved["id"] == 5);
  moved.erase("id");
  original.erase("id");
  CHECK(moved == original);
  CHECK(RunQuire({"--archive", other, "verify"}).exit_code == 0);
}

TEST_CASE("export --all and import refuse what they cannot do, saying why") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  Run({"--archive", archive, "ingest", SampleDoc("invoice-de-01-text.pdf")});
  Run({"--archive", archive, "ingest", SampleDoc("invoice-en-03-text.pdf")});

  // Nothing was ingested after tomorrow; a date that is not one is a usage error.
  const std::string later = dir.Sub("later");
  Run({"--archive", archive, "export", "--all", later, "--since", "2999-01-01"});
  CHECK(
      RunQuireJson({"--archive", dir.Sub("empty"), "import", later, "--json"})["results"].empty());
  const ProcessOutput bad_date =
      RunQuire({"--archive", archive, "export", "--all", dir.Sub("x"), "--since", "March"});
  CHECK(bad_date.exit_code == 2);
  CHECK_THAT(bad_date.err, Catch::Contains("YYYY-MM-DD"));
  // An export never writes over another folder's files.
  const ProcessOutput not_empty = RunQuire({"--archive", archive, "export", "--all", later});
  CHECK(not_empty.exit_code == 2);
  CHECK_THAT(not_empty.err, Catch::Contains("not empty"));

  CHECK(RunQuire({"--archive", dir.Sub("b"), "import", dir.Sub("nowhere")}).exit_code == 4);

  // A damaged original is reported and left out; the other documents come in.
  const std::string out = dir.Sub("export");
  Run({"--archive", archive, "export", "--all", out});
  std::ofstream(out + "/originals/1.pdf", std::ios::app) << "damage";
  const std::string target = dir.Sub("target");
  const ProcessOutput damaged = RunQuire({"--archive", target, "import", out});
  CHECK(damaged.exit_code == 1);
  CHECK_THAT(damaged.out,
             Catch::Contains("failed     1: its original's SHA-256 is not the manifest's"));
  CHECK(Ids(target) == std::vector<uint64_t>{2});

  // A manifest from a newer quire is refused before anything is read.
  std::ofstream(out + "/manifest.json")
      << R"({"format": "quire-archive-export", "version": 99, "documents": []})";
  const ProcessOutput newer = RunQuire({"--archive", dir.Sub("c"), "import", out});
  CHECK(newer.exit_code == 2);
  CHECK_THAT(newer.err, Catch::Contains("newer quire"));
}
