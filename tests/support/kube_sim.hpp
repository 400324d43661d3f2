// Test fixture: starts tools/kube-sim on 127.0.0.1 port 0, reads the URL it
// prints and the kubeconfig it writes, and stops it (SIGTERM, then SIGKILL)
// when the fixture goes out of scope, also when the test fails.
#pragma once

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace certmill::test {

class KubeSim {
 public:
  explicit KubeSim(std::vector<std::string> extra_args = {}) {
    dir_ = std::filesystem::temp_directory_path() /
           ("kube-sim-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(dir_);
    kubeconfig = (dir_ / "kubeconfig").string();
    std::vector<std::string> args = {binary(), "--listen", "127.0.0.1:0", "--write-kubeconfig",
                                     kubeconfig};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int out[2];
    if (::pipe(out) != 0)
      throw std::runtime_error("kube-sim fixture: pipe failed");
    pid_ = ::fork();
    if (pid_ < 0)
      throw std::runtime_error("kube-sim fixture: fork failed");
    if (pid_ == 0) {
      // If the test dies without running its destructors, kube-sim dies too:
      // an orphan would hold the test's output pipe and hang ctest.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    const std::string line = read_line(std::chrono::seconds(20));
    const std::string prefix = "kube-sim listening on ";
    if (line.rfind(prefix, 0) != 0) {
      stop();
      throw std::runtime_error("kube-sim did not start (binary " + binary() + "): got \"" + line +
                               "\" on stdout");
    }
    url = line.substr(prefix.size());
    port = static_cast<unsigned short>(std::stoul(url.substr(url.rfind(':') + 1)));
    std::ifstream in(kubeconfig);
    std::string l;
    while (std::getline(in, l)) {
      auto pos = l.find("token: ");
      if (pos != std::string::npos)
        token = l.substr(pos + 7);
    }
    if (token.empty()) {
      stop();
      throw std::runtime_error("kube-sim wrote no token into " + kubeconfig);
    }
  }
  KubeSim(const KubeSim&) = delete;
  KubeSim& operator=(const KubeSim&) = delete;
  ~KubeSim() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Sends SIGTERM and waits (bounded) for a clean exit; the exit status, or
  // -1 if it had to be killed.
  int stop() {
    if (pid_ <= 0)
      return exit_status_;
    ::kill(pid_, SIGTERM);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
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

  static std::string binary() {
    if (const char* b = std::getenv("KUBE_SIM_BINARY"))
      return b;
    return std::string(CERTMILL_BINARY_DIR) + "/tools/kube-sim/kube-sim";
  }

  std::string url;
  std::string token;
  std::string kubeconfig;
  unsigned short port = 0;

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }

  std::string read_line(std::chrono::seconds bound) {
    std::string line;
    const auto give_up = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < give_up) {
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

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int out_ = -1;
  int exit_status_ = -1;
};

}  // namespace certmill::test
