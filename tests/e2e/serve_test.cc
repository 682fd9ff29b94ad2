// `quire serve` over real HTTP on loopback, with a real archive: the API's routes and roles,
// uploads (good, bad, and through a SIGKILL), corrections, and the command line beside it.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <thread>

#include "quire_process.h"
#include "temp_dir.h"

using nlohmann::json;
using quire::testing::ReadAll;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::SampleDoc;
using quire::testing::StartQuire;
using quire::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Documents with a text layer: read in a blink, so the tests wait on the server, not on OCR.
const char* const kQuickDocs[] = {"invoice-en-03-text.pdf", "letter-01-text.pdf",
                                  "invoice-de-01-text.pdf"};

void AddUser(const std::string& archive, const std::string& name, const std::string& role) {
  const auto added =
      RunQuire({"--archive", archive, "user", "add", name, "--role", role, "--password-stdin"},
               name + "-password\n");
  REQUIRE(added.exit_code == 0);
}

// A `quire serve` on a free loopback port, stopped with SIGTERM (and checked to exit 0) at the end.
class Server {
 public:
  explicit Server(const std::string& archive, std::vector<std::string> extra = {})
      : archive_(archive) {
    std::vector<std::string> args = {"--archive", archive, "serve", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    log_ = archive + ".serve.log";
    pid_ = StartQuire(args, {.err_file = log_});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const json link = json::parse(ReadAll(archive + "/serve.json"), nullptr, false);
      // Not the link a killed server left behind.
      if (link.is_object() && link["pid"] == pid_) {
        url_ = link["url"];
        local_token_ = link["token"];
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("quire serve did not start: " << ReadAll(log_));
  }

  ~Server() {
    if (pid_ > 0) Stop();
  }

  // SIGTERM; returns the exit code.
  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void Kill() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  httplib::Client Client() const {
    httplib::Client client(url_);
    client.enable_server_certificate_verification(false);
    client.set_read_timeout(60);
    return client;
  }

  std::string Login(const std::string& user) const {
    auto res =
        Client().Post("/api/login", json{{"user", user}, {"password", user + "-password"}}.dump(),
                      "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body)["token"];
  }

  const std::string& log() const { return log_; }
  const std::string& url() const { return url_; }

 private:
  std::string archive_;
  std::string url_;
  std::string local_token_;
  std::string log_;
  pid_t pid_ = -1;
};

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

json JsonOf(const httplib::Result& res) {
  REQUIRE(res);
  return json::parse(res->body);
}

// Uploads one file; returns its job id.
uint64_t Upload(const Server& server, const std::string& token, const std::string& name,
                const std::string& bytes) {
  auto res = server.Client().Post("/api/documents", Bearer(token),
                                  {{"file", bytes, name, "application/octet-stream"}});
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 202);
  return json::parse(res->body)["jobs"][0];
}

// Follows a job until it is finished; returns its last state.
json WaitForJob(const Server& server, const std::string& token, uint64_t job) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    const json state =
        JsonOf(server.Client().Get("/api/jobs/" + std::to_string(job), Bearer(token)));
    const std::string s = state["state"];
    if (s != "queued" && s != "reading") return state;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("job " << job << " did not finish");
  return {};
}

// The sources of every document, as `quire list --json` gives them.
std::multiset<std::string> Sources(const std::string& archive) {
  std::multiset<std::string> sources;
  const json list = RunQuireJson({"--archive", archive, "list", "--json"});
  for (const json& d : list["documents"]) {
    sources.insert(fs::path(d["source"].get<std::string>()).filename().string());
  }
  return sources;
}

}  // namespace

TEST_CASE("serve: every route by every role, and without a token", "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc(kQuickDocs[0])}).exit_code == 0);
  for (const char* role : {"viewer", "operator", "admin"}) AddUser(archive, role, role);
  Server server(archive);
  std::map<std::string, std::string> tokens = {{"none", ""}};
  for (const char* role : {"viewer", "operator", "admin"}) tokens[role] = server.Login(role);

  struct Route {
    std::string method, path, body;
    std::string needs;  // the lowest role allowed
  };
  const std::vector<Route> routes = {
      {"GET", "/api/search?q=invoice", "", "viewer"},
      {"GET", "/api/documents", "", "viewer"},
      {"GET", "/api/documents/1", "", "viewer"},
      {"GET", "/api/documents/1/pages/0/image?width=200", "", "viewer"},
      {"GET", "/api/documents/1/original", "", "viewer"},
      {"GET", "/api/documents/1/pdf", "", "viewer"},
      {"GET", "/api/review", "", "viewer"},
      {"GET", "/api/inbox", "", "viewer"},
      {"GET", "/api/stats", "", "viewer"},
      {"GET", "/api/me", "", "viewer"},
      {"GET", "/metrics", "", "viewer"},
      {"PATCH", "/api/documents/1", R"({"tags_add": ["checked"]})", "operator"},
      {"POST", "/api/documents/1/check", R"({"fields": {"total": "12.50"}})", "operator"},
      {"GET", "/api/jobs/1", "", "operator"},
      {"POST", "/api/inbox/failed/0/none.pdf/retry", "", "operator"},
      {"DELETE", "/api/inbox/failed/0/none.pdf", "", "operator"},
      {"POST", "/api/documents/1/audit", R"({"action": "exported", "detail": "a test"})", "admin"},
      {"DELETE", "/api/documents/999", "", "admin"},
      {"POST", "/api/backup", "{}", "admin"},
  };
  const std::map<std::string, int> rank = {
      {"none", 0}, {"viewer", 1}, {"operator", 2}, {"admin", 3}};
  for (const Route& route : routes) {
    for (const auto& [role, token] : tokens) {
      httplib::Headers headers = token.empty() ? httplib::Headers{} : Bearer(token);
      httplib::Client client = server.Client();
      httplib::Result res = route.method == "GET" ? client.Get(route.path, headers)
                            : route.method == "PATCH"
                                ? client.Patch(route.path, headers, route.body, "application/json")
                            : route.method == "POST"
                                ? client.Post(route.path, headers, route.body, "application/json")
                                : client.Delete(route.path, headers);
      REQUIRE(res);
      INFO(route.method << " " << route.path << " as " << role << ": " << res->status << " "
                        << res->body.substr(0, 200));
      if (role == "none") {
        CHECK(res->status == 401);
      } else if (rank.at(role) < rank.at(route.needs)) {
        CHECK(res->status == 403);
      } else {
        CHECK(res->status != 401);
        CHECK(res->status != 403);
        CHECK(res->status < 500);
      }
    }
  }
  // What needs no token.
  CHECK(server.Client().Get("/healthz")->status == 200);
  CHECK(server.Client().Get("/")->status == 200);
  CHECK(server.Client()
            .Post("/api/login", R"({"user": "viewer", "password": "wrong"})", "application/json")
            ->status == 401);
  // A route that does not exist, by any method, is a 404 that says so.
  for (const char* method : {"GET", "POST", "DELETE"}) {
    httplib::Client client = server.Client();
    const httplib::Result res = std::string(method) == "GET" ? client.Get("/api/nothing")
                                : std::string(method) == "POST"
                                    ? client.Post("/api/nothing", "{}", "application/json")
                                    : client.Delete("/api/nothing");
    REQUIRE(res);
    INFO(method);
    CHECK(res->status == 404);
    CHECK(json::parse(res->body)["error"].get<std::string>().starts_with("no such route: "));
  }
  CHECK(server.Stop() == 0);
}

TEST_CASE("serve: uploads, a hot folder and the command line all land once, backup verifies",
          "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  const std::string inbox = dir.Sub("inbox");
  fs::create_directories(inbox);
  AddUser(archive, "ann", "operator");
  Server server(archive, {"--watch", inbox, "--settle", "0.2", "--poll", "0.5"});
  const std::string token = server.Login("ann");

  // Through the API; the same file twice is one document and a duplicate.
  const uint64_t job = Upload(server, token, kQuickDocs[0], ReadAll(SampleDoc(kQuickDocs[0])));
  const json stored = WaitForJob(server, token, job);
  REQUIRE(stored["state"] == "stored");
  const json again = WaitForJob(
      server, token, Upload(server, token, kQuickDocs[0], ReadAll(SampleDoc(kQuickDocs[0]))));
  CHECK(again["state"] == "duplicate");
  CHECK(again["document"] == stored["document"]);

  // From the shell: ingest goes through the server, and says what it did as before.
  const auto ingested = RunQuire({"--archive", archive, "ingest", SampleDoc(kQuickDocs[1])});
  INFO(ingested.err);
  CHECK(ingested.exit_code == 0);
  CHECK(ingested.out.find("stored") != std::string::npos);
  CHECK(ingested.err.find("1 stored, 0 duplicates, 0 failed; 1 page in") != std::string::npos);

  // A second watcher on the archive is refused, saying how the server takes the folder.
  fs::create_directories(dir.Sub("other-inbox"));
  const auto watcher = RunQuire({"--archive", archive, "watch", dir.Sub("other-inbox")});
  INFO(watcher.err);
  CHECK(watcher.exit_code == 3);
  CHECK(watcher.err.find("quire serve --watch") != std::string::npos);

  // Into the hot folder.
  fs::copy_file(SampleDoc(kQuickDocs[2]), inbox + "/" + kQuickDocs[2]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (fs::exists(inbox + "/" + kQuickDocs[2]) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE_FALSE(fs::exists(inbox + "/" + kQuickDocs[2]));

  // A correction from the shell, audited with the name given.
  const uint64_t id = stored["document"];
  const auto corrected = RunQuire(
      {"--archive", archive, "correct", std::to_string(id), "total", "1.234,50", "--by", "bob"});
  INFO(corrected.err);
  CHECK(corrected.exit_code == 0);
  CHECK(corrected.out.find("-> 1234.50") != std::string::npos);
  const json doc = RunQuireJson({"--archive", archive, "show", std::to_string(id), "--json"});
  CHECK(doc["fields"]["total"]["value"] == "1234.50");
  CHECK(doc["history"].back()["by"] == "bob");
  // A title from the shell, through the server.
  const auto titled =
      RunQuire({"--archive", archive, "edit", std::to_string(id), "--title", "Toner order"});
  INFO(titled.err);
  CHECK(titled.exit_code == 0);
  CHECK(RunQuireJson({"--archive", archive, "show", std::to_string(id), "--json"})["title"] ==
        "Toner order");

  CHECK(Sources(archive) ==
        std::multiset<std::string>(std::begin(kQuickDocs), std::end(kQuickDocs)));

  // A backup while the server runs, which verify accepts.
  const auto backup = RunQuire({"--archive", archive, "backup", dir.Sub("copy")});
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  const auto verified = RunQuire({"--archive", dir.Sub("copy"), "verify"});
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("no problems found") != std::string::npos);
  CHECK(Sources(dir.Sub("copy")).size() == 3);
  // The users come along: the copy can be served and logged into.
  CHECK(RunQuire({"--archive", dir.Sub("copy"), "user", "list"}).out.find("ann") !=
        std::string::npos);
  CHECK(server.Stop() == 0);
  CHECK_FALSE(fs::exists(archive + "/serve.json"));
}

TEST_CASE("serve: the document list and the review queue come a page at a time, with totals",
          "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  // Three documents that need no review, then two that do (ids 4 and 5).
  for (const char* name : kQuickDocs) {
    REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc(name)}).exit_code == 0);
  }
  for (const char* name : {"letter-01.png", "form-01.png"}) {
    REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc(name)}).exit_code == 0);
  }
  AddUser(archive, "ann", "viewer");
  Server server(archive);
  const std::string token = server.Login("ann");
  httplib::Client client = server.Client();
  auto ids = [](const json& page) {
    std::vector<uint64_t> listed;
    for (const json& d : page["documents"]) listed.push_back(d["id"]);
    return listed;
  };

  const json documents = JsonOf(client.Get("/api/documents?limit=2&offset=1", Bearer(token)));
  CHECK(documents["total"] == 5);
  CHECK(ids(documents) == std::vector<uint64_t>{4, 3});
  const json first = JsonOf(client.Get("/api/review?limit=1", Bearer(token)));
  CHECK(first["total"] == 2);
  CHECK(ids(first) == std::vector<uint64_t>{5});
  CHECK_FALSE(first["documents"][0]["review_reasons"].empty());
  const json second = JsonOf(client.Get("/api/review?limit=1&offset=1", Bearer(token)));
  CHECK(ids(second) == std::vector<uint64_t>{4});
  CHECK(JsonOf(client.Get("/api/review", Bearer(token)))["documents"].size() == 2);
  CHECK(JsonOf(client.Get("/api/stats", Bearer(token)))["needs_review"] == 2);
  CHECK(JsonOf(client.Get("/api/inbox", Bearer(token)))["recent"].size() == 5);
  auto bad = client.Get("/api/review?offset=-1", Bearer(token));
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK_THAT(bad->body, Catch::Contains("offset must be a whole number"));

  // The command line pages alike.
  const json listed =
      RunQuireJson({"--archive", archive, "list", "--offset", "1", "--limit", "2", "--json"});
  CHECK(listed["total"] == 5);
  CHECK(ids(listed) == std::vector<uint64_t>{4, 3});
}

TEST_CASE("serve: corrections are checked, refused with 422, and audited with the user",
          "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc(kQuickDocs[0])}).exit_code == 0);
  AddUser(archive, "ann", "operator");
  Server server(archive);
  const std::string token = server.Login("ann");
  httplib::Client client = server.Client();
  const std::string before = client.Get("/api/documents/1", Bearer(token))->body;

  for (const json& bad :
       {json{{"fields", {{"invoice_date", "2024-02-30"}}}}, json{{"fields", {{"iban", "DE00123"}}}},
        json{{"fields", {{"colour", "red"}}}}}) {
    auto res = client.Patch("/api/documents/1", Bearer(token), bad.dump(), "application/json");
    REQUIRE(res);
    INFO(bad.dump() << " -> " << res->body);
    CHECK(res->status == 422);
    CHECK_FALSE(json::parse(res->body)["error"].get<std::string>().empty());
  }
  CHECK(client.Get("/api/documents/1", Bearer(token))->body == before);  // nothing stored

  // Checked as typed: the reason, or the normalised value, and nothing written either way.
  auto checked = client.Post("/api/documents/1/check", Bearer(token),
                             json{{"fields", {{"total", "1.658,31"}}}}.dump(), "application/json");
  REQUIRE(checked);
  CHECK(checked->status == 200);
  CHECK(json::parse(checked->body)["changes"][0]["after"] == "1658.31");
  CHECK(client
            .Post("/api/documents/1/check", Bearer(token),
                  json{{"fields", {{"total", "12,3x"}}}}.dump(), "application/json")
            ->status == 422);
  CHECK(client.Get("/api/documents/1", Bearer(token))->body == before);

  auto res = client.Patch("/api/documents/1", Bearer(token),
                          json{{"fields", {{"total", "$1,658.31"}}}}.dump(), "application/json");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  const json doc = json::parse(res->body);
  CHECK(doc["fields"]["total"]["value"] == "1658.31");
  CHECK(doc["fields"]["total"]["set_by"] == "ann");
  CHECK(doc["history"].back()["action"] == "corrected");
  CHECK(doc["history"].back()["by"] == "ann");
  const json found = JsonOf(client.Get("/api/search?q=total:%3E1000", Bearer(token)));
  CHECK(found["total"] == 1);

  // A title and notes given in the station show in `quire show`.
  REQUIRE(client
              .Patch("/api/documents/1", Bearer(token),
                     json{{"title", "March rent"}, {"notes", "paid by transfer"}}.dump(),
                     "application/json")
              ->status == 200);
  const auto shown = RunQuire({"--archive", archive, "show", "1"});
  CHECK(shown.out.find("  title:    March rent\n") != std::string::npos);
  CHECK(shown.out.find("notes:\n  paid by transfer\n") != std::string::npos);
}

TEST_CASE("serve: a bad upload is refused or fails with its reason, retry and discard", "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  AddUser(archive, "ann", "operator");
  Server server(archive, {"--max-upload-mb", "1"});
  const std::string token = server.Login("ann");
  httplib::Client client = server.Client();

  // Over the size limit: 413 at once, nothing kept.
  auto big = client.Post("/api/documents", Bearer(token),
                         {{"file", std::string(1200 * 1024, 'x'), "big.png", "image/png"}});
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(json::parse(big->body)["error"].get<std::string>().find("limit") != std::string::npos);
  // Not multipart: 400.
  CHECK(client.Post("/api/documents", Bearer(token), "hello", "text/plain")->status == 400);
  // A small file whose header claims 100000 x 100000 pixels: 413 from the header alone.
  std::string bomb = ReadAll(SampleDoc("receipt-01.png"));
  for (size_t at : {16, 20}) {  // IHDR width and height, big-endian
    for (int i = 0; i < 4; ++i) bomb[at + i] = static_cast<char>(100'000 >> (24 - 8 * i));
  }
  auto refused =
      client.Post("/api/documents", Bearer(token), {{"file", bomb, "bomb.png", "image/png"}});
  REQUIRE(refused);
  CHECK(refused->status == 413);
  CHECK(json::parse(refused->body)["error"].get<std::string>().find("pixels") != std::string::npos);

  // Not a document: taken, then failed with the reason, into the failed list.
  const std::string pdf = ReadAll(SampleDoc(kQuickDocs[0]));
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"notes.pdf", "this is not a PDF"},
           {"empty.png", ""},
           {"truncated.pdf", pdf.substr(0, pdf.size() / 3)},
           {"noise.jpg", "\xFF\xD8\xFF\xE0" + std::string(3000, '\x5a')}}) {
    const json failed = WaitForJob(server, token, Upload(server, token, name, bytes));
    CHECK(failed["state"] == "failed");
    CHECK_FALSE(failed["error"].get<std::string>().empty());
  }
  json inbox = JsonOf(client.Get("/api/inbox", Bearer(token)));
  REQUIRE(inbox["inboxes"][0]["failed"].size() == 4);
  for (const json& f : inbox["inboxes"][0]["failed"]) {
    CHECK(f["reason"].get<std::string>().find("What to do") != std::string::npos);
  }
  // Discard one; retry the other (it fails again, since it is still no PDF).
  const std::string first = inbox["inboxes"][0]["failed"][0]["name"];
  const std::string second = inbox["inboxes"][0]["failed"][1]["name"];
  CHECK(client.Delete("/api/inbox/failed/" + first, Bearer(token))->status == 200);
  CHECK(client.Post("/api/inbox/failed/" + second + "/retry", Bearer(token), "", "text/plain")
            ->status == 200);
  CHECK(client.Delete("/api/inbox/failed/0/../../serve.json", Bearer(token))->status == 404);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    inbox = JsonOf(client.Get("/api/inbox", Bearer(token)));
  } while (inbox["inboxes"][0]["failed"].size() != 3 &&
           std::chrono::steady_clock::now() < deadline);
  CHECK(inbox["inboxes"][0]["failed"].size() == 3);
  CHECK(fs::exists(archive + "/serve.json"));  // the traversal attempt removed nothing

  // Still serving, and nothing was stored.
  CHECK(JsonOf(client.Get("/api/stats", Bearer(token)))["documents"] == 0);
  CHECK(server.Stop() == 0);
}

TEST_CASE("serve: uploads acknowledged before a SIGKILL are stored exactly once after a restart",
          "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  AddUser(archive, "ann", "operator");
  std::vector<std::string> acknowledged;
  {
    Server server(archive);
    const std::string token = server.Login("ann");
    for (const char* name : kQuickDocs) {
      Upload(server, token, name, ReadAll(SampleDoc(name)));
      acknowledged.push_back(name);
    }
    server.Kill();  // at once: some uploads are surely not read yet
  }
  // The killed server's link names a dead process: commands do not send work to it.
  Server restarted(archive);
  const std::string token = restarted.Login("ann");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Sources(archive).size() < acknowledged.size() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(Sources(archive) == std::multiset<std::string>(acknowledged.begin(), acknowledged.end()));
  CHECK(restarted.Stop() == 0);
}

cv::Mat DecodedImage(httplib::Client& client, const std::string& path, const std::string& token) {
  auto res = client.Get(path, Bearer(token));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return cv::imdecode(std::vector<uchar>(res->body.begin(), res->body.end()), cv::IMREAD_GRAYSCALE);
}

TEST_CASE("serve: a page image asked upright is turned as the page was to be read", "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  // Scanned sideways (turned 270 degrees): read after turning it 90 degrees clockwise.
  REQUIRE(
      RunQuire({"--archive", archive, "ingest", SampleDoc("invoice-gb-01-rot270.png")}).exit_code ==
      0);
  AddUser(archive, "vic", "viewer");
  Server server(archive);
  const std::string token = server.Login("vic");
  httplib::Client client = server.Client();

  const cv::Mat as_filed = DecodedImage(client, "/api/documents/1/pages/0/image", token);
  const cv::Mat upright = DecodedImage(client, "/api/documents/1/pages/0/image?upright=1", token);
  REQUIRE(as_filed.cols > as_filed.rows);  // lying on its side
  cv::Mat turned;
  cv::rotate(as_filed, turned, cv::ROTATE_90_CLOCKWISE);
  REQUIRE(upright.size() == turned.size());
  // The same pixels, but for JPEG's rounding.
  CHECK(cv::norm(upright, turned, cv::NORM_L1) / upright.total() < 2.0);

  const cv::Mat thumbnail =
      DecodedImage(client, "/api/documents/1/pages/0/image?width=160&upright=1", token);
  CHECK(thumbnail.cols == 160);
  CHECK(thumbnail.rows > thumbnail.cols);
  CHECK(server.Stop() == 0);
}

TEST_CASE("serve: page images scaled and cached, originals, search paging and metrics", "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  for (const char* name : kQuickDocs) {
    REQUIRE(RunQuire({"--archive", archive, "ingest", SampleDoc(name)}).exit_code == 0);
  }
  AddUser(archive, "vic", "viewer");
  Server server(archive);
  const std::string token = server.Login("vic");
  httplib::Client client = server.Client();

  auto image = client.Get("/api/documents/1/pages/0/image?width=300", Bearer(token));
  REQUIRE(image);
  REQUIRE(image->status == 200);
  CHECK(image->get_header_value("Content-Type") == "image/jpeg");
  CHECK(image->get_header_value("X-Image-Width") == "300");
  httplib::Headers again = Bearer(token);
  again.emplace("If-None-Match", image->get_header_value("ETag"));
  CHECK(client.Get("/api/documents/1/pages/0/image?width=300", again)->status == 304);
  CHECK(client.Get("/api/documents/1/pages/7/image", Bearer(token))->status == 404);
  CHECK(client.Get("/api/documents/1/pages/0/image?width=huge", Bearer(token))->status == 400);
  CHECK(client.Get("/api/documents/1/pages/0/image?upright=2", Bearer(token))->status == 400);

  auto original = client.Get("/api/documents/1/original", Bearer(token));
  REQUIRE(original);
  CHECK(original->body == ReadAll(SampleDoc(kQuickDocs[0])));
  // The searchable PDF/A (tests/e2e/pdf_test.cc checks its text and boxes), audited.
  auto pdf = client.Get("/api/documents/1/pdf", Bearer(token));
  REQUIRE(pdf);
  REQUIRE(pdf->status == 200);
  CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
  CHECK(pdf->body.rfind("%PDF-1.7", 0) == 0);
  CHECK(pdf->body.find("<pdfaid:part>2</pdfaid:part>") != std::string::npos);
  CHECK(JsonOf(client.Get("/api/documents/1", Bearer(token)))["history"].back()["detail"] ==
        "pdf, over HTTP");
  CHECK(client.Get("/api/documents/99/pdf", Bearer(token))->status == 404);

  // Every match once across pages of one.
  std::set<uint64_t> seen;
  int64_t total = -1;
  for (int offset = 0; offset < 5; ++offset) {
    const json page = JsonOf(client.Get(
        "/api/search?q=NOT%20zzzqqq&limit=1&offset=" + std::to_string(offset), Bearer(token)));
    total = page["total"];
    for (const json& r : page["results"]) CHECK(seen.insert(r["id"].get<uint64_t>()).second);
  }
  CHECK(total == 3);
  CHECK(seen.size() == 3);
  const json facets = JsonOf(client.Get("/api/search?q=NOT%20zzzqqq", Bearer(token)))["facets"];
  CHECK(facets["type"]["invoice"] == 2);
  auto bad = client.Get("/api/search?q=%28invoice", Bearer(token));
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"].get<std::string>().find("column") != std::string::npos);

  const std::string metrics = client.Get("/metrics", Bearer(token))->body;
  CHECK(metrics.find("quire_search_seconds_count") != std::string::npos);
  // Each answer under the status it was sent with: a file's body too, and the login.
  for (const char* counted :
       {R"(route="search",status="200")", R"(route="original",status="200")",
        R"(route="page_image",status="304")", R"(route="login",status="200")"}) {
    CHECK(metrics.find("quire_http_requests_total{" + std::string(counted) + "}") !=
          std::string::npos);
  }
  CHECK(metrics.find("status=\"-1\"") == std::string::npos);
  CHECK(server.Stop() == 0);
}

TEST_CASE("serve: HTTPS with a certificate and key", "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  AddUser(archive, "vic", "viewer");
  const std::string cert = dir.Sub("cert.pem"), key = dir.Sub("key.pem");
  const std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-keyout " +
      key + " -out " + cert + " 2>/dev/null";
  REQUIRE(std::system(make_cert.c_str()) == 0);
  Server server(archive, {"--tls-cert", cert, "--tls-key", key});
  REQUIRE(server.url().starts_with("https://"));
  httplib::Client client(server.url());
  client.enable_server_certificate_verification(false);  // self-signed
  auto login = client.Post("/api/login", R"({"user": "vic", "password": "vic-password"})",
                           "application/json");
  REQUIRE(login);
  CHECK(login->status == 200);
  // Plain HTTP to the HTTPS port gets no answer.
  const std::string plain = "http://" + server.url().substr(std::string("https://").size());
  CHECK_FALSE(httplib::Client(plain).Get("/healthz"));
  CHECK(server.Stop() == 0);
}

TEST_CASE("serve: a wrong --listen or a half TLS pair is refused with a message", "[serve]") {
  TempDir dir;
  const auto bad_listen = RunQuire({"--archive", dir.Sub("a"), "serve", "--listen", "localhost"});
  CHECK(bad_listen.exit_code == 2);
  CHECK(bad_listen.err.find("HOST:PORT") != std::string::npos);
  const auto half =
      RunQuire({"--archive", dir.Sub("a"), "serve", "--tls-cert", SampleDoc("README.md")});
  CHECK(half.exit_code == 2);
  CHECK(half.err.find("--tls-key") != std::string::npos);
}

TEST_CASE("serve: a second server on a port another one serves is refused", "[serve]") {
  TempDir dir;
  Server first(dir.Sub("a"));
  const std::string listen = first.url().substr(std::string("http://").size());
  // Another archive's server on the same port would take part of the first one's requests.
  const std::string log = dir.Sub("b.serve.log");
  const pid_t second =
      StartQuire({"--archive", dir.Sub("b"), "serve", "--listen", listen}, {.err_file = log});
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (waitpid(second, &status, WNOHANG) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (kill(second, SIGKILL) == 0) {  // still serving
    waitpid(second, nullptr, 0);
    FAIL("a second quire serve listens on " << listen);
  }
  CHECK(WEXITSTATUS(status) == 3);
  CHECK(ReadAll(log).find("the port is taken") != std::string::npos);
  CHECK(first.Stop() == 0);
}

TEST_CASE("serve: a malformed request gets a JSON error and no 500 or empty body", "[serve]") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  AddUser(archive, "ann", "admin");
  Server server(archive);
  const httplib::Headers admin = Bearer(server.Login("ann"));
  struct Case {
    std::string path, body, content_type;
    int status;
    std::string says;
  };
  const std::string big_notes = R"({"notes": ")" + std::string(9000, 'a') + R"("})";
  const std::vector<Case> cases = {
      {"/api/login", R"({"user": "ann", "password": 5})", "application/json", 400,
       "password must be a string"},
      {"/api/backup", R"({"dest": 5})", "application/json", 400, "dest must be a string"},
      {"/api/backup", R"({"dest": ")" + dir.Sub("missing/copy") + R"("})", "application/json", 422,
       "create it first"},
      {"/api/documents/1/audit", R"({"action": "exported", "detail": 5})", "application/json", 400,
       "detail must be a string"},
      // Refused by the HTTP library itself, before any route.
      {"/api/documents/1/check", big_notes, "application/x-www-form-urlencoded", 413,
       "Content-Type: application/json"},
      {"/api/search?q=" + std::string(10000, 'a'), "", "application/json", 414, "too long"},
  };
  for (const Case& c : cases) {
    httplib::Client client = server.Client();
    const httplib::Result res = c.body.empty() ? client.Get(c.path, admin)
                                               : client.Post(c.path, admin, c.body, c.content_type);
    REQUIRE(res);
    INFO(c.path.substr(0, 40) << ": " << res->status << " " << res->body);
    CHECK(res->status == c.status);
    const json answer = json::parse(res->body, nullptr, false);
    REQUIRE(answer.is_object());
    CHECK(answer["error"].get<std::string>().find(c.says) != std::string::npos);
  }
  CHECK(server.Stop() == 0);
}
