// "Secrets stay secret" for the DNS-01 provider tests: every log line at the
// most verbose level is captured while a test runs, and at its end the log,
// the namespace's Events and the status of every Certificate,
// CertificateRequest, Order and Challenge are searched for the credentials
// the test gave certmill. Header-only.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "core/log.hpp"
#include "reactor/log_sink.hpp"
#include "tests/controller_live/harness.hpp"

namespace certmill::test {

class SecretScan {
 public:
  SecretScan() {
    log::configure(log::Level::debug, log::Format::text);
    reactor::capture_log([this](std::string_view line) {
      const std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
  }
  ~SecretScan() {
    reactor::capture_log({});
    log::configure(log::Level::info, log::Format::text);
  }
  SecretScan(const SecretScan&) = delete;
  SecretScan& operator=(const SecretScan&) = delete;

  std::size_t lines() {
    const std::lock_guard lock(mutex_);
    return lines_.size();
  }

  // Where any of `secrets` was found ("log: ...", "Event: ...", "Challenge
  // status"), empty when nowhere. `seen` counts the texts searched, so that a
  // test shows the scan had something to look at.
  std::vector<std::string> find(ControllerHarness& h, const std::vector<std::string>& secrets,
                                std::size_t& seen) {
    std::vector<std::string> texts;
    {
      const std::lock_guard lock(mutex_);
      for (const std::string& line : lines_)
        texts.push_back("log: " + line);
    }
    if (auto events = h.get("/api/v1/namespaces/shop/events")) {
      for (const auto& event : events->at("items").as_array())
        texts.push_back("Event: " + boost::json::serialize(event));
    }
    for (const char* path : {"/apis/cert-manager.io/v1/namespaces/shop/certificates",
                             "/apis/cert-manager.io/v1/namespaces/shop/certificaterequests",
                             "/apis/acme.cert-manager.io/v1/namespaces/shop/orders",
                             "/apis/acme.cert-manager.io/v1/namespaces/shop/challenges"}) {
      if (auto list = h.get(path)) {
        for (const auto& item : list->at("items").as_array()) {
          if (const auto* status = item.as_object().if_contains("status"))
            texts.push_back(std::string(path) + " status: " + boost::json::serialize(*status));
        }
      }
    }
    seen = texts.size();
    std::vector<std::string> found;
    for (const std::string& text : texts) {
      for (const std::string& secret : secrets) {
        if (!secret.empty() && text.find(secret) != std::string::npos)
          found.push_back(text.substr(0, 300));
      }
    }
    return found;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace certmill::test
