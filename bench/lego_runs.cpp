// Starting lego processes, reaping them, and what each cost.
#include "bench/lego_runs.hpp"

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace certmill::bench {
namespace {

// One lego run for one name: its process, started with its output in `log`.
struct LegoRun {
  pid_t pid = -1;
  std::string name;
  std::string log;
  Clock::time_point started;
};

LegoRun start_lego(const std::vector<std::string>& argv, const std::string& ca_file,
                   const std::optional<DnsSetup>& dns, std::string name, std::string log) {
  LegoRun run{-1, std::move(name), std::move(log), Clock::now()};
  run.pid = ::fork();
  if (run.pid < 0)
    throw std::runtime_error("starting lego: fork failed");
  if (run.pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int fd = ::open(run.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::setenv("LEGO_CA_CERTIFICATES", ca_file.c_str(), 1);
    if (dns) {
      // lego's rfc2136 provider, configured as its documentation says.
      ::setenv("RFC2136_NAMESERVER", ("127.0.0.1:" + std::to_string(dns->port)).c_str(), 1);
      ::setenv("RFC2136_TSIG_KEY", (dns->key.name + ".").c_str(), 1);
      ::setenv("RFC2136_TSIG_ALGORITHM", (dns->key.bind_algorithm + ".").c_str(), 1);
      ::setenv("RFC2136_TSIG_SECRET", dns->key.secret.c_str(), 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return run;
}

std::string tail_of(const std::string& path, std::size_t bytes = 1500) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

std::vector<std::string> lego_argv(const LegoSetup& s, const std::string& name, bool webroot) {
  std::vector<std::string> argv{
      s.binary,    "--server", s.server, "--accept-tos", "--email",    "bench@example.com",
      "--domains", name,       "--path", s.path,         "--key-type", "ec256"};
  if (s.wildcard)
    argv.insert(argv.end(), {"--domains", "*." + name});
  if (s.dns) {
    // lego's own check asks every authoritative server on port 53, where
    // nothing listens on this machine: it is turned off, and lego waits
    // only for its recursive lookup through BIND (and its own pauses).
    argv.insert(argv.end(), {"--dns", "rfc2136", "--dns.resolvers",
                             "127.0.0.1:" + std::to_string(s.dns->port), "--dns.disable-cp"});
  } else if (webroot) {
    argv.insert(argv.end(), {"--http", "--http.webroot", s.webroot});
  } else {
    argv.insert(argv.end(), {"--http", "--http.port", "127.0.0.1:" + std::to_string(s.http_port)});
  }
  argv.push_back("run");
  return argv;
}

}  // namespace

// Issues every name with lego: the first run alone (it registers the
// account), then up to `parallel` at once. Stops at the first failed run.
LegoResult run_lego(const LegoSetup& s, const std::vector<std::string>& names,
                    const std::string& logs) {
  LegoResult result;
  const bool webroot = s.parallel > 1 && !s.dns;
  const auto start = Clock::now();
  const auto give_up = start + s.bound;
  std::vector<LegoRun> running;
  std::size_t next = 0, done = 0;
  auto next_report = Clock::now();
  while (done < names.size()) {
    // The first run registers the account alone; then fill the slots.
    const std::size_t slots = done == 0 ? 1 : s.parallel;
    while (next < names.size() && running.size() < slots) {
      running.push_back(start_lego(lego_argv(s, names[next], webroot), s.ca_file, s.dns,
                                   names[next], logs + "/" + names[next] + ".log"));
      ++next;
    }
    bool reaped = false;
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      rusage usage{};
      const pid_t r = ::wait4(it->pid, &status, WNOHANG, &usage);
      const bool overdue = Clock::now() - it->started > s.per_run_bound || Clock::now() > give_up;
      if (r == 0 && !overdue) {
        ++it;
        continue;
      }
      if (r == 0) {
        ::kill(it->pid, SIGKILL);
        ::wait4(it->pid, &status, 0, &usage);
      }
      const double run_s = seconds_since(it->started);
      result.cpu_seconds +=
          static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
      result.peak_rss_mib =
          std::max(result.peak_rss_mib, static_cast<double>(usage.ru_maxrss) / 1024.0);
      result.slowest_run_s = std::max(result.slowest_run_s, run_s);
      if (done == 0)
        result.first_run_s = run_s;
      if (r == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench_acme: lego for %s %s after %.1f s; the end of its log:\n%s\n",
                     it->name.c_str(), r == 0 ? "was killed (over its time)" : "failed", run_s,
                     tail_of(it->log).c_str());
        for (auto& other : running) {
          if (other.pid != it->pid) {
            ::kill(other.pid, SIGKILL);
            ::waitpid(other.pid, nullptr, 0);
          }
        }
        return result;
      }
      ++done;
      reaped = true;
      it = running.erase(it);
    }
    if (Clock::now() >= next_report) {
      std::fprintf(stderr, "  lego: issued %zu/%zu (%.0f s)\n", done, names.size(),
                   seconds_since(start));
      next_report += std::chrono::seconds(5);
    }
    if (!reaped)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.seconds = seconds_since(start);
  result.ok = true;
  return result;
}

}  // namespace certmill::bench
