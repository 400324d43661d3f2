// What a Challenge's steps leave besides its object: the Events
// cert-manager's challenges controller records on it (acmechallenges/sync.go
// and its scheduler's "Started"), and its certmanager_certificate_challenge_status
// series.
#include "controller/acme_order_objects.hpp"
#include "controller/go_format.hpp"

namespace certmill::controller {

asio::awaitable<void> AcmeOrderObjects::record_started(const api::Challenge& challenge) {
  co_await record(challenge, "Normal", "Started", "Challenge scheduled for processing");
}

asio::awaitable<void> AcmeOrderObjects::record_verified(const api::Challenge& challenge) {
  co_await record(challenge, "Normal", "DomainVerified",
                  "Domain " + go_quoted(challenge.spec.dns_name) + " verified with " +
                      go_quoted(api::challenge_type_name(challenge.spec.type)) + " validation");
}

asio::awaitable<void> AcmeOrderObjects::record_failed(const api::Challenge& challenge,
                                                      const std::string& reason) {
  co_await record(challenge, "Warning", "Failed",
                  "Accepting challenge authorization failed: " + reason);
}

asio::awaitable<void> AcmeOrderObjects::challenge_presented(certmill::acme::Challenge challenge,
                                                            std::string error) {
  const auto it = challenges_.find(challenge.url);
  if (it == challenges_.end())
    co_return;  // its object could not be written
  if (error.empty()) {
    co_await record(it->second, "Normal", "Presented",
                    "Presented challenge using " +
                        std::string(api::challenge_type_name(it->second.spec.type)) +
                        " challenge mechanism");
  } else {
    co_await record(it->second, "Warning", "PresentError", "Error presenting challenge: " + error);
  }
}

asio::awaitable<void> AcmeOrderObjects::record(const api::Challenge& challenge, std::string type,
                                               std::string reason, std::string message) {
  co_await events_.record({"acme.cert-manager.io/v1",
                           "Challenge",
                           challenge.metadata.name,
                           challenge.metadata.namespace_,
                           challenge.metadata.uid,
                           {},
                           {}},
                          std::move(type), std::move(reason), std::move(message));
}

void AcmeOrderObjects::export_status(const api::Challenge& challenge) {
  if (status_metrics_.metrics)
    status_metrics_.metrics->observe(challenge, status_metrics_.certificate, order_.metadata.name,
                                     status_metrics_.shard);
}

void AcmeOrderObjects::forget_status(const api::Challenge& challenge) {
  if (status_metrics_.metrics)
    status_metrics_.metrics->forget_challenge(status_metrics_.certificate,
                                              challenge.metadata.namespace_,
                                              challenge.metadata.name, status_metrics_.shard);
}

}  // namespace certmill::controller
