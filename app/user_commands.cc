// user add, list, remove: the people who may use the archive through `quire serve`. They work on
// ARCHIVE/users.json alone, never open the database, and so run beside a server.
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <iterator>

#include "commands.h"
#include "users.h"

namespace quire::app {
namespace {

// The terminal's settings while a password is typed with echo off, restored on Ctrl-C too.
termios saved_terminal;

void RestoreTerminalAndExit(int signal) {
  tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// One line typed on the terminal after `prompt` (on stderr), without echo.
std::string ReadHidden(const char* prompt) {
  tcgetattr(STDIN_FILENO, &saved_terminal);
  termios hidden = saved_terminal;
  hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  const auto previous = std::signal(SIGINT, RestoreTerminalAndExit);
  tcsetattr(STDIN_FILENO, TCSANOW, &hidden);
  std::cerr << prompt << std::flush;  // after echo is off: what is typed at once stays hidden
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
  std::signal(SIGINT, previous);
  std::cerr << "\n";
  return line;
}

Result<std::string> ReadNewPassword(const std::string& name, bool from_stdin) {
  if (from_stdin) {
    std::string password{std::istreambuf_iterator<char>(std::cin),
                         std::istreambuf_iterator<char>()};
    if (password.ends_with('\n')) password.pop_back();  // what `echo` and a here-string add
    if (password.ends_with('\r')) password.pop_back();
    return password;
  }
  if (!isatty(STDIN_FILENO)) {
    return Status::InvalidArgument(
        "no terminal to ask for the password on; give it on standard input with "
        "--password-stdin");
  }
  const std::string password = ReadHidden(("Password for " + name + ": ").c_str());
  QUIRE_RETURN_IF_ERROR(CheckNewPassword(password));
  if (ReadHidden("The same password again: ") != password) {
    return Status::InvalidArgument("the two passwords differ; nothing was changed, try again");
  }
  return password;
}

// The store takes a folder that holds files but no database for something else's, so a new
// archive is created before its users.json. An existing one is left alone: a server may own it.
Status CreateArchiveIfMissing(const GlobalOptions& global) {
  std::error_code error;
  const std::string path = ArchivePath(global);
  if (std::filesystem::exists(path, error) && !std::filesystem::is_empty(path, error)) {
    return Status::Ok();
  }
  return OpenArchive(global, /*read_only=*/false).status();
}

}  // namespace

int RunUserAdd(const GlobalOptions& global, const std::string& name, const std::string& role,
               bool password_stdin) {
  const std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    return ReportError(
        Status::InvalidArgument("role '" + role + "' is unknown: give viewer, operator or admin"));
  }
  if (Status s = CheckUserName(name); !s.ok()) return ReportError(s);
  Result<std::string> password = ReadNewPassword(name, password_stdin);
  if (!password.ok()) return ReportError(password.status());
  if (Status s = CheckNewPassword(*password); !s.ok()) return ReportError(s);
  if (Status s = CreateArchiveIfMissing(global); !s.ok()) return ReportError(s);
  UserStore users(ArchivePath(global));
  if (Status s = users.Add(name, *parsed, *password); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson({{"name", name}, {"role", RoleName(*parsed)}});
  } else {
    std::cout << "user " << name << " added as " << RoleName(*parsed) << "\n";
  }
  return kExitOk;
}

int RunUserList(const GlobalOptions& global) {
  UserStore users(ArchivePath(global));
  Result<std::vector<User>> list = users.List();
  if (!list.ok()) return ReportError(list.status());
  if (global.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const User& u : *list) {
      j.push_back({{"name", u.name}, {"role", RoleName(u.role)}, {"created", IsoTime(u.created)}});
    }
    PrintJson({{"users", std::move(j)}});
    return kExitOk;
  }
  if (list->empty()) {
    std::cerr << "no users yet; add the first with: quire user add NAME --role admin\n";
  }
  size_t width = 0;
  for (const User& u : *list) width = std::max(width, u.name.size());
  for (const User& u : *list) {
    std::cout << std::left << std::setw(static_cast<int>(width)) << u.name << "  " << std::setw(8)
              << RoleName(u.role) << "  added " << IsoTime(u.created) << "\n";
  }
  return kExitOk;
}

int RunUserRemove(const GlobalOptions& global, const std::string& name) {
  UserStore users(ArchivePath(global));
  if (Status s = users.Remove(name); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson({{"removed", name}});
  } else {
    std::cout << "user " << name << " removed; their sessions end now\n";
  }
  return kExitOk;
}

}  // namespace quire::app
