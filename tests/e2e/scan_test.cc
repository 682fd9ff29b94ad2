// `quire scan` and the station's scans (/api/scans of `quire serve`) without hardware: SANE's
// test backend (an ADF of 10 pages, errors on demand) and its pnm backend (a file served as a
// scanned page), in a SANE configuration made by the test.
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "quire_process.h"
#include "temp_dir.h"

namespace quire::testing {
namespace {

// A jam. The backend offers a descriptor to wait on (select-fd), so the scanner waits for the
// reader thread's first block before the read that fails, and the cancel after it finds that
// thread pausing between blocks (read-delay), never inside malloc: SANE's test backend cancels it
// asynchronously, and one cancelled inside malloc hangs the process.
constexpr const char* kJammed =
    "read-status-code \"SANE_STATUS_JAMMED\"\nselect-fd true\nread-delay true\n"
    "read-delay-duration 10000\n";

// SANE_CONFIG_DIR for the test: the test and pnm backends, `test_conf` for the test backend.
void ConfigureSane(const TempDir& dir, const std::string& test_conf) {
  std::ofstream(dir.Sub("dll.conf")) << "test\npnm\n";
  std::ofstream(dir.Sub("test.conf")) << "number_of_devices 1\n" << test_conf;
  setenv("SANE_CONFIG_DIR", dir.path().c_str(), 1);
}

TEST_CASE("quire scan stores the test backend's ADF batch as documents", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n");
  const ProcessOutput list = RunQuire({"scan", "--list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.find("test:0") != std::string::npos);
  CHECK(list.out.find("--source Flatbed|Automatic Document Feeder") != std::string::npos);

  const ProcessOutput out =
      RunQuire({"--archive", dir.Sub("archive"), "scan", "--device", "test:0", "--source", "ADF",
                "--resolution", "100", "--separate", "pages:2"});
  INFO(out.out << out.err);
  CHECK(out.exit_code == 0);
  CHECK(out.err.find("10 pages scanned, 5 documents stored") != std::string::npos);
  const nlohmann::json listed = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "list"});
  REQUIRE(listed["documents"].size() == 5);
  for (const nlohmann::json& doc : listed["documents"]) {
    CHECK(doc["pages"] == 2);
    CHECK(doc["source"].get<std::string>().starts_with("scan test:0 "));
  }

  const nlohmann::json json =
      RunQuireJson({"--archive", dir.Sub("archive2"), "--json", "scan", "--device", "test:0",
                    "--source", "ADF", "--resolution", "100", "--separate", "pages:4"});
  CHECK(json["pages_scanned"] == 10);
  CHECK(json["stopped"].is_null());
  REQUIRE(json["results"].size() == 3);
  CHECK(json["results"][2]["file_pages"] == "9-10");
  CHECK(json["results"][2]["status"] == "stored");
  CHECK(json["results"][2]["pages"] == 2);
}

TEST_CASE("a jammed scan says what happened and what to do", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, kJammed);
  const ProcessOutput out = RunQuire({"--archive", dir.Sub("archive"), "scan", "--device", "test:0",
                                      "--source", "ADF", "--resolution", "100"});
  CHECK(out.exit_code == 1);
  CHECK(out.err.find("the paper jammed: clear the jam") != std::string::npos);
}

TEST_CASE("a scan cancelled in the middle keeps its pages, for a person to check", "[scan]") {
  TempDir dir;
  // About a second a page, like a feeder, so that the cancel comes between pages.
  ConfigureSane(dir,
                "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n"
                "read-delay true\nread-delay-duration 100000\n");
  const std::string err = dir.Sub("err.txt");
  const pid_t pid = StartQuire({"--archive", dir.Sub("archive"), "scan", "--device", "test:0",
                                "--source", "ADF", "--resolution", "100"},
                               {.err_file = err});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (ReadAll(err).find("scanned    page 3") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGINT);  // Ctrl-C at the station
  int status = 0;
  waitpid(pid, &status, 0);
  const std::string said = ReadAll(err);
  INFO(said);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(said.find("the scan was cancelled after ") != std::string::npos);
  const nlohmann::json listed = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "list"});
  REQUIRE(listed["documents"].size() == 1);
  const int pages = listed["documents"][0]["pages"];
  CHECK(pages >= 3);
  CHECK(pages < 10);
  CHECK(said.find(std::to_string(pages) + " pages scanned, 1 documents stored") !=
        std::string::npos);
  const nlohmann::json review = RunQuireJson({"--archive", dir.Sub("archive"), "--json", "review"});
  REQUIRE(review["documents"].size() == 1);
  CHECK(review["documents"][0]["review_reasons"].dump().find("the scan stopped after this "
                                                             "document's last page") !=
        std::string::npos);
}

TEST_CASE("a document of a batch is stored while the feeder still scans the rest", "[scan]") {
  TempDir dir;
  // About 0.4 s a page, so that the first document's pages are read and stored well before the
  // tenth page has been scanned (reading overlaps scanning); no time is asserted.
  ConfigureSane(dir,
                "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n"
                "read-delay true\nread-delay-duration 10000\n");
  const std::string out = dir.Sub("out.txt");
  const std::string err = dir.Sub("err.txt");
  const pid_t pid = StartQuire({"--archive", dir.Sub("archive"), "scan", "--device", "test:0",
                                "--source", "ADF", "--resolution", "100", "--separate", "pages:2"},
                               {.err_file = err, .out_file = out});
  bool stored_first = false;
  std::string scanned_then;  // what had been scanned once the first document was stored
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!stored_first && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    // Its output first, then the pages: a page missing from them was scanned after the store.
    stored_first = ReadAll(out).find("stored     scan pages 1-2 ") != std::string::npos;
    scanned_then = ReadAll(err);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  INFO(ReadAll(out) << ReadAll(err));
  REQUIRE(stored_first);
  CHECK(scanned_then.find("scanned    page 10") == std::string::npos);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(ReadAll(err).find("10 pages scanned, 5 documents stored") != std::string::npos);
}

TEST_CASE("beside a running quire serve, the scanned documents go to the server", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n");
  const std::string archive = dir.Sub("archive");
  const pid_t server = StartServe(archive, dir.Sub("serve.log"));
  const ProcessOutput out =
      RunQuire({"--archive", archive, "scan", "--device", "test:0", "--source", "ADF",
                "--resolution", "100", "--separate", "pages:5"});
  INFO(out.out << out.err << ReadAll(dir.Sub("serve.log")));
  CHECK(out.exit_code == 0);
  CHECK(out.out.find("uploaded   scan pages 1-5") != std::string::npos);
  CHECK(out.out.find("stored     scan pages 6-10 -> ") != std::string::npos);
  kill(server, SIGTERM);
  int status = 0;
  waitpid(server, &status, 0);
  CHECK(WEXITSTATUS(status) == 0);
  const nlohmann::json listed = RunQuireJson({"--archive", archive, "--json", "list"});
  REQUIRE(listed["documents"].size() == 2);
  for (const nlohmann::json& doc : listed["documents"]) CHECK(doc["pages"] == 5);
}

TEST_CASE("a device that is not there is named with where to look", "[scan]") {
  TempDir dir;
  ConfigureSane(dir, "");
  const ProcessOutput out =
      RunQuire({"--archive", dir.Sub("archive"), "scan", "--device", "nope:7"});
  CHECK(out.exit_code == 4);
  CHECK(out.err.find("quire scan --list") != std::string::npos);
}

TEST_CASE("a page scanned through the pnm backend reads as quire ocr reads its file",
          "[scan][slow]") {
  TempDir dir;
  ConfigureSane(dir, "");
  // The pnm backend serves /tmp/input.ppm unless told otherwise.
  const cv::Mat page = cv::imread(SampleDoc("invoice-en-01.png"), cv::IMREAD_GRAYSCALE);
  std::vector<uchar> pgm;  // a grey PNM; the backend reads it whatever the name says
  REQUIRE(cv::imencode(".pgm", page, pgm));
  std::ofstream("/tmp/input.ppm", std::ios::binary)
      .write(reinterpret_cast<const char*>(pgm.data()), static_cast<std::streamsize>(pgm.size()));
  const ProcessOutput out = RunQuire(
      {"--archive", dir.Sub("archive"), "scan", "--device", "pnm:0", "--resolution", "300"});
  std::filesystem::remove("/tmp/input.ppm");
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  const ProcessOutput scanned =
      RunQuire({"--archive", dir.Sub("archive"), "export", "1", "--format", "text"});
  const ProcessOutput file = RunQuire({"ocr", SampleDoc("invoice-en-01.png")});
  CHECK(scanned.out == file.out);
  CHECK(scanned.out.find("INV-2024-0387") != std::string::npos);
}

// A `quire serve` on a free loopback port, spoken to with the local commands' token (an admin).
class StationServer {
 public:
  explicit StationServer(const TempDir& dir) : archive_(dir.Sub("archive")) {
    pid_ = StartQuire({"--archive", archive_, "serve", "--listen", "127.0.0.1:0"},
                      {.err_file = dir.Sub("serve.log")});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const nlohmann::json link =
          nlohmann::json::parse(ReadAll(archive_ + "/serve.json"), nullptr, false);
      if (link.is_object() && link["pid"] == pid_) {
        url_ = link["url"];
        token_ = link["token"];
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("quire serve did not start: " << ReadAll(dir.Sub("serve.log")));
  }

  ~StationServer() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }

  const std::string& archive() const { return archive_; }
  const std::string& url() const { return url_; }

  // The answer's status and body (JSON, or null for an image).
  std::pair<int, nlohmann::json> Call(const std::string& method, const std::string& path,
                                      const nlohmann::json& body = nlohmann::json::object(),
                                      std::string* bytes = nullptr) const {
    httplib::Client client(url_);
    client.set_read_timeout(120);
    const httplib::Headers headers = {{"Authorization", "Bearer " + token_}};
    httplib::Result res = method == "GET" ? client.Get(path, headers)
                          : method == "DELETE"
                              ? client.Delete(path, headers)
                              : client.Post(path, headers, body.dump(), "application/json");
    REQUIRE(res);
    if (bytes != nullptr) {
      *bytes = res->body;
      return {res->status, nullptr};
    }
    return {res->status, nlohmann::json::parse(res->body)};
  }

  // GET /api/scans/ID once `done` holds for it (a minute at most).
  nlohmann::json WaitFor(int id, const std::function<bool(const nlohmann::json&)>& done) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      const auto [status, scan] = Call("GET", "/api/scans/" + std::to_string(id));
      REQUIRE(status == 200);
      if (done(scan) || std::chrono::steady_clock::now() > deadline) return scan;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

 private:
  std::string archive_;
  std::string url_;
  std::string token_;
  pid_t pid_ = -1;
};

bool Scanned(const nlohmann::json& scan) {
  if (scan["state"] != "scanned") return false;
  for (const nlohmann::json& page : scan["pages"]) {
    if (!page["read"].get<bool>()) return false;
  }
  return true;
}

cv::Mat DecodeImage(const std::string& bytes) {
  return cv::imdecode(std::vector<uchar>(bytes.begin(), bytes.end()), cv::IMREAD_GRAYSCALE);
}

TEST_CASE("the station scans a batch, the operator fixes it, commit stores its documents",
          "[scan][station]") {
  TempDir dir;
  // Pages taller than wide, so that a turned page shows.
  ConfigureSane(dir, "test-picture \"Color pattern\"\nbr_x 80.0\nbr_y 120.0\n");
  REQUIRE(RunQuire({"--archive", dir.Sub("archive"), "user", "add", "victor", "--role", "viewer",
                    "--password-stdin"},
                   "victor-station-pw\n")
              .exit_code == 0);
  const StationServer server(dir);
  {  // Scanning is an operator's: a viewer is refused.
    httplib::Client client(server.url());
    const httplib::Result login = client.Post(
        "/api/login", R"({"user":"victor","password":"victor-station-pw"})", "application/json");
    REQUIRE(login);
    const httplib::Headers viewer = {
        {"Authorization",
         "Bearer " + nlohmann::json::parse(login->body)["token"].get<std::string>()}};
    const httplib::Result refused = client.Post("/api/scans", viewer, "{}", "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(client.Get("/api/scanners", viewer)->status == 403);
  }
  const auto [listed_status, listed] = server.Call("GET", "/api/scanners");
  CHECK(listed_status == 200);
  CHECK(listed.dump().find("\"name\":\"test:0\"") != std::string::npos);

  const auto [started_status, started] = server.Call(
      "POST", "/api/scans",
      {{"device", "test:0"}, {"source", "ADF"}, {"resolution", 100}, {"separate", "pages:3"}});
  INFO(started.dump());
  REQUIRE(started_status == 201);
  const int id = started["id"];
  const auto [busy_status, busy] = server.Call("POST", "/api/scans", {{"device", "test:0"}});
  CHECK(busy_status == 409);
  CHECK(busy["error"].get<std::string>().find("in use by scan") != std::string::npos);

  nlohmann::json scan = server.WaitFor(id, Scanned);
  INFO(scan.dump());
  REQUIRE(Scanned(scan));
  CHECK(scan["message"] == "");
  CHECK(scan["pages"].size() == 10);
  CHECK(scan["documents"] == nlohmann::json::parse("[[0,1,2],[3,4,5],[6,7,8],[9]]"));

  std::string before;
  CHECK(
      server
          .Call("GET", "/api/scans/" + std::to_string(id) + "/pages/1/image?width=200", {}, &before)
          .first == 200);
  const std::string page = "/api/scans/" + std::to_string(id) + "/pages/";
  CHECK(server.Call("POST", page + "3/join").second["documents"] ==
        nlohmann::json::parse("[[0,1,2,3,4,5],[6,7,8],[9]]"));
  CHECK(server.Call("POST", page + "2/split").second["documents"] ==
        nlohmann::json::parse("[[0,1],[2,3,4,5],[6,7,8],[9]]"));
  CHECK(server.Call("DELETE", page + "7").second["documents"] ==
        nlohmann::json::parse("[[0,1],[2,3,4,5],[6,8],[9]]"));
  CHECK(server.Call("POST", page + "6/join").second["documents"] ==
        nlohmann::json::parse("[[0,1],[2,3,4,5,6,8],[9]]"));
  CHECK(server.Call("POST", page + "1/turn", {{"degrees", 90}}).first == 200);
  const auto [bad_turn, bad_turn_body] = server.Call("POST", page + "1/turn", {{"degrees", 45}});
  CHECK(bad_turn == 422);
  CHECK(bad_turn_body["error"].get<std::string>().find("90, 180 or 270") != std::string::npos);
  const auto [bad_join, bad_join_body] = server.Call("POST", page + "0/join");
  CHECK(bad_join == 422);
  CHECK(server.Call("POST", page + "42/split").first == 404);
  std::string after;
  CHECK(server.Call("GET", page + "1/image?width=200", {}, &after).first == 200);
  const cv::Mat upright = DecodeImage(before);
  const cv::Mat turned = DecodeImage(after);
  CHECK(upright.rows > upright.cols);
  CHECK(turned.cols == 200);
  CHECK(turned.rows < turned.cols);

  // The last page again, from the feeder: a new image, read again.
  const int version = scan["pages"][9]["version"];
  CHECK(server.Call("POST", page + "9/rescan").first == 200);
  scan = server.WaitFor(id, Scanned);
  CHECK(scan["pages"][8]["page"] == 9);
  CHECK(scan["pages"][8]["version"] > version);
  CHECK(scan["message"] == "");

  const auto [committed_status, committed] =
      server.Call("POST", "/api/scans/" + std::to_string(id) + "/commit");
  INFO(committed.dump());
  REQUIRE(committed_status == 200);
  CHECK(committed["state"] == "committed");
  REQUIRE(committed["committed"].size() == 3);
  std::vector<int> pages;
  for (const nlohmann::json& doc : committed["committed"]) {
    CHECK(doc["status"] == "stored");
    pages.push_back(doc["pages"]);
  }
  CHECK(pages == std::vector<int>{2, 6, 1});
  CHECK(committed["committed"][1]["file_pages"] == "3-7,9");
  CHECK(server.Call("POST", "/api/scans/" + std::to_string(id) + "/commit").first == 422);

  // The turned page is stored turned: wider than tall.
  const int first_doc = committed["committed"][0]["id"];
  std::string stored;
  CHECK(server
            .Call("GET", "/api/documents/" + std::to_string(first_doc) + "/pages/1/image", {},
                  &stored)
            .first == 200);
  const cv::Mat stored_page = DecodeImage(stored);
  CHECK(stored_page.cols > stored_page.rows);
  const auto [doc_status, doc] = server.Call("GET", "/api/documents/" + std::to_string(first_doc));
  CHECK(doc["source"].get<std::string>().starts_with("scan test:0 "));

  // Committed, the device is free for the next batch; a discarded scan is gone.
  const auto [next_status, next] = server.Call("POST", "/api/scans", {{"device", "test:0"}});
  CHECK(next_status == 201);
  CHECK(server.Call("DELETE", "/api/scans/" + std::to_string(next["id"].get<int>())).first == 200);
  CHECK(server.Call("GET", "/api/scans/" + std::to_string(next["id"].get<int>())).first == 404);
}

TEST_CASE("a station scan stopped in the middle keeps its pages, with the message, and goes on",
          "[scan][station]") {
  TempDir dir;
  ConfigureSane(dir,
                "test-picture \"Color pattern\"\nbr_x 100.0\nbr_y 100.0\n"
                "read-delay true\nread-delay-duration 100000\n");
  const StationServer server(dir);
  const auto [status, started] = server.Call(
      "POST", "/api/scans", {{"device", "test:0"}, {"source", "ADF"}, {"resolution", 100}});
  REQUIRE(status == 201);
  const int id = started["id"];
  server.WaitFor(id, [](const nlohmann::json& scan) { return scan["pages_scanned"] >= 2; });
  CHECK(server.Call("POST", "/api/scans/" + std::to_string(id) + "/stop").first == 200);
  const nlohmann::json scan = server.WaitFor(id, Scanned);
  INFO(scan.dump());
  REQUIRE(Scanned(scan));
  CHECK(scan["message"].get<std::string>().find("the scan was cancelled after ") !=
        std::string::npos);
  const size_t kept = scan["pages"].size();
  CHECK(kept >= 2);
  CHECK(kept < 10);
  // The rest of the batch, put back in the feeder (the test backend's feeder holds 10 again).
  CHECK(server.Call("POST", "/api/scans/" + std::to_string(id) + "/more").first == 200);
  const nlohmann::json more = server.WaitFor(id, Scanned);
  INFO(more.dump());
  CHECK(more["message"] == "");
  CHECK(more["pages"].size() == kept + 10);
  CHECK(more["documents"].size() == 1);
  const auto [committed_status, committed] =
      server.Call("POST", "/api/scans/" + std::to_string(id) + "/commit");
  REQUIRE(committed_status == 200);
  REQUIRE(committed["committed"].size() == 1);
  CHECK(committed["committed"][0]["pages"] == kept + 10);
}

TEST_CASE("a jam at the station is said, and a scan without pages gives way to the next",
          "[scan][station]") {
  TempDir dir;
  ConfigureSane(dir, kJammed);
  const StationServer server(dir);
  const nlohmann::json request = {{"device", "test:0"}, {"source", "ADF"}, {"resolution", 100}};
  const auto [status, started] = server.Call("POST", "/api/scans", request);
  REQUIRE(status == 201);
  const nlohmann::json scan = server.WaitFor(
      started["id"], [](const nlohmann::json& s) { return s["state"] == "scanned"; });
  CHECK(scan["message"].get<std::string>().find("the paper jammed: clear the jam") !=
        std::string::npos);
  CHECK(scan["pages"].empty());
  const auto [commit_status, commit] =
      server.Call("POST", "/api/scans/" + std::to_string(scan["id"].get<int>()) + "/commit");
  CHECK(commit_status == 422);
  CHECK(commit["error"].get<std::string>().find("no page to store") != std::string::npos);
  CHECK(server.Call("POST", "/api/scans", request).first == 201);
}

}  // namespace
}  // namespace quire::testing
