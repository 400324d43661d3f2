// certmill version: the version and what the binary was built with, for bug
// reports.
#include <cstdio>

#include <boost/version.hpp>
#include <openssl/opensslv.h>

#include "tools/certmill/commands.hpp"

namespace certmill::cmd {

int version(Args args) {
  cli::FlagSet flags("certmill version", "Prints certmill's version and its libraries' versions.");
  if (int code = parse_or_exit(flags, args); code >= 0)
    return code;
  std::printf("certmill %s\n", CERTMILL_VERSION);
  std::printf("  compiler  clang %s\n", __clang_version__);
  std::printf("  boost     %d.%d.%d\n", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
              BOOST_VERSION % 100);
  std::printf("  openssl   %s\n", OPENSSL_VERSION_TEXT);
  return 0;
}

}  // namespace certmill::cmd
