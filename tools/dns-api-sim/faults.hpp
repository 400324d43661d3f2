// Failures a test asks the emulated API for: after `after` requests of a
// method (any when empty) under a path prefix are served, the next `count`
// answer `status` (with Retry-After when set) instead. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace certmill::dnssim {

struct Fault {
  unsigned status = 500;
  int count = 1;
  std::string method = {};
  std::string path_prefix = {};
  int retry_after = -1;  // seconds; negative sends none
  int after = 0;
};

class Faults {
 public:
  void add(Fault fault) { faults_.push_back(std::move(fault)); }
  // The fault this request meets, counted; nullopt to serve it.
  std::optional<Fault> take(const std::string& method, const std::string& path);

 private:
  std::vector<Fault> faults_;
};

}  // namespace certmill::dnssim
