// Fuzzer: kubeconfig files (YAML or JSON), which users hand certmill with
// --kubeconfig. Any bytes give a configuration or an error, never a crash;
// no file is read and no environment consulted.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "k8s/kubeconfig.hpp"

using namespace certmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  const k8s::Environment none{
      [](const std::string&) -> std::optional<std::string> { return std::nullopt; },
      [](const std::string& path) -> Result<std::string> {
        return Error(Errc::invalid_argument, "no file " + path + " while fuzzing");
      },
      [](const std::string&) { return false; }};
  (void)k8s::parse_kubeconfig(yaml, "", "/nonexistent", none);
  return 0;
}
