// `quire user add|list|remove` through the program: exit codes, messages, users.json.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "quire_process.h"
#include "sessions.h"
#include "temp_dir.h"

namespace quire::app {
namespace {

using quire::testing::ProcessOutput;
using quire::testing::RunQuire;
using quire::testing::RunQuireJson;
using quire::testing::TempDir;

TEST_CASE("quire user add, list and remove") {
  TempDir dir;
  const std::string archive = dir.Sub("archive");
  ProcessOutput add = RunQuire({"--archive", archive, "user", "add", "ann", "--role", "operator",
                                "--password-stdin"},
                               "ann's password\n");
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.out == "user ann added as operator\n");
  struct stat st {};
  REQUIRE(::stat((archive + "/users.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  REQUIRE(RunQuire({"user", "add", "bob", "--role", "admin", "--password-stdin", "--archive",
                    archive},
                   "bob's password")
              .exit_code == 0);
  ProcessOutput list = RunQuire({"--archive", archive, "user", "list"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::StartsWith("ann  operator  added 20"));
  CHECK_THAT(list.out, Catch::Contains("\nbob  admin  added 20"));
  const nlohmann::json j = RunQuireJson({"--archive", archive, "user", "list", "--json"});
  REQUIRE(j["users"].size() == 2);
  CHECK(j["users"][1]["name"] == "bob");
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
  const std::vector<std::string> add = {"--archive", dir.path(), "user", "add", "ann",
                                        "--role",    "operator", "--password-stdin"};
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

  ProcessOutput role = RunQuire({"--archive", dir.path(), "user", "add", "ann", "--role", "root",
                                 "--password-stdin"},
                                "long enough");
  CHECK(role.exit_code == 2);
  CHECK_THAT(role.err, Catch::Contains("--role"));

  ProcessOutput name = RunQuire({"--archive", dir.path(), "user", "add", "ann smith", "--role",
                                 "viewer", "--password-stdin"},
                                "long enough");
  CHECK(name.exit_code == 2);
  CHECK_THAT(name.err, Catch::Contains("letters, digits"));
  CHECK_FALSE(std::filesystem::exists(dir.Sub("users.json")));

  REQUIRE(RunQuire(add, "long enough").exit_code == 0);
  ProcessOutput taken = RunQuire(add, "long enough");
  CHECK(taken.exit_code == 2);
  CHECK_THAT(taken.err, Catch::Contains("user ann exists"));
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
