// A child process for tests, benchmarks and the demo: its stdout read line
// by line with a deadline, stopped with SIGTERM (then SIGKILL) when it goes
// out of scope, and killed by the kernel if its parent dies first, so an
// orphan never holds a pipe open and hangs a test run. Header-only, so tests
// and tools share it without another library.
#pragma once

#include <chrono>
#include <csignal>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace certmill::fleet {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with its arguments; throws std::runtime_error
  // when it cannot be started. `capture_stdout` false leaves stdout shared.
  explicit ChildProcess(std::vector<std::string> argv, bool capture_stdout = true) {
    int out[2] = {-1, -1};
    if (capture_stdout && ::pipe(out) != 0)
      throw std::runtime_error("starting " + argv.at(0) + ": pipe failed");
    pid_ = ::fork();
    if (pid_ < 0)
      throw std::runtime_error("starting " + argv.at(0) + ": fork failed");
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (capture_stdout) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
      }
      std::vector<char*> args;
      for (auto& a : argv)
        args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    if (capture_stdout) {
      ::close(out[1]);
      out_ = out[0];
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { stop(); }

  pid_t pid() const { return pid_; }

  // The next line of its stdout, without the newline; what was read so far
  // when `bound` passes or the stream ends.
  std::string read_line(std::chrono::milliseconds bound) {
    std::string line;
    const auto give_up = std::chrono::steady_clock::now() + bound;
    while (out_ >= 0 && std::chrono::steady_clock::now() < give_up) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0)
        continue;
      char c;
      if (::read(out_, &c, 1) != 1)
        break;
      if (c == '\n')
        return line;
      line += c;
    }
    return line;
  }

  // Sends SIGTERM and waits (bounded) for a clean exit; the exit status, or
  // -1 if it had to be killed.
  int stop(std::chrono::seconds grace = std::chrono::seconds(10)) {
    if (pid_ <= 0)
      return exit_status_;
    ::kill(pid_, SIGTERM);
    const auto give_up = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (true) {
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      if (std::chrono::steady_clock::now() > give_up) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        exit_status_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    if (out_ >= 0)
      ::close(out_);
    out_ = -1;
    return exit_status_;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_status_ = -1;
};

}  // namespace certmill::fleet
