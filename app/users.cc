// users.json, the users of an archive:
//
//   {"version": 1,
//    "users": [{"name": "ann", "role": "viewer"|"operator"|"admin",
//               "password": "scrypt$N$r$p$SALT$HASH", "created": UNIX_SECONDS}, ...]}
//
// N, r and p are decimal. SALT is 16 random bytes in lower-case hex, and these 32 characters are
// the salt scrypt is given; HASH is scrypt's 32-byte key in lower-case hex.
#include "users.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "quire/common/file.h"

namespace quire::app {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kMaxNameBytes = 64;

std::string Hex(const unsigned char* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

// scrypt's key for `password`, in hex.
std::optional<std::string> Scrypt(std::string_view password, std::string_view salt,
                                  const ScryptCost& cost) {
  // OpenSSL refuses a cost above `maxmem` (default 32 MiB, just below what N = 2^15 needs).
  const uint64_t maxmem = 2 * 128 * cost.r * (cost.n + cost.p);
  unsigned char key[kHashBytes];
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), cost.n,
                     cost.r, cost.p, maxmem, key, sizeof(key)) != 1) {
    return std::nullopt;
  }
  return Hex(key, sizeof(key));
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string_view::npos; start = at + 1) {
    parts.push_back(text.substr(start, at - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::optional<uint64_t> Decimal(std::string_view text) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::stoull(std::string(text));
}

nlohmann::json ToJson(const std::vector<User>& users) {
  nlohmann::json list = nlohmann::json::array();
  for (const User& u : users) {
    list.push_back({{"name", u.name},
                    {"role", RoleName(u.role)},
                    {"password", u.password_hash},
                    {"created", u.created}});
  }
  return {{"version", 1}, {"users", std::move(list)}};
}

Result<std::vector<User>> UsersFromJson(const std::string& path, const std::string& text) {
  const std::string damaged = path + " is damaged (";
  const std::string fix = "); restore it from a backup, or remove it and add the users again";
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    std::vector<User> users;
    for (const nlohmann::json& u : j.at("users")) {
      const std::optional<Role> role = ParseRole(u.at("role").get<std::string>());
      if (!role) return Status::Corruption(damaged + "unknown role " + u.at("role").dump() + fix);
      users.push_back(User{u.at("name").get<std::string>(), *role,
                           u.at("password").get<std::string>(), u.value("created", int64_t{0})});
    }
    return users;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(damaged + e.what() + fix);
  }
}

// An exclusive flock on a file, held while the object lives.
class FileLock {
 public:
  static Result<std::unique_ptr<FileLock>> Acquire(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::IoError(path + ": cannot open (" + std::strerror(errno) +
                             "); check the archive folder's permissions");
    }
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      return Status::IoError(path + ": cannot lock (" + reason + ")");
    }
    return std::unique_ptr<FileLock>(new FileLock(fd));
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  const int fd_;
};

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kOperator: return "operator";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
    if (name == RoleName(role)) return role;
  }
  return std::nullopt;
}

bool Allows(Role have, Role need) { return static_cast<int>(have) >= static_cast<int>(need); }

Status CheckNewPassword(std::string_view password) {
  if (password.empty()) {
    return Status::InvalidArgument("the password is empty; give one of at least " +
                                   std::to_string(kMinPasswordLength) + " characters");
  }
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument("the password is too short: give at least " +
                                   std::to_string(kMinPasswordLength) + " characters");
  }
  return Status::Ok();
}

Status CheckUserName(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= kMaxNameBytes &&
                  std::all_of(name.begin(), name.end(), [](unsigned char c) {
                    return std::isalnum(c) || (c != '\0' && std::strchr("._-@", c) != nullptr);
                  });
  if (ok) return Status::Ok();
  return Status::InvalidArgument("user name '" + name +
                                 "' is not allowed: use 1 to 64 ASCII letters, digits and . _ - @");
}

Result<std::string> RandomHex(size_t bytes) {
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(bytes)) != 1) {
    return Status::IoError("cannot draw random bytes (OpenSSL RAND_bytes)");
  }
  return Hex(random.data(), bytes);
}

Result<std::string> HashPassword(std::string_view password, const ScryptCost& cost) {
  QUIRE_ASSIGN_OR_RETURN(std::string salt, RandomHex(kSaltBytes));
  const std::optional<std::string> hash = Scrypt(password, salt, cost);
  if (!hash) return Status::IoError("cannot hash the password (OpenSSL scrypt; out of memory?)");
  return "scrypt$" + std::to_string(cost.n) + "$" + std::to_string(cost.r) + "$" +
         std::to_string(cost.p) + "$" + salt + "$" + *hash;
}

bool PasswordMatches(std::string_view password, std::string_view stored) {
  const std::vector<std::string_view> parts = Split(stored, '$');
  if (parts.size() != 6 || parts[0] != "scrypt" || parts[4].empty()) return false;
  const std::optional<uint64_t> n = Decimal(parts[1]), r = Decimal(parts[2]), p = Decimal(parts[3]);
  const std::string_view expected = parts[5];
  if (!n || !r || !p || expected.size() != 2 * kHashBytes) return false;
  const std::optional<std::string> hash = Scrypt(password, parts[4], ScryptCost{*n, *r, *p});
  return hash && CRYPTO_memcmp(hash->data(), expected.data(), expected.size()) == 0;
}

UserStore::UserStore(std::string archive_dir, ScryptCost cost)
    : dir_(std::move(archive_dir)), path_(dir_ + "/users.json"), cost_(cost) {}

Result<std::vector<User>> UserStore::Current() const {
  struct stat st {};
  FileVersion now;  // stays "none" when the file does not exist
  if (::stat(path_.c_str(), &st) == 0) {
    now = FileVersion{static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                      static_cast<int64_t>(st.st_size), static_cast<uint64_t>(st.st_ino)};
  } else if (errno != ENOENT) {
    return Status::IoError(path_ + ": cannot read (" + std::strerror(errno) + ")");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (now == version_) return users_;
  std::vector<User> users;
  if (now.size >= 0) {
    QUIRE_ASSIGN_OR_RETURN(std::string text, ReadFile(path_));
    QUIRE_ASSIGN_OR_RETURN(std::vector<User> parsed, UsersFromJson(path_, text));
    users = std::move(parsed);
  }
  version_ = now;
  users_ = users;
  return users;
}

Status UserStore::Modify(const std::function<Status(std::vector<User>&)>& change) {
  QUIRE_ASSIGN_OR_RETURN(std::unique_ptr<FileLock> lock, FileLock::Acquire(path_ + ".lock"));
  QUIRE_ASSIGN_OR_RETURN(std::vector<User> users, Current());
  QUIRE_RETURN_IF_ERROR(change(users));
  std::sort(users.begin(), users.end(),
            [](const User& a, const User& b) { return a.name < b.name; });
  return WriteFileAtomically(path_, ToJson(users).dump(2) + "\n", 0600);
}

Status UserStore::Add(const std::string& name, Role role, std::string_view password) {
  QUIRE_RETURN_IF_ERROR(CheckUserName(name));
  QUIRE_RETURN_IF_ERROR(CheckNewPassword(password));
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    return Status::IoError(dir_ + ": cannot create the archive folder (" + ec.message() + ")");
  }
  return Modify([&](std::vector<User>& users) -> Status {
    for (const User& u : users) {
      if (u.name == name) {
        return Status::InvalidArgument("user " + name + " exists (" + RoleName(u.role) +
                                       "); to give a new password or role, remove it first: "
                                       "quire user remove " +
                                       name);
      }
    }
    QUIRE_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, cost_));
    users.push_back(User{name, role, std::move(hash), static_cast<int64_t>(std::time(nullptr))});
    return Status::Ok();
  });
}

Status UserStore::Remove(const std::string& name) {
  const Status no_such_user =
      Status::NotFound("there is no user " + name + "; see them with: quire user list");
  if (!std::filesystem::is_directory(dir_)) return no_such_user;
  return Modify([&](std::vector<User>& users) -> Status {
    const auto it =
        std::find_if(users.begin(), users.end(), [&](const User& u) { return u.name == name; });
    if (it == users.end()) return no_such_user;
    users.erase(it);
    return Status::Ok();
  });
}

Result<std::vector<User>> UserStore::List() const { return Current(); }

Result<std::optional<User>> UserStore::Find(const std::string& name) const {
  QUIRE_ASSIGN_OR_RETURN(std::vector<User> users, Current());
  for (User& u : users) {
    if (u.name == name) return std::optional<User>(std::move(u));
  }
  return std::optional<User>();
}

Status UserStore::CopyTo(const std::string& dest) const {
  std::error_code error;
  if (!std::filesystem::exists(path_, error)) return Status::Ok();
  QUIRE_ASSIGN_OR_RETURN(std::string contents, ReadFile(path_));
  return WriteFileAtomically((std::filesystem::path(dest) / "users.json").string(), contents, 0600);
}

}  // namespace quire::app
