// The default challenge choice: HTTP-01, which cannot prove a wildcard.
#include "issuers/acme/solver.hpp"

#include <algorithm>

namespace certmill::issuers::acme {

Result<std::string> ChallengeSolver::choose(const certmill::acme::Identifier& identifier,
                                            bool wildcard, std::span<const std::string> offered) {
  if (wildcard)
    return Error(Errc::invalid_argument,
                 "*." + identifier.value + " needs a DNS-01 solver; this one answers HTTP-01 only");
  if (std::find(offered.begin(), offered.end(), "http-01") == offered.end())
    return Error(Errc::invalid_argument,
                 "the CA offers no http-01 challenge for " + identifier.value);
  return std::string("http-01");
}

}  // namespace certmill::issuers::acme
