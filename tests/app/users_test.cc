// Roles, password hashes and users.json (app/users.h).
#include "users.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "temp_dir.h"

namespace quire::app {
namespace {

using quire::testing::TempDir;

// Cheap enough for many hashes in a test; the default cost has its own test.
constexpr ScryptCost kTestCost{1 << 10, 8, 1};

TEST_CASE("roles read, print and nest: admin over operator over viewer") {
  for (Role role : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
    CHECK(ParseRole(RoleName(role)) == role);
  }
  CHECK_FALSE(ParseRole("root").has_value());
  CHECK_FALSE(ParseRole("Admin").has_value());
  CHECK(Allows(Role::kAdmin, Role::kOperator));
  CHECK(Allows(Role::kOperator, Role::kOperator));
  CHECK(Allows(Role::kOperator, Role::kViewer));
  CHECK_FALSE(Allows(Role::kViewer, Role::kOperator));
  CHECK_FALSE(Allows(Role::kOperator, Role::kAdmin));
}

TEST_CASE("a password hash matches its password only") {
  Result<std::string> hash = HashPassword("correct horse", kTestCost);
  REQUIRE(hash.ok());
  CHECK(hash->starts_with("scrypt$1024$8$1$"));
  CHECK(hash->find("correct horse") == std::string::npos);
  CHECK(PasswordMatches("correct horse", *hash));
  CHECK_FALSE(PasswordMatches("correct horsf", *hash));
  CHECK_FALSE(PasswordMatches("", *hash));
  CHECK_FALSE(PasswordMatches("correct horse", "scrypt$1024$8$1$zz$00"));
  CHECK_FALSE(PasswordMatches("correct horse", "plain:correct horse"));
  CHECK_FALSE(PasswordMatches("correct horse", ""));
}

TEST_CASE("the same password hashes differently each time: a random salt") {
  Result<std::string> a = HashPassword("correct horse", kTestCost);
  Result<std::string> b = HashPassword("correct horse", kTestCost);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
  CHECK(PasswordMatches("correct horse", *b));
}

TEST_CASE("the default cost works, and a hash keeps its cost when the default is raised") {
  Result<std::string> hash = HashPassword("correct horse");
  REQUIRE(hash.ok());
  CHECK(hash->starts_with("scrypt$32768$8$1$"));
  CHECK(PasswordMatches("correct horse", *hash));
  // A hash made at a lower cost still verifies: the cost travels with it.
  Result<std::string> cheap = HashPassword("correct horse", kTestCost);
  REQUIRE(cheap.ok());
  CHECK(PasswordMatches("correct horse", *cheap));
}

TEST_CASE("new passwords must be long enough") {
  CHECK_THAT(CheckNewPassword("").message(), Catch::Contains("empty"));
  CHECK_THAT(CheckNewPassword("1234567").message(), Catch::Contains("at least 8"));
  CHECK(CheckNewPassword("12345678").ok());
}

TEST_CASE("users are kept in users.json beside the archive, readable by the owner only") {
  TempDir dir;
  UserStore users(dir.Sub("archive"), kTestCost);
  REQUIRE(users.Add("ann", Role::kOperator, "ann's password").ok());
  REQUIRE(users.Add("bob", Role::kAdmin, "ann's password").ok());

  struct stat st {};
  REQUIRE(::stat(users.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(users.path());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("ann's password") == std::string::npos);

  Result<std::vector<User>> list = users.List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].name == "ann");
  CHECK((*list)[0].role == Role::kOperator);
  CHECK((*list)[1].role == Role::kAdmin);
  CHECK((*list)[0].created > 0);
  // The same password, two users: two salts, two hashes.
  CHECK((*list)[0].password_hash != (*list)[1].password_hash);
  CHECK(PasswordMatches("ann's password", (*list)[1].password_hash));

  Result<std::optional<User>> bob = users.Find("bob");
  REQUIRE(bob.ok());
  REQUIRE(bob->has_value());
  CHECK((*bob)->role == Role::kAdmin);
  Result<std::optional<User>> nobody = users.Find("carol");
  REQUIRE(nobody.ok());
  CHECK_FALSE(nobody->has_value());
}

TEST_CASE("bad names, short passwords and taken names are refused") {
  TempDir dir;
  UserStore users(dir.path(), kTestCost);
  CHECK(users.Add("", Role::kViewer, "long enough").code() == Status::Code::kInvalidArgument);
  CHECK_THAT(users.Add("ann smith", Role::kViewer, "long enough").message(),
             Catch::Contains("letters, digits"));
  CHECK(users.Add(std::string("ann\0", 4), Role::kViewer, "long enough").code() ==
        Status::Code::kInvalidArgument);
  CHECK(users.Add(std::string(65, 'a'), Role::kViewer, "long enough").code() ==
        Status::Code::kInvalidArgument);
  CHECK_THAT(users.Add("ann", Role::kViewer, "short").message(), Catch::Contains("too short"));
  REQUIRE(users.Add("ann.smith@example", Role::kViewer, "long enough").ok());
  const Status again = users.Add("ann.smith@example", Role::kAdmin, "other password");
  CHECK(again.code() == Status::Code::kInvalidArgument);
  CHECK_THAT(again.message(), Catch::Contains("exists") && Catch::Contains("quire user remove"));
  CHECK((*users.Find("ann.smith@example"))->role == Role::kViewer);
}

TEST_CASE("removing a user, removing one that is not there is NotFound") {
  TempDir dir;
  UserStore users(dir.path(), kTestCost);
  REQUIRE(users.Add("ann", Role::kViewer, "long enough").ok());
  REQUIRE(users.Remove("ann").ok());
  CHECK_FALSE(users.Find("ann")->has_value());
  CHECK(users.Remove("ann").code() == Status::Code::kNotFound);
  UserStore elsewhere(dir.Sub("no-archive"), kTestCost);
  CHECK(elsewhere.Remove("ann").code() == Status::Code::kNotFound);
  CHECK_FALSE(std::filesystem::exists(dir.Sub("no-archive")));
}

TEST_CASE("a store sees changes another one made to the file (a server beside `quire user`)") {
  TempDir dir;
  UserStore server(dir.path(), kTestCost);
  UserStore command(dir.path(), kTestCost);
  CHECK(server.List()->empty());
  REQUIRE(command.Add("ann", Role::kViewer, "long enough").ok());
  CHECK(server.Find("ann")->has_value());
  REQUIRE(command.Remove("ann").ok());
  REQUIRE(command.Add("ann", Role::kAdmin, "long enough").ok());
  CHECK((*server.Find("ann"))->role == Role::kAdmin);
}

TEST_CASE("concurrent changes are serialised: none is lost") {
  TempDir dir;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      UserStore mine(dir.path(), kTestCost);  // its own lock file descriptor, as a process has
      CHECK(mine.Add("user" + std::to_string(i), Role::kViewer, "long enough").ok());
    });
  }
  for (std::thread& t : threads) t.join();
  UserStore users(dir.path(), kTestCost);
  CHECK(users.List()->size() == 6);
}

TEST_CASE("a damaged users.json is reported, naming the file and what to do") {
  TempDir dir;
  UserStore users(dir.path(), kTestCost);
  std::ofstream(users.path()) << "{\"users\": [{\"name\": \"ann\"";
  Result<std::vector<User>> list = users.List();
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().code() == Status::Code::kCorruption);
  CHECK_THAT(list.status().message(), Catch::Contains("users.json") && Catch::Contains("backup"));
  CHECK_FALSE(users.Add("bob", Role::kViewer, "long enough").ok());  // nothing overwritten
}

}  // namespace
}  // namespace quire::app
