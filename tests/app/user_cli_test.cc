// `quire user add|list|remove` through the program: exit codes, messages, users.json.
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "quire_process.h"
#include "sessions.h"
#include "temp_dir.h"

namespace quire::app {
namespace {

using quire::testing::ProcessOutput;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::TempDir;

struct TerminalRun {
  int exit_code = -1;
  std::string screen;  // everything the terminal showed
};

// Runs the program on a new terminal (a pty): waits for each prompt and types its answer and
// Enter, then reads on until the program exits.
TerminalRun RunOnTerminal(const std::vector<std::string>& args,
                          const std::vector<std::pair<std::string, std::string>>& dialogue) {
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = QUIRE_BINARY;
    argv.push_back(binary.data());
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  REQUIRE(pid > 0);
  TerminalRun run;
  // Reads until `until` shows (or the program closes the terminal); false after 20 s.
  const auto read_until = [&](const std::string& until) {
    for (int waited = 0; waited < 200;) {
      if (!until.empty() && run.screen.find(until) != std::string::npos) return true;
      pollfd fd{terminal, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) {
        ++waited;
        continue;
      }
      char buf[256];
      const ssize_t n = read(terminal, buf, sizeof(buf));
      if (n <= 0) return until.empty();  // EIO once the program has exited
      run.screen.append(buf, static_cast<size_t>(n));
    }
    return false;
  };
  for (const auto& [prompt, answer] : dialogue) {
    REQUIRE(read_until(prompt));
    const std::string line = answer + "\n";
    REQUIRE(write(terminal, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  }
  read_until("");
  close(terminal);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST_CASE("quire user add asks for the password twice on a terminal, without echo") {
  TempDir dir;
  const std::vector<std::string> add = {"--archive", dir.path(), "user", "add",
                                        "ann",       "--role",   "admin"};
  const TerminalRun added = RunOnTerminal(
      add, {{"Password for ann: ", "typed secret"}, {"The same password again: ", "typed secret"}});
  INFO(added.screen);
  CHECK(added.exit_code == 0);
  CHECK_THAT(added.screen, Catch::Contains("user ann added as admin"));
  CHECK(added.screen.find("typed secret") == std::string::npos);
  UserStore users(dir.path());
  Sessions sessions(users);
  CHECK(sessions.LogIn("ann", "typed secret").ok());

  const TerminalRun differ = RunOnTerminal(
      {"--archive", dir.path(), "user", "add", "bob", "--role", "viewer"},
      {{"Password for bob: ", "typed secret"}, {"The same password again: ", "typed secrte"}});
  CHECK(differ.exit_code == 2);
  CHECK_THAT(differ.screen, Catch::Contains("the two passwords differ"));
  const TerminalRun short_one =
      RunOnTerminal({"--archive", dir.path(), "user", "add", "bob", "--role", "viewer"},
                    {{"Password for bob: ", "short"}});
  CHECK(short_one.exit_code == 2);
  CHECK_THAT(short_one.screen, Catch::Contains("too short"));
  CHECK_FALSE(users.Find("bob")->has_value());
}

TEST_CASE("quire user add, list and remove") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  ProcessOutput add = RunQuire(
      {"--archive", archive, "user", "add", "ann", "--role", "operator", "--password-stdin"},
      "ann's password\n");
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.out == "user ann added as operator\n");
  struct stat st {};
  REQUIRE(::stat((archive + "/users.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // The new folder became an archive, which the other commands open beside users.json.
  ProcessOutput stats = RunQuire({"--archive", archive, "stats"});
  INFO(stats.err);
  CHECK(stats.exit_code == 0);

  REQUIRE(
      RunQuire({"user", "add", "bo", "--role", "admin", "--password-stdin", "--archive", archive},
               "bob's password")
          .exit_code == 0);
  ProcessOutput list = RunQuire({"--archive", archive, "user", "list"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::StartsWith("ann  operator  added 20"));
  CHECK_THAT(list.out, Catch::Contains("\nbo   admin     added 20"));
  const nlohmann::json j = RunQuireJson({"--archive", archive, "user", "list", "--json"});
  REQUIRE(j["users"].size() == 2);
  CHECK(j["users"][1]["name"] == "bo");
  CHECK(j["users"][1]["role"] == "admin");
  CHECK_FALSE(j["users"][1].contains("password"));

  // The trailing newline was not part of the password; the password was.
  UserStore users(archive);
  Sessions sessions(users);
  CHECK(sessions.LogIn("ann", "ann's password").ok());

  ProcessOutput remove = RunQuire({"--archive", archive, "user", "remove", "ann"});
  CHECK(remove.exit_code == 0);
  CHECK_THAT(remove.out, Catch::Contains("user ann removed"));
  ProcessOutput again = RunQuire({"--archive", archive, "user", "remove", "ann"});
  CHECK(again.exit_code == 4);
  CHECK_THAT(again.err, Catch::Contains("there is no user ann"));
  CHECK(RunQuireJson({"--archive", archive, "user", "list", "--json"})["users"].size() == 1);
}

TEST_CASE("quire user remove ends the sessions of a running server's users") {
  TempDir dir;
  REQUIRE(RunQuire({"--archive", dir.path(), "user", "add", "ann", "--role", "viewer",
                    "--password-stdin"},
                   "ann's password")
              .exit_code == 0);
  UserStore users(dir.path());  // as the server holds them
  Sessions sessions(users);
  Result<Login> login = sessions.LogIn("ann", "ann's password");
  REQUIRE(login.ok());
  REQUIRE(sessions.Find(login->token).has_value());
  REQUIRE(RunQuire({"--archive", dir.path(), "user", "remove", "ann"}).exit_code == 0);
  CHECK_FALSE(sessions.Find(login->token).has_value());
}

TEST_CASE("quire user add refuses bad input with exit 2 and a message") {
  TempDir dir;
  const std::vector<std::string> add = {"--archive", dir.path(), "user",     "add",
                                        "ann",       "--role",   "operator", "--password-stdin"};
  ProcessOutput empty = RunQuire(add, "\n");
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Catch::Contains("the password is empty"));
  ProcessOutput short_one = RunQuire(add, "abc\n");
  CHECK(short_one.exit_code == 2);
  CHECK_THAT(short_one.err, Catch::Contains("at least 8 characters"));

  // Without --password-stdin and without a terminal, nothing to ask on.
  ProcessOutput no_terminal =
      RunQuire({"--archive", dir.path(), "user", "add", "ann", "--role", "operator"});
  CHECK(no_terminal.exit_code == 2);
  CHECK_THAT(no_terminal.err, Catch::Contains("--password-stdin"));

  ProcessOutput role = RunQuire(
      {"--archive", dir.path(), "user", "add", "ann", "--role", "root", "--password-stdin"},
      "long enough");
  CHECK(role.exit_code == 2);
  CHECK_THAT(role.err, Catch::Contains("--role"));

  ProcessOutput name = RunQuire(
      {"--archive", dir.path(), "user", "add", "ann smith", "--role", "viewer", "--password-stdin"},
      "long enough");
  CHECK(name.exit_code == 2);
  CHECK_THAT(name.err, Catch::Contains("letters, digits"));
  CHECK_FALSE(std::filesystem::exists(dir.Sub("users.json")));

  REQUIRE(RunQuire(add, "long enough").exit_code == 0);
  ProcessOutput taken = RunQuire(add, "long enough");
  CHECK(taken.exit_code == 2);
  CHECK_THAT(taken.err, Catch::Contains("user ann exists"));
}

TEST_CASE("quire user add run by several processes at once loses none") {
  TempDir dir;
  REQUIRE(RunQuire({"--archive", dir.path(), "user", "add", "first", "--role", "admin",
                    "--password-stdin"},
                   "long enough")
              .exit_code == 0);
  std::vector<int> exit_codes(6, -1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < exit_codes.size(); ++i) {
    threads.emplace_back([&, i] {
      exit_codes[i] = RunQuire({"--archive", dir.path(), "user", "add", "user" + std::to_string(i),
                                "--role", "viewer", "--password-stdin"},
                               "long enough")
                          .exit_code;
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(exit_codes == std::vector<int>(6, 0));
  CHECK(RunQuireJson({"--archive", dir.path(), "user", "list", "--json"})["users"].size() == 7);
}

TEST_CASE("quire user list without users says how to add one") {
  TempDir dir;
  ProcessOutput list = RunQuire({"--archive", dir.path(), "user", "list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.empty());
  CHECK_THAT(list.err, Catch::Contains("quire user add NAME --role admin"));
}

}  // namespace
}  // namespace quire::app
