// Runs the built `quire` program as a user would, for end-to-end tests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace quire::testing {

struct ProcessOutput {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs QUIRE_BINARY with `args` and waits for it; its standard input is `input` (a file, not a
// terminal).
ProcessOutput RunQuire(const std::vector<std::string>& args, const std::string& input = "");

// Runs QUIRE_BINARY with `args` (a --json command), REQUIREs that it succeeds (showing its stderr
// when not) and returns what it printed.
nlohmann::json RunQuireJson(const std::vector<std::string>& args);

// How StartQuire runs the program.
struct StartOptions {
  // The file its stderr goes to. Default: empty, stderr is discarded.
  std::string err_file;
  // RLIMIT_FSIZE for the process, in bytes, with SIGXFSZ ignored, so that writing a file past it
  // fails with EFBIG as on a full disk (only the process is limited, not the disk). Default: 0,
  // no limit.
  int64_t max_file_bytes = 0;
  // The file its stdout goes to. Default: empty, stdout is discarded.
  std::string out_file = {};
};

// Starts QUIRE_BINARY with `args` without waiting. Returns the pid.
pid_t StartQuire(const std::vector<std::string>& args, const StartOptions& options = {});

// Starts `quire serve` for `archive` on a free loopback port, its stderr to `err_file`, and waits
// until its serve.json names it (at most 30 s). Returns the pid.
pid_t StartServe(const std::string& archive, const std::string& err_file);

// A file of sample-docs/ by name.
std::string SampleDoc(const std::string& name);

// The bytes of the file at `path`; empty when it cannot be read.
std::string ReadAll(const std::string& path);

}  // namespace quire::testing
