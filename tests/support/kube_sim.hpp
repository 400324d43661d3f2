// Test fixture: a kube-sim process from this build (or $KUBE_SIM_BINARY),
// stopped when the test ends, also when it fails.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include "tools/fleet/kube_sim_process.hpp"

namespace certmill::test {

class KubeSim : public fleet::KubeSimProcess {
 public:
  explicit KubeSim(std::vector<std::string> extra_args = {})
      : KubeSimProcess(binary(), std::move(extra_args)) {}

  static std::string binary() {
    if (const char* b = std::getenv("KUBE_SIM_BINARY"))
      return b;
    return std::string(CERTMILL_BINARY_DIR) + "/tools/kube-sim/kube-sim";
  }
};

}  // namespace certmill::test
