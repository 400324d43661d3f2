// "Secrets stay secret" for the DNS-01 provider tests, which know the
// credentials they gave certmill: searched for in every log line at the most
// verbose level (LogTap), the Events and the status of every cert-manager
// object. Every harness also searches for what the cluster's Secrets hold
// when it ends (exposure_scan.hpp). Header-only.
#pragma once

#include <string>
#include <vector>

#include "tests/controller_live/exposure_scan.hpp"
#include "tests/controller_live/harness.hpp"
#include "tests/controller_live/log_tap.hpp"

namespace certmill::test {

class SecretScan {
 public:
  SecretScan() { LogTap::get(); }

  // Where any of `secrets` was found ("log: ...", "Event: ...", "<path>
  // status: ..."), empty when nowhere. `seen` counts the texts searched, so
  // that a test shows the scan had something to look at.
  std::vector<std::string> find(ControllerHarness& h, const std::vector<std::string>& secrets,
                                std::size_t& seen) {
    const std::vector<std::string> texts = cluster_texts(h, LogTap::get().lines());
    seen = texts.size();
    return exposures(texts, secrets);
  }
};

}  // namespace certmill::test
