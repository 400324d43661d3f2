// Which objects belong to a Certificate's story, as cmctl finds them: its
// current CertificateRequest (highest revision it owns), that request's
// Order, the Order's Challenges, and the Events about any of them. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api/acme.hpp"
#include "core/api/certificate.hpp"
#include "core/api/event.hpp"

namespace certmill::ops {

// `owner` owns `meta`: by uid when both have one, else by kind and name.
bool owned_by(const api::ObjectMeta& meta, std::string_view kind, const api::ObjectMeta& owner);

std::optional<api::CertificateRequest> current_request(
    const api::Certificate& certificate, const std::vector<api::CertificateRequest>& requests);
std::optional<api::Order> order_of(const api::CertificateRequest& request,
                                   const std::vector<api::Order>& orders);
std::vector<api::Challenge> challenges_of(const api::Order& order,
                                          const std::vector<api::Challenge>& challenges);

struct ObjectKey {
  std::string kind;
  std::string name;
};
// The Events about any of `about`, oldest first by their last occurrence.
std::vector<api::Event> events_about(const std::vector<ObjectKey>& about,
                                     const std::vector<api::Event>& events);
// When an Event last happened: lastTimestamp, eventTime, firstTimestamp or
// its creation, whichever is set first.
std::optional<Time> event_time(const api::Event& event);

}  // namespace certmill::ops
