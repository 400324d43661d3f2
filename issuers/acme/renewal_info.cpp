// renewal_info: the GET, and the window checked against the certificate.
#include "issuers/acme/renewal_info.hpp"

#include <algorithm>
#include <cstdint>

#include "core/acme/link.hpp"
#include "core/pki/x509.hpp"

namespace certmill::issuers::acme {
namespace {

namespace proto = certmill::acme;

Error in_context(const Error& error, const std::string& context) {
  Error out(error.code(), context + ": " + error.message());
  if (auto after = error.retry_after())
    return std::move(out).with_retry_after(*after);
  return out;
}

}  // namespace

double renewal_draw(std::string_view cert_id) {
  // FNV-1a, then a finalizer that spreads nearby serials over the whole range.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : cert_id) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) / static_cast<double>(1ULL << 53);
}

Result<RenewalInfo> plan_renewal(const proto::RenewalInfo& answer, Time not_before, Time not_after,
                                 Time now, std::optional<std::chrono::seconds> retry_after,
                                 double random) {
  const proto::RenewalWindow& window = answer.suggested_window;
  const std::string shown =
      "suggestedWindow " + format_time(window.start) + " to " + format_time(window.end);
  if (window.end <= window.start)
    return Error(Errc::invalid_value, shown + ": the end is not after the start");
  if (window.start >= not_after) {
    return Error(Errc::invalid_value,
                 shown + " starts after the certificate expires (" + format_time(not_after) + ")");
  }
  if (window.end < not_before) {
    return Error(Errc::invalid_value, shown + " ended before the certificate was issued (" +
                                          format_time(not_before) + ")");
  }
  RenewalInfo info;
  info.offered = true;
  info.window = window;
  info.explanation_url = answer.explanation_url;
  // §4.2 step 3: a time already past means renew at once.
  info.renewal_time = std::max(proto::choose_renewal_time(window, random), now);
  info.retry_after_at = now + proto::ari_poll_interval(retry_after);
  return info;
}

asio::awaitable<Result<RenewalInfo>> renewal_info(Client& client,
                                                  std::string_view certificate_pem) {
  auto dir = co_await client.directory();
  if (!dir)
    co_return dir.error();
  if (dir->renewal_info.empty())
    co_return RenewalInfo{};
  auto leaf = pki::parse_certificate(certificate_pem, "certificate");
  if (!leaf)
    co_return leaf.error();
  auto cert_id = proto::ari_cert_id(leaf->get());
  if (!cert_id)
    co_return cert_id.error();

  const std::string url = dir->renewal_info + "/" + *cert_id;
  auto response = co_await client.get(url, "application/json");
  if (!response)
    co_return in_context(response.error(), "ACME renewal info");
  const std::string context = "ACME renewal info GET " + url;
  auto answer = proto::decode_renewal_info(response->body);
  if (!answer)
    co_return in_context(answer.error(), context);
  const Time now = std::chrono::floor<std::chrono::seconds>(client.clock().now());
  auto plan =
      plan_renewal(*answer, leaf->info().not_before, leaf->info().not_after, now,
                   proto::parse_retry_after(response->retry_after, now), renewal_draw(*cert_id));
  if (!plan)
    co_return in_context(plan.error(), context);
  co_return plan;
}

}  // namespace certmill::issuers::acme
