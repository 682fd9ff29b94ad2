#include "quire_process.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "temp_dir.h"

namespace quire::testing {
namespace fs = std::filesystem;

namespace {

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t Spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err,
            int64_t max_file_bytes = 0, const std::string& in = "/dev/null") {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  if (max_file_bytes > 0) {
    signal(SIGXFSZ, SIG_IGN);  // an ignored signal stays ignored across exec
    const rlimit limit{static_cast<rlim_t>(max_file_bytes), static_cast<rlim_t>(RLIM_INFINITY)};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(126);
  }
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int in_fd = open(in.c_str(), O_RDONLY);
  dup2(in_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  std::vector<char*> argv;
  std::string binary = QUIRE_BINARY;
  argv.push_back(binary.data());
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}

}  // namespace

ProcessOutput RunQuire(const std::vector<std::string>& args, const std::string& input) {
  TempDir io;
  std::ofstream(io.Sub("in"), std::ios::binary) << input;
  const pid_t pid = Spawn(args, io.Sub("out"), io.Sub("err"), 0, io.Sub("in"));
  int status = 0;
  waitpid(pid, &status, 0);
  return ProcessOutput{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(io.Sub("out")),
                       Slurp(io.Sub("err"))};
}

nlohmann::json RunQuireJson(const std::vector<std::string>& args) {
  const ProcessOutput p = RunQuire(args);
  INFO(p.err);
  REQUIRE(p.exit_code == 0);
  return nlohmann::json::parse(p.out);
}

pid_t StartQuire(const std::vector<std::string>& args, const StartOptions& options) {
  return Spawn(args, options.out_file.empty() ? "/dev/null" : options.out_file,
               options.err_file.empty() ? "/dev/null" : options.err_file, options.max_file_bytes);
}

pid_t StartServe(const std::string& archive, const std::string& err_file) {
  const pid_t server = StartQuire({"--archive", archive, "serve", "--listen", "127.0.0.1:0"},
                                  {.err_file = err_file});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadAll(archive + "/serve.json").find(std::to_string(server)) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return server;
}

std::string SampleDoc(const std::string& name) {
  return (fs::path(QUIRE_SOURCE_DIR) / "sample-docs" / name).string();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace quire::testing
