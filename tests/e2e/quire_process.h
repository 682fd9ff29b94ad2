// Runs the built `quire` program as a user would, for end-to-end tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace quire::testing {

struct ProcessOutput {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs QUIRE_BINARY with `args` and waits for it.
ProcessOutput RunQuire(const std::vector<std::string>& args);

// Starts QUIRE_BINARY with `args` without waiting; output is discarded. Returns the pid.
pid_t StartQuire(const std::vector<std::string>& args);

// A file of sample-docs/ by name.
std::string SampleDoc(const std::string& name);

}  // namespace quire::testing
