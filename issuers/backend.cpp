// Mapping a CertificateRequest onto the backend interface, and the answer of
// backends whose CA gives no renewal advice.
#include "issuers/backend.hpp"

namespace certmill::issuers {

SignRequest sign_request_for(const api::CertificateRequestSpec& spec, std::string private_key_pem) {
  return SignRequest{spec.request.data, spec.duration, spec.is_ca, spec.usages,
                     std::move(private_key_pem)};
}

asio::awaitable<Result<SuggestedRenewal>> Backend::suggested_renewal(std::string) {
  co_return SuggestedRenewal{};
}

}  // namespace certmill::issuers
