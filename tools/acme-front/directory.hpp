// The CA's directory as the front serves it: the CA's own, plus what Pebble
// lacks and Let's Encrypt has, the renewalInfo resource (RFC 9773) and
// meta.profiles (draft-ietf-acme-profiles).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace certmill::acmefront {

// The paths of the CA's resources, learned from its directory.
struct DirectoryPaths {
  std::string new_nonce;
  std::string new_account;
  std::string new_order;
};

Result<DirectoryPaths> directory_paths(std::string_view directory_json);

// `profiles` empty leaves meta.profiles out, as a CA without profiles does.
Result<std::string> extend_directory(std::string_view directory_json,
                                     const std::string& renewal_info_url,
                                     const std::map<std::string, std::string>& profiles);

}  // namespace certmill::acmefront
