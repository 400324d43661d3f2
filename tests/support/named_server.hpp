// Test fixture: Debian's BIND (named) on a free loopback port as an
// unprivileged foreground process (no -u: it keeps the test's user) with its
// own config, zone and keys in a scratch directory. It is primary for
// `example.test` and accepts RFC 2136 updates signed with any of four TSIG
// keys, one per algorithm cert-manager offers, each with a random secret.
// Stopped when the test ends; if it cannot start, the constructor throws
// with its log. `dig` reads the zone back and `nsupdate` writes it as
// independent peers. Options add records to `example.test` (CNAMEs for the
// DNS-01 propagation check), more primary zones served and updated alike,
// zones that refuse updates, and more nameservers for the zones. Header-only.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <netinet/in.h>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/base64.hpp"
#include "tests/support/openssl_cli.hpp"
#include "tools/fleet/child_process.hpp"

namespace certmill::test {

struct NamedKey {
  std::string name = {};
  std::string bind_algorithm = {};  // BIND's name, e.g. hmac-sha256
  std::string cert_manager_algorithm = {};
  std::string secret = {};  // base64
};

struct NamedOptions {
  std::string example_records = {};          // zone-file lines added to example.test
  std::vector<std::string> more_zones = {};  // with the same NS, keys and updates
  // Zones served alike but with no allow-update: every UPDATE is REFUSED.
  std::vector<std::string> read_only_zones = {};
  // The zones' nameservers (ns, ns2, ...), each an A record: a second
  // server listed here is asked by the propagation check too (named itself
  // listens on 127.0.0.1 only: see udp_relay.hpp).
  std::vector<std::string> ns_addresses = {"127.0.0.1"};
  // Answers recursive queries too, as the CA's resolver does: a CNAME into
  // another zone it serves then comes with the target's records.
  bool recursion = false;
};

class NamedServer {
 public:
  static constexpr const char* kNamed = "/usr/sbin/named";
  static constexpr const char* kDig = "/usr/bin/dig";
  static constexpr const char* kNsupdate = "/usr/bin/nsupdate";
  static constexpr const char* kZone = "example.test";

  explicit NamedServer(NamedOptions options = {}) : zones_{kZone} {
    for (const char* binary : {kNamed, kDig, kNsupdate})
      if (!std::filesystem::exists(binary))
        throw std::runtime_error(std::string(binary) +
                                 " is missing: install Debian's bind9 and bind9-dnsutils: "
                                 "tools/install-deps");
    std::random_device random;
    for (const auto& [name, algorithm, cert_manager] :
         {std::tuple{"acme-md5", "hmac-md5", "HMACMD5"},
          std::tuple{"acme-sha1", "hmac-sha1", "HMACSHA1"},
          std::tuple{"acme-sha256", "hmac-sha256", "HMACSHA256"},
          std::tuple{"acme-sha512", "hmac-sha512", "HMACSHA512"}}) {
      std::string secret(32, '\0');
      for (char& c : secret)
        c = static_cast<char>(random());
      keys.push_back({name, algorithm, cert_manager, base64_encode(secret)});
    }
    std::string apex = "$TTL 60\n@ IN SOA ns.example.test. admin.example.test. 1 60 60 600 60\n";
    for (std::size_t i = 0; i < options.ns_addresses.size(); ++i)
      apex += "@ IN NS " + ns_name(i) + ".example.test.\n";
    std::string glue;
    for (std::size_t i = 0; i < options.ns_addresses.size(); ++i)
      glue += ns_name(i) + " IN A " + options.ns_addresses[i] + "\n";
    dir_.write(std::string(kZone) + ".zone", apex + glue + options.example_records);
    for (const std::string& zone : options.more_zones) {
      dir_.write(zone + ".zone", apex);
      zones_.push_back(zone);
    }
    recursion_ = options.recursion;
    for (const std::string& zone : options.read_only_zones) {
      dir_.write(zone + ".zone", apex);
      read_only_zones_.push_back(zone);
    }
    // A port found free may be taken before named binds it (tests run side
    // by side): then named starts again on another.
    std::string why;
    for (int attempt = 0; attempt < 3; ++attempt) {
      port = free_dual_port();
      dir_.write("named.conf", config());
      named_ = std::make_unique<fleet::ChildProcess>(
          std::vector<std::string>{"/bin/sh", "-c",
                                   std::string("exec ") + kNamed + " -g -c '" +
                                       dir_.path("named.conf") + "' -p " + std::to_string(port) +
                                       " >'" + dir_.path("named.log") + "' 2>&1"},
          false);
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (std::chrono::steady_clock::now() < give_up) {
        if (!dig("SOA", kZone).empty())
          return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      named_->stop();
      why = log();
    }
    throw std::runtime_error("named did not answer for " + std::string(kZone) + " on " + address +
                             ":" + std::to_string(port) + "; its log:\n" + why);
  }

  // `dig +short` of one type and name on this server, one line per record.
  std::vector<std::string> dig(const std::string& type, const std::string& name) const {
    const std::string command = std::string(kDig) + " @" + address + " -p " + std::to_string(port) +
                                " +short +tries=1 +time=2 " + type + " " + name + " 2>&1";
    std::vector<std::string> lines;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      char buffer[4096];
      while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
        std::string line(buffer);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
          line.pop_back();
        if (!line.empty() && !line.starts_with(";;"))
          lines.push_back(line);
      }
      ::pclose(pipe);
    }
    return lines;
  }

  // The TXT values of `name`, unquoted.
  std::set<std::string> txt(const std::string& name) const {
    std::set<std::string> values;
    for (std::string line : dig("TXT", name)) {
      if (line.size() >= 2 && line.front() == '"' && line.back() == '"')
        line = line.substr(1, line.size() - 2);
      values.insert(line);
    }
    return values;
  }

  std::string log() const {
    std::ifstream in(dir_.path("named.log"));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // Adds `value` to the TXT records of `name` with nsupdate, an independent
  // peer, signed with this server's HMAC-SHA256 key; true when it succeeded.
  bool nsupdate_add(const std::string& name, const std::string& value) const {
    const NamedKey& key = keys[2];
    const std::string script = dir_.write(
        "nsupdate.txt", "server " + address + " " + std::to_string(port) + "\nkey " +
                            key.bind_algorithm + ":" + key.name + " " + key.secret +
                            "\nupdate add " + name + " 60 TXT \"" + value + "\"\nsend\n");
    return std::system((std::string(kNsupdate) + " '" + script + "' >/dev/null 2>&1").c_str()) == 0;
  }

  const std::string address = "127.0.0.1";
  unsigned short port = 0;
  std::vector<NamedKey> keys;

 private:
  static std::string ns_name(std::size_t i) { return i == 0 ? "ns" : "ns" + std::to_string(i + 1); }

  std::string config() const {
    std::string text = "options {\n  directory \"" + dir_.path("") +
                       "\";\n"
                       "  listen-on port " +
                       std::to_string(port) + " { " + address +
                       "; };\n"
                       "  listen-on-v6 { none; };\n"
                       "  recursion " +
                       std::string(recursion_ ? "yes; allow-recursion { 127.0.0.1; }" : "no") +
                       ";\n"
                       "  lock-file none;\n"
                       "  dnssec-validation no;\n"
                       "  pid-file \"" +
                       dir_.path("named.pid") +
                       "\";\n"
                       "  session-keyfile \"" +
                       dir_.path("session.key") +
                       "\";\n"
                       "  managed-keys-directory \"" +
                       dir_.path("") + "\";\n};\ncontrols { };\n";
    std::string allowed;
    for (const NamedKey& key : keys) {
      text += "key \"" + key.name + "\" { algorithm " + key.bind_algorithm + "; secret \"" +
              key.secret + "\"; };\n";
      allowed += " key " + key.name + ";";
    }
    for (const std::string& zone : zones_)
      text += "zone \"" + zone + "\" { type primary; file \"" + dir_.path(zone + ".zone") +
              "\"; allow-update {" + allowed + " }; };\n";
    for (const std::string& zone : read_only_zones_)
      text +=
          "zone \"" + zone + "\" { type primary; file \"" + dir_.path(zone + ".zone") + "\"; };\n";
    return text;
  }

  // A loopback port free for both TCP and UDP (named listens on both).
  static unsigned short free_dual_port() {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t length = sizeof address;
      const bool bound = tcp >= 0 &&
                         ::bind(tcp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                         ::getsockname(tcp, reinterpret_cast<sockaddr*>(&address), &length) == 0;
      if (tcp >= 0)
        ::close(tcp);
      if (!bound)
        continue;
      const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
      const bool free =
          udp >= 0 && ::bind(udp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      if (udp >= 0)
        ::close(udp);
      if (free)
        return ntohs(address.sin_port);
    }
    throw std::runtime_error("cannot pick a loopback port free for TCP and UDP");
  }

  ScratchDir dir_;
  std::vector<std::string> zones_;
  std::vector<std::string> read_only_zones_;
  bool recursion_ = false;
  std::unique_ptr<fleet::ChildProcess> named_;
};

}  // namespace certmill::test
