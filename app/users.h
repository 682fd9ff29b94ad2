// Users and roles: who may use a served archive, and what each may do.
//
// An archive's users are kept beside its database in ARCHIVE/users.json (see users.cc for the
// format), mode 0600, replaced atomically on each change. Changes (`quire user add`, `remove`)
// read, change and write the file under an exclusive flock on ARCHIVE/users.json.lock, so two of
// them at once both land. Nothing else locks it: a server reads the file as it is, and sees a
// change at its next lookup (it compares the file's modification time, size and inode), so users
// are managed beside a running server without talking to it.
//
// Passwords are kept only as scrypt hashes (RFC 7914, OpenSSL), each with its own random salt and
// its cost parameters, so the cost can be raised later without invalidating stored hashes.
//
// Thread safety: a UserStore may be used from several threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quire/common/status.h"

namespace quire::app {

// What a person may do (DESIGN.md, "HTTP API"): a viewer reads and searches; an operator also
// uploads, scans, reviews, corrects and tags; an admin also deletes, manages users and backs up.
enum class Role { kViewer, kOperator, kAdmin };

// "viewer", "operator", "admin".
const char* RoleName(Role role);
// The inverse of RoleName; nullopt for anything else.
std::optional<Role> ParseRole(std::string_view name);
// Whether a person with role `have` may do what needs `need`: each role may do all that the
// roles below it may.
bool Allows(Role have, Role need);

// scrypt's cost: N (CPU and memory, a power of two), r (block size), p (parallelism). One hash
// takes 128 * N * r bytes of memory.
struct ScryptCost {
  uint64_t n = 0;
  uint64_t r = 0;
  uint64_t p = 0;
};

// N = 2^15, r = 8, p = 1: 32 MiB and about a tenth of a second per hash on one core, the cost
// RFC 7914 names for interactive logins. A guesser pays the same per try, and memory-hard means
// GPUs gain little. OWASP's 2^17 (128 MiB) would let a few concurrent logins take most of a small
// server's memory (each runs on a pool thread); raise N as machines grow: stored hashes keep
// their own cost and go on working.
inline constexpr ScryptCost kDefaultScryptCost{1 << 15, 8, 1};

// Passwords shorter than this are refused (NIST SP 800-63B's minimum).
inline constexpr size_t kMinPasswordLength = 8;

// OK, or InvalidArgument saying what a password needs.
Status CheckNewPassword(std::string_view password);

// OK, or InvalidArgument for a user name that is empty, longer than 64 bytes or has characters
// other than ASCII letters, digits and . _ - @.
Status CheckUserName(const std::string& name);

// `bytes` random bytes (OpenSSL RAND_bytes) in lower-case hex: password salts, session tokens.
// IoError when OpenSSL cannot draw them.
Result<std::string> RandomHex(size_t bytes);

// "scrypt$N$r$p$SALT$HASH" (salt 16 random bytes and hash 32 bytes, in hex). IoError when
// OpenSSL fails (out of memory).
Result<std::string> HashPassword(std::string_view password,
                                 const ScryptCost& cost = kDefaultScryptCost);

// Whether `password` hashes to `stored` (a HashPassword result) with the salt and cost stored in
// it; the comparison takes the same time wherever the hashes differ. False for a malformed
// `stored`.
bool PasswordMatches(std::string_view password, std::string_view stored);

struct User {
  std::string name;
  Role role = Role::kViewer;
  std::string password_hash;  // HashPassword's form
  int64_t created = 0;        // Unix time, seconds
};

class UserStore {
 public:
  // The users of the archive in the folder `archive_dir`. Nothing is read until needed.
  explicit UserStore(std::string archive_dir, ScryptCost cost = kDefaultScryptCost);

  UserStore(const UserStore&) = delete;
  UserStore& operator=(const UserStore&) = delete;

  // Adds a user, creating the archive folder and users.json when missing. InvalidArgument for a
  // name CheckUserName refuses, a password CheckNewPassword refuses, or a name already taken;
  // IoError when the file cannot be written.
  Status Add(const std::string& name, Role role, std::string_view password);

  // Removes a user; their sessions end at their next use. NotFound when there is no such user.
  Status Remove(const std::string& name);

  // Every user, by name; empty when users.json does not exist. Corruption when it is damaged.
  Result<std::vector<User>> List() const;

  // The user named `name`, or nullopt; reads users.json again when it changed since last read.
  Result<std::optional<User>> Find(const std::string& name) const;

  // Copies users.json, as it is, into the archive folder `dest` (a backup); nothing when there
  // are no users.
  Status CopyTo(const std::string& dest) const;

  // ARCHIVE/users.json
  const std::string& path() const { return path_; }
  // The cost new passwords are hashed with.
  const ScryptCost& cost() const { return cost_; }

 private:
  // What identifies one version of users.json: a change replaces the file (a new inode).
  struct FileVersion {
    int64_t mtime_ns = -1;
    int64_t size = -1;
    uint64_t inode = 0;
    bool operator==(const FileVersion&) const = default;
  };

  Result<std::vector<User>> Current() const;
  // Reads users.json, lets `change` edit the users and writes them back, under the lock.
  Status Modify(const std::function<Status(std::vector<User>&)>& change);

  const std::string dir_;
  const std::string path_;
  const ScryptCost cost_;

  mutable std::mutex mu_;
  mutable FileVersion version_;      // guarded by mu_
  mutable std::vector<User> users_;  // guarded by mu_: as of version_
};

}  // namespace quire::app
