// Test fixture: Debian's Pebble (Let's Encrypt's test CA) on loopback ports it
// picks, with a generated HTTPS certificate for 127.0.0.1 and a generated JSON
// config, stopped when the test ends, also when it fails. Its root and
// intermediate come from the management API. The openssl CLI is the peer that
// generates the certificate and talks to Pebble before the client under test
// does, so a broken client cannot break the fixture. With
// `resolve_to_loopback`, Debian's pebble-challtestsrv is Pebble's DNS server,
// so HTTP-01 validation of any name reaches 127.0.0.1:http_port, where the
// test serves it. Header-only.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

#include "tests/support/openssl_cli.hpp"
#include "tools/fleet/child_process.hpp"

namespace certmill::test {

struct PebbleOptions {
  // PEBBLE_VA_ALWAYS_VALID: every challenge passes without a request to the
  // identifier, for tests that do not serve HTTP-01.
  bool always_valid = false;
  int alternate_roots = 0;  // PEBBLE_ALTERNATE_ROOTS
  // PEBBLE_AUTHZREUSE: the percentage of new orders that reuse a valid
  // authorization (Pebble's default is 50); negative leaves it unset.
  int authz_reuse = -1;
  // PEBBLE_WFE_NONCEREJECT: the percentage of good nonces Pebble refuses as
  // badNonce (its default is 5), which a client answers by sending again, so
  // a test counting requests sets 0; negative leaves it unset.
  int nonce_reject = -1;
  // externalAccountMACKeys (key ID -> base64url MAC key); any entry also sets
  // externalAccountBindingRequired.
  std::map<std::string, std::string> eab_keys = {};
  // Starts pebble-challtestsrv on a free loopback port as Pebble's resolver
  // (-dnsserver): every A query is answered with 127.0.0.1 and AAAA with
  // nothing, so real HTTP-01 validation of any name connects to
  // 127.0.0.1:http_port. Its own challenge servers stay off.
  bool resolve_to_loopback = false;
  // Pebble's resolver is this DNS server on 127.0.0.1 instead (BIND, for
  // DNS-01: Pebble looks up the TXT records there, and HTTP-01 names by
  // their A records there).
  unsigned short dns_server_port = 0;
  // Where Pebble sends HTTP-01 validation requests; 0 chooses a free port.
  // Several Pebbles given one validate at the same HTTP-01 server.
  unsigned short http_port = 0;

  // Every challenge passes and every name resolves to 127.0.0.1: for tests
  // of what the controller does around orders rather than of validation.
  static PebbleOptions always_valid_on_loopback() {
    PebbleOptions options;
    options.always_valid = true;
    options.resolve_to_loopback = true;
    return options;
  }
};

class Pebble {
 public:
  static constexpr const char* kBinary = "/usr/bin/pebble";
  static constexpr const char* kChallTestSrv = "/usr/bin/pebble-challtestsrv";

  explicit Pebble(PebbleOptions options = {}) : options_(std::move(options)) {
    if (!std::filesystem::exists(kBinary))
      throw std::runtime_error(std::string(kBinary) +
                               " is missing: install Debian's pebble: tools/install-deps");
    make_tls_certificate();
    std::string resolver;
    if (options_.resolve_to_loopback) {
      start_challtestsrv();
      resolver = " -dnsserver 127.0.0.1:" + std::to_string(dns_port);
    } else if (options_.dns_server_port != 0) {
      resolver = " -dnsserver 127.0.0.1:" + std::to_string(options_.dns_server_port);
    }
    // A port found free may be taken by another process before Pebble binds
    // it (tests run side by side): then Pebble starts again on new ports.
    for (int attempt = 1;; ++attempt) {
      if (start(resolver))
        return;
      const std::string text = log();
      child_->stop();
      if (attempt < 3 && text.find("address already in use") != std::string::npos)
        continue;
      if (challtestsrv_)
        challtestsrv_->stop();
      throw std::runtime_error("Pebble did not answer on 127.0.0.1:" + std::to_string(listen_port) +
                               " within 20 s; its log:\n" + text);
    }
  }
  Pebble(const Pebble&) = delete;
  Pebble& operator=(const Pebble&) = delete;
  ~Pebble() {
    child_->stop();
    if (challtestsrv_)
      challtestsrv_->stop();
  }

  // Root and intermediate `index` (0 is the default chain's; alternates follow).
  std::string root_pem(int index = 0) const {
    return management_pem("/roots/" + std::to_string(index));
  }
  std::string intermediate_pem(int index = 0) const {
    return management_pem("/intermediates/" + std::to_string(index));
  }
  std::string log() const { return read_text(dir_.path("pebble.log")); }
  std::string challtestsrv_log() const { return read_text(dir_.path("challtestsrv.log")); }
  // The certificate Pebble serves HTTPS with: what a client must trust.
  const std::string& tls_certificate_pem() const { return tls_cert_pem_; }
  const ScratchDir& dir() const { return dir_; }

  std::string directory_url;
  unsigned short listen_port = 0;
  unsigned short management_port = 0;
  unsigned short http_port = 0;  // where Pebble sends HTTP-01 validation requests
  unsigned short tls_port = 0;
  unsigned short dns_port = 0;  // pebble-challtestsrv's, with resolve_to_loopback

 private:
  static std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // A loopback port free for both TCP and UDP (DNS answers on both).
  static unsigned short free_dual_port() {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const unsigned short port = free_port();
      const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(port);
      const bool free =
          fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      if (fd >= 0)
        ::close(fd);
      if (free)
        return port;
    }
    throw std::runtime_error("cannot pick a loopback port free for TCP and UDP");
  }

  // Whether something accepts TCP connections on 127.0.0.1:`port`.
  static bool accepts(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok =
        fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (fd >= 0)
      ::close(fd);
    return ok;
  }

  // Ready once its management API accepts connections: it opens that after
  // its DNS server.
  void start_challtestsrv() {
    if (!std::filesystem::exists(kChallTestSrv))
      throw std::runtime_error(std::string(kChallTestSrv) +
                               " is missing: install Debian's pebble: tools/install-deps");
    dns_port = free_dual_port();
    const unsigned short management = free_port();
    challtestsrv_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{
            "/bin/sh", "-c",
            std::string("exec ") + kChallTestSrv + " -dns01 127.0.0.1:" + std::to_string(dns_port) +
                " -management 127.0.0.1:" + std::to_string(management) +
                " -defaultIPv4 127.0.0.1 -defaultIPv6 '' -http01 '' -https01 '' -tlsalpn01 '' >'" +
                dir_.path("challtestsrv.log") + "' 2>&1"},
        false);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up) {
      if (accepts(management))
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    challtestsrv_->stop();
    throw std::runtime_error(
        "pebble-challtestsrv did not answer on 127.0.0.1:" + std::to_string(management) +
        " within 20 s; its log:\n" + challtestsrv_log());
  }

  static unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot pick a free loopback port");
    ::close(fd);
    return ntohs(address.sin_port);
  }

  void make_tls_certificate() {
    const auto made = openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
                               "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                               "/CN=pebble on 127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                               "-keyout", dir_.path("key.pem"), "-out", dir_.path("cert.pem")});
    if (made.status != 0)
      throw std::runtime_error("openssl could not make Pebble's certificate: " + made.output);
    std::ifstream in(dir_.path("cert.pem"));
    std::ostringstream s;
    s << in.rdbuf();
    tls_cert_pem_ = s.str();
  }

  std::string config() const {
    std::string eab;
    for (const auto& [kid, key] : options_.eab_keys)
      eab += (eab.empty() ? "" : ", ") + ("\"" + kid + "\": \"" + key + "\"");
    return R"({"pebble": {"listenAddress": "127.0.0.1:)" + std::to_string(listen_port) +
           R"(", "managementListenAddress": "127.0.0.1:)" + std::to_string(management_port) +
           R"(", "certificate": ")" + dir_.path("cert.pem") + R"(", "privateKey": ")" +
           dir_.path("key.pem") + R"(", "httpPort": )" + std::to_string(http_port) +
           R"(, "tlsPort": )" + std::to_string(tls_port) +
           R"(, "ocspResponderURL": "", "externalAccountBindingRequired": )" +
           (options_.eab_keys.empty() ? "false" : "true") + R"(, "externalAccountMACKeys": {)" +
           eab + "}}}";
  }

  // One HTTPS GET through `openssl s_client`; the whole answer, headers included.
  static std::string https_get(unsigned short port, const std::string& path) {
    const std::string command = "printf 'GET " + path +
                                " HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' | openssl s_client "
                                "-quiet -connect 127.0.0.1:" +
                                std::to_string(port) + " 2>/dev/null";
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
      char buffer[4096];
      while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        out.append(buffer, n);
      ::pclose(pipe);
    }
    return out;
  }

  std::string management_pem(const std::string& path) const {
    const std::string answer = https_get(management_port, path);
    const auto begin = answer.find("-----BEGIN CERTIFICATE-----");
    if (begin == std::string::npos)
      throw std::runtime_error("Pebble's management API gave no certificate at " + path);
    return answer.substr(begin);
  }

  // Starts Pebble on fresh ports; whether it answered within 20 s.
  bool start(const std::string& resolver) {
    listen_port = free_port();
    management_port = free_port();
    http_port = options_.http_port != 0 ? options_.http_port : free_port();
    tls_port = free_port();
    dir_.write("pebble.json", config());
    directory_url = "https://127.0.0.1:" + std::to_string(listen_port) + "/dir";
    std::string env = "PEBBLE_VA_NOSLEEP=1";
    if (options_.always_valid)
      env += " PEBBLE_VA_ALWAYS_VALID=1";
    if (options_.alternate_roots > 0)
      env += " PEBBLE_ALTERNATE_ROOTS=" + std::to_string(options_.alternate_roots);
    if (options_.authz_reuse >= 0)
      env += " PEBBLE_AUTHZREUSE=" + std::to_string(options_.authz_reuse);
    if (options_.nonce_reject >= 0)
      env += " PEBBLE_WFE_NONCEREJECT=" + std::to_string(options_.nonce_reject);
    // exec keeps the pid Pebble's, so stopping the child stops Pebble; its
    // log goes to a file that a failure message quotes.
    child_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c",
                                 "exec /usr/bin/env " + env + " " + kBinary + " -config '" +
                                     dir_.path("pebble.json") + "'" + resolver + " >'" +
                                     dir_.path("pebble.log") + "' 2>&1"},
        false);
    return wait_until_ready();
  }

  bool wait_until_ready() {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up) {
      if (https_get(listen_port, "/dir").find("newNonce") != std::string::npos &&
          https_get(management_port, "/roots/0").find("BEGIN CERTIFICATE") != std::string::npos)
        return true;
      // Pebble's admin listener fails in the background and Pebble goes on.
      if (log().find("address already in use") != std::string::npos)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  PebbleOptions options_;
  ScratchDir dir_;
  std::string tls_cert_pem_;
  std::unique_ptr<fleet::ChildProcess> challtestsrv_;
  std::unique_ptr<fleet::ChildProcess> child_;
};

}  // namespace certmill::test
