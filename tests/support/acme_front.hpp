// Test fixture: the acme-front binary on free loopback ports in front of a
// Pebble fixture, with a generated HTTPS certificate, stopped when the test
// ends (also when it fails). Start-up failures throw with the front's log.
// Its management API is called with blocking plain-HTTP requests. Header-only.
#pragma once

#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "tests/support/openssl_cli.hpp"
#include "tests/support/pebble.hpp"
#include "tests/support/plain_http.hpp"
#include "tools/fleet/child_process.hpp"

namespace certmill::test {

struct ManagementAnswer {
  unsigned status = 0;
  std::string body;
};

class AcmeFront {
 public:
  static constexpr const char* kBinary = CERTMILL_BINARY_DIR "/tools/acme-front/acme-front";

  // `flags` are added to the ones that wire the front to `pebble`.
  explicit AcmeFront(const Pebble& pebble, std::vector<std::string> flags = {}) {
    const auto made = openssl(
        {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days",
         "2", "-subj", "/CN=acme-front on 127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", dir_.path("key.pem"), "-out", dir_.path("cert.pem")});
    if (made.status != 0)
      throw std::runtime_error("openssl could not make acme-front's certificate: " + made.output);
    tls_cert_pem_ = read(dir_.path("cert.pem"));
    const std::string pebble_ca = dir_.write("pebble-ca.pem", pebble.tls_certificate_pem());
    std::string command = "exec '" + std::string(kBinary) + "' --upstream '" +
                          pebble.directory_url + "' --upstream-ca-file '" + pebble_ca +
                          "' --tls-certificate '" + dir_.path("cert.pem") + "' --tls-key '" +
                          dir_.path("key.pem") + "'";
    for (const auto& flag : flags)
      command += " '" + flag + "'";
    command += " 2>'" + dir_.path("front.log") + "'";
    // exec keeps the pid the front's, so stopping the child stops the front.
    child_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", command}, true);
    const std::string listening = child_->read_line(std::chrono::seconds(20));
    const std::string management = child_->read_line(std::chrono::seconds(5));
    const std::string acme_prefix = "acme-front listening on ";
    const std::string management_prefix = "acme-front management on http://127.0.0.1:";
    if (!listening.starts_with(acme_prefix) || !management.starts_with(management_prefix)) {
      child_->stop();
      throw std::runtime_error("acme-front did not start (it printed \"" + listening +
                               "\"); its log:\n" + log());
    }
    directory_url = listening.substr(acme_prefix.size());
    management_port =
        static_cast<unsigned short>(std::stoul(management.substr(management_prefix.size())));
  }
  AcmeFront(const AcmeFront&) = delete;
  AcmeFront& operator=(const AcmeFront&) = delete;
  ~AcmeFront() { child_->stop(); }

  std::string log() const { return read(dir_.path("front.log")); }
  // What a client must trust to talk to the front.
  const std::string& tls_certificate_pem() const { return tls_cert_pem_; }

  ManagementAnswer get(const std::string& target) const { return call("GET", target, ""); }
  ManagementAnswer post(const std::string& target, const std::string& json) const {
    return call("POST", target, json);
  }
  // Throws unless the management API took the POST.
  void must_post(const std::string& target, const std::string& json) const {
    const auto answer = post(target, json);
    if (answer.status != 200)
      throw std::runtime_error("POST " + target + " " + json + ": HTTP " +
                               std::to_string(answer.status) + " " + answer.body);
  }

  // A count from /stats: a top-level one, or one of a group ("requests",
  // "newOrder"); 0 when absent.
  std::int64_t stat(const char* group, const char* name = nullptr) const {
    const auto stats = boost::json::parse(get("/stats").body).as_object();
    const auto* value =
        name ? stats.at(group).as_object().if_contains(name) : stats.if_contains(group);
    return value ? value->as_int64() : 0;
  }

  std::string directory_url;  // https://127.0.0.1:PORT/dir
  unsigned short management_port = 0;

 private:
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  ManagementAnswer call(const std::string& method, const std::string& target,
                        const std::string& body) const {
    try {
      const PlainHttpAnswer answer = plain_http_call(management_port, method, target, body);
      return ManagementAnswer{answer.status, answer.body};
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string(e.what()) +
                               " (acme-front's management API); its log:\n" + log());
    }
  }

  ScratchDir dir_;
  std::string tls_cert_pem_;
  std::unique_ptr<fleet::ChildProcess> child_;
};

}  // namespace certmill::test
