// Fuzzer: what the DNS-01 providers' APIs and their Secrets give certmill —
// Route53's and STS's XML, Cloudflare's, DigitalOcean's, Azure's, Google's
// and acme-dns's JSON, a service account key, an acme-dns accounts document,
// a webhook's ChallengePayload and TXT values in presentation form. Any
// bytes decode to a value or an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "solvers/dns/acmedns/account.hpp"
#include "solvers/dns/azuredns/answer.hpp"
#include "solvers/dns/clouddns/answer.hpp"
#include "solvers/dns/clouddns/service_account.hpp"
#include "solvers/dns/cloudflare/answer.hpp"
#include "solvers/dns/digitalocean/answer.hpp"
#include "solvers/dns/route53/api.hpp"
#include "solvers/dns/webhook/payload.hpp"

using namespace certmill::solvers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)route53::parse_change_info(body);
  (void)route53::parse_txt_record_set(body, "_acme-challenge.example.test");
  (void)route53::parse_hosted_zones(body);
  (void)route53::parse_error(body);
  (void)route53::parse_assumed_role(body);
  (void)route53::unquote_txt(body);
  (void)cloudflare::zone_id(body, "example.test");
  (void)cloudflare::records(body);
  (void)cloudflare::failure(500, body);
  (void)cloudflare::already_exists(body);
  (void)digitalocean::txt_records(body);
  (void)digitalocean::failure(500, body);
  (void)azuredns::parse_token(body);
  (void)azuredns::parse_txt_set(body, body.substr(0, 40));
  (void)azuredns::arm_error_code(body);
  (void)azuredns::failure(500, body);
  (void)clouddns::public_zone_name(body, "example.test");
  (void)clouddns::txt_set(body);
  (void)clouddns::change_status(body);
  (void)clouddns::unquote_txt(body);
  (void)clouddns::failure(500, body);
  (void)clouddns::parse_service_account_key(body);
  (void)clouddns::parse_access_token(body);
  (void)clouddns::token_failure(500, body);
  if (auto accounts = acmedns::parse_accounts(body))
    (void)acmedns::account_for(*accounts, "*.example.test", "_acme-challenge.example.test");
  (void)acmedns::failure(500, body);
  (void)webhook::read_response(body, "uid");
  return 0;
}
