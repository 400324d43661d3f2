// Test fixture: tools/dns-api-sim serving one provider's API on a free
// loopback port, writing the records it is given into a NamedServer by
// TSIG-signed updates, stopped when the test ends. If it cannot start, the
// constructor throws with its log. Its /_sim/ management API lists the
// records, counts the requests and injects failures. Header-only.
#pragma once

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/support/named_server.hpp"
#include "tests/support/plain_http.hpp"
#include "tools/fleet/child_process.hpp"

namespace certmill::test {

struct DnsApiSimOptions {
  std::string provider = {};
  std::vector<std::string> zones = {NamedServer::kZone};
  std::vector<std::string> credentials = {};
};

class DnsApiSim {
 public:
  static constexpr const char* kBinary = CERTMILL_BINARY_DIR "/tools/dns-api-sim/dns-api-sim";

  DnsApiSim(const NamedServer& named, DnsApiSimOptions options) {
    const NamedKey& key = named.keys[2];  // hmac-sha256
    std::string command =
        "exec '" + std::string(kBinary) + "' --log-level debug --provider " + options.provider +
        " --dns-server 127.0.0.1:" + std::to_string(named.port) + " --tsig-key-name " + key.name +
        " --tsig-algorithm " + key.cert_manager_algorithm + " --tsig-secret '" + key.secret + "'";
    for (const std::string& zone : options.zones)
      command += " --zone " + zone;
    for (const std::string& credential : options.credentials)
      command += " --credential '" + credential + "'";
    command += " 2>'" + dir_.path("sim.log") + "'";
    child_ = std::make_unique<fleet::ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", command}, true);
    const std::string line = child_->read_line(std::chrono::seconds(20));
    const std::string prefix = "dns-api-sim listening on ";
    if (!line.starts_with(prefix)) {
      child_->stop();
      throw std::runtime_error("dns-api-sim did not start (it printed \"" + line +
                               "\"); its log:\n" + log());
    }
    url = line.substr(prefix.size());
    port = static_cast<unsigned short>(std::stoul(url.substr(url.rfind(':') + 1)));
  }
  DnsApiSim(const DnsApiSim&) = delete;
  DnsApiSim& operator=(const DnsApiSim&) = delete;
  ~DnsApiSim() { child_->stop(); }

  std::string log() const {
    std::ifstream in(dir_.path("sim.log"));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The TXT values the API holds for `name`.
  std::vector<std::string> values(const std::string& name) const {
    std::vector<std::string> out;
    const auto records = boost::json::parse(plain_http_get(port, "/_sim/records").body);
    for (const auto& record : records.as_array()) {
      if (record.at("name").as_string() == name)
        out.emplace_back(record.at("value").as_string());
    }
    return out;
  }
  std::size_t record_count() const {
    return boost::json::parse(plain_http_get(port, "/_sim/records").body).as_array().size();
  }
  // Requests answered with `status` for `method`, e.g. ("DELETE", 500).
  std::int64_t served(const std::string& method, unsigned status) const {
    const auto stats = boost::json::parse(plain_http_get(port, "/_sim/stats").body).as_object();
    const auto* count = stats.if_contains(method + " " + std::to_string(status));
    return count ? count->as_int64() : 0;
  }
  void fault(const std::string& json) const {
    const auto answer = plain_http_call(port, "POST", "/_sim/fault", json);
    if (answer.status != 200)
      throw std::runtime_error("dns-api-sim refused the fault " + json + ": " + answer.body);
  }

  std::string url;  // http://127.0.0.1:PORT
  unsigned short port = 0;

 private:
  ScratchDir dir_;
  std::unique_ptr<fleet::ChildProcess> child_;
};

}  // namespace certmill::test
