// Finding a Certificate's request, order, challenges and Events among lists.
#include "tools/certmill/ops/related_objects.hpp"

#include <algorithm>
#include <charconv>

namespace certmill::ops {

namespace {

int revision_of(const api::ObjectMeta& meta) {
  auto it = meta.annotations.find("cert-manager.io/certificate-revision");
  int revision = 0;
  if (it != meta.annotations.end())
    std::from_chars(it->second.data(), it->second.data() + it->second.size(), revision);
  return revision;
}

Time created(const api::ObjectMeta& meta) {
  return meta.creation_timestamp.value_or(Time{});
}

}  // namespace

bool owned_by(const api::ObjectMeta& meta, std::string_view kind, const api::ObjectMeta& owner) {
  return std::any_of(meta.owner_references.begin(), meta.owner_references.end(),
                     [&](const api::OwnerReference& ref) {
                       if (!ref.uid.empty() && !owner.uid.empty())
                         return ref.uid == owner.uid;
                       return ref.kind == kind && ref.name == owner.name;
                     });
}

std::optional<api::CertificateRequest> current_request(
    const api::Certificate& certificate, const std::vector<api::CertificateRequest>& requests) {
  const api::CertificateRequest* best = nullptr;
  for (const auto& r : requests) {
    const auto name = r.metadata.annotations.find("cert-manager.io/certificate-name");
    const bool named =
        name != r.metadata.annotations.end() && name->second == certificate.metadata.name;
    if (!named && !owned_by(r.metadata, "Certificate", certificate.metadata))
      continue;
    if (best == nullptr || revision_of(r.metadata) > revision_of(best->metadata) ||
        (revision_of(r.metadata) == revision_of(best->metadata) &&
         created(r.metadata) > created(best->metadata)))
      best = &r;
  }
  return best ? std::optional(*best) : std::nullopt;
}

std::optional<api::Order> order_of(const api::CertificateRequest& request,
                                   const std::vector<api::Order>& orders) {
  const api::Order* best = nullptr;
  for (const auto& o : orders) {
    if (owned_by(o.metadata, "CertificateRequest", request.metadata) &&
        (best == nullptr || created(o.metadata) > created(best->metadata)))
      best = &o;
  }
  return best ? std::optional(*best) : std::nullopt;
}

std::vector<api::Challenge> challenges_of(const api::Order& order,
                                          const std::vector<api::Challenge>& challenges) {
  std::vector<api::Challenge> out;
  for (const auto& c : challenges) {
    if (owned_by(c.metadata, "Order", order.metadata))
      out.push_back(c);
  }
  return out;
}

std::optional<Time> event_time(const api::Event& event) {
  if (event.last_timestamp)
    return event.last_timestamp;
  if (event.event_time)
    return std::chrono::floor<std::chrono::seconds>(*event.event_time);
  if (event.first_timestamp)
    return event.first_timestamp;
  return event.metadata.creation_timestamp;
}

std::vector<api::Event> events_about(const std::vector<ObjectKey>& about,
                                     const std::vector<api::Event>& events) {
  std::vector<api::Event> out;
  for (const auto& e : events) {
    const bool ours = std::any_of(about.begin(), about.end(), [&](const ObjectKey& k) {
      return e.involved_object.kind == k.kind && e.involved_object.name == k.name;
    });
    if (ours)
      out.push_back(e);
  }
  // By time, then name: Event names carry a hex timestamp suffix.
  std::sort(out.begin(), out.end(), [](const api::Event& a, const api::Event& b) {
    const Time ta = event_time(a).value_or(Time{});
    const Time tb = event_time(b).value_or(Time{});
    return ta != tb ? ta < tb : a.metadata.name < b.metadata.name;
  });
  return out;
}

}  // namespace certmill::ops
