// A kube-sim process for tests, benchmarks and the demo: starts
// tools/kube-sim on 127.0.0.1 port 0, reads the URL it prints and the
// kubeconfig it writes, and stops it (SIGTERM, then SIGKILL) when it goes out
// of scope, also when its owner fails. Header-only, so tests and tools share
// it without another library.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/fleet/child_process.hpp"

namespace certmill::fleet {

class KubeSimProcess {
 public:
  // Throws std::runtime_error saying why when kube-sim does not start.
  explicit KubeSimProcess(std::string binary, std::vector<std::string> extra_args = {})
      : binary_(std::move(binary)) {
    dir_ = std::filesystem::temp_directory_path() /
           ("kube-sim-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(dir_);
    kubeconfig = (dir_ / "kubeconfig").string();
    std::vector<std::string> args = {binary_, "--listen", "127.0.0.1:0", "--write-kubeconfig",
                                     kubeconfig};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    child_ = std::make_unique<ChildProcess>(args);
    const std::string line = child_->read_line(std::chrono::seconds(20));
    const std::string prefix = "kube-sim listening on ";
    if (line.rfind(prefix, 0) != 0) {
      stop();
      throw std::runtime_error("kube-sim did not start (binary " + binary_ + "): got \"" + line +
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
  KubeSimProcess(const KubeSimProcess&) = delete;
  KubeSimProcess& operator=(const KubeSimProcess&) = delete;
  ~KubeSimProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Sends SIGTERM and waits (bounded) for a clean exit; the exit status, or
  // -1 if it had to be killed.
  int stop() { return child_ ? child_->stop() : -1; }

  const std::string& binary() const { return binary_; }
  pid_t pid() const { return child_ ? child_->pid() : -1; }

  std::string url;
  std::string token;
  std::string kubeconfig;
  unsigned short port = 0;

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }

  std::string binary_;
  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> child_;
};

}  // namespace certmill::fleet
