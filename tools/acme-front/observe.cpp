// What the front learns from the CA's answers as they pass: issued orders
// (counted against the certificate limits, and marking the certificate they
// replace), failed authorizations (for the account whose order named them),
// and downloaded certificates (for renewalInfo and `replaces`, with the
// account they were issued to). An answer the front cannot read is passed on
// all the same.
#include "core/acme/link.hpp"
#include "core/acme/objects.hpp"
#include "core/log.hpp"
#include "tools/acme-front/front.hpp"

namespace certmill::acmefront {

void Front::observe(std::string_view path, const issuers::acme::HttpResponse& response) {
  if (response.status < 200 || response.status >= 300)
    return;
  if (response.content_type.starts_with("application/pem-certificate-chain")) {
    auto learned = certificates_.learn(response.body, orders_.account_of_certificate(path));
    if (learned) {
      ++stats_.certificates_downloaded;
      log::info("certificate downloaded", {{"certID", *learned}});
    } else {
      log::warn("a downloaded certificate has no CertID",
                {{"path", path}, {"error", learned.error().message()}});
    }
    return;
  }
  if (!response.content_type.starts_with("application/json"))
    return;
  switch (orders_.kind(path)) {
    case Resource::Order:
    case Resource::Finalize:
      observe_order(path, response.body);
      break;
    case Resource::Authorization:
      observe_authorization(path, response.body);
      break;
    case Resource::Challenge:
      observe_challenge(response);
      break;
    case Resource::Certificate:
    case Resource::Unknown:
      break;
  }
}

void Front::observe_order(std::string_view path, std::string_view body) {
  auto order = acme::decode_order(body);
  if (!order)
    return;
  TrackedOrder* tracked = orders_.update_order(path, *order);
  if (tracked == nullptr || tracked->issued || order->status != acme::OrderStatus::Valid)
    return;
  tracked->issued = true;
  ++stats_.certificates_issued;
  ++stats_.issued_by_names[names_key(tracked->identifiers)];
  // As Boulder counts at issuance, ARI renewals included.
  limits_.count_issued(clock_.now(), tracked->identifiers);
  if (!tracked->replaces.empty())
    certificates_.mark_replaced(tracked->replaces);
}

void Front::observe_authorization(std::string_view path, std::string_view body) {
  auto authz = acme::decode_authorization(body);
  if (!authz || !orders_.update_authorization(path, *authz))
    return;
  log::info("authorization failed", {{"identifier", authz->identifier.value}});
  limits_.count_failed_authorization(clock_.now(), orders_.account_of_authorization(path),
                                     authz->identifier);
}

void Front::observe_challenge(const issuers::acme::HttpResponse& response) {
  auto challenge = acme::decode_challenge(response.body);
  if (!challenge || challenge->status != acme::ChallengeStatus::Invalid)
    return;
  for (const auto& up : acme::link_targets(response.links, "up")) {
    const std::string authz_path = path_of(up);
    if (auto identifier = orders_.fail_authorization(authz_path)) {
      log::info("authorization failed", {{"identifier", identifier->value}});
      limits_.count_failed_authorization(clock_.now(), orders_.account_of_authorization(authz_path),
                                         *identifier);
    }
  }
}

}  // namespace certmill::acmefront
