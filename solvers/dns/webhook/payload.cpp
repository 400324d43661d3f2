// ChallengePayload written with JsonWriter and read with simdjson.
#include "solvers/dns/webhook/payload.hpp"

#include <cstdio>

#include <openssl/rand.h>
#include <simdjson.h>

#include "core/json/writer.hpp"

namespace certmill::solvers::webhook {
namespace {

constexpr std::size_t kMessageLimit = 300;

std::string with_dot(std::string name) {
  if (!name.empty() && name.back() != '.')
    name += '.';
  return name;
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMessageLimit))
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

std::string request_body(const ChallengeRequest& request) {
  json::JsonWriter out;
  out.begin_object();
  out.key("apiVersion");
  out.string("acme.cert-manager.io/v1alpha1");
  out.key("kind");
  out.string("ChallengePayload");
  out.key("request");
  out.begin_object();
  out.key("uid");
  out.string(request.uid);
  out.key("action");
  out.string(request.present ? "Present" : "CleanUp");
  out.key("type");
  out.string("dns-01");
  out.key("dnsName");
  out.string(request.dns_name);
  out.key("key");
  out.string(request.key);
  out.key("resourceNamespace");
  out.string(request.resource_namespace);
  out.key("resolvedFQDN");
  out.string(with_dot(request.resolved_fqdn));
  out.key("resolvedZone");
  out.string(with_dot(request.resolved_zone));
  out.key("allowAmbientCredentials");
  out.boolean(request.allow_ambient_credentials);
  if (!request.config_json.empty()) {
    out.key("config");
    out.raw(request.config_json);
  }
  out.end_object();
  out.end_object();
  return out.take();
}

Status read_response(std::string_view body, std::string_view uid) {
  simdjson::dom::parser parser;
  simdjson::dom::object payload;
  simdjson::dom::object response;
  if (parser.parse(body.data(), body.size()).get(payload) != simdjson::SUCCESS ||
      payload["response"].get(response) != simdjson::SUCCESS)
    return Error(Errc::invalid_json,
                 "the webhook's answer is not a ChallengePayload with a response");
  std::string_view answered_uid;
  if (response["uid"].get(answered_uid) == simdjson::SUCCESS && !answered_uid.empty() &&
      answered_uid != uid)
    return Error(Errc::invalid_value,
                 "the webhook answered another request (uid " + printable(answered_uid) + ")");
  bool success = false;
  if (response["success"].get(success) == simdjson::SUCCESS && success)
    return Status{};
  std::string_view message;
  (void)response.at_pointer("/status/message").get(message);
  return Error(Errc::invalid_value,
               message.empty() ? std::string("the webhook did not succeed and said nothing")
                               : printable(message));
}

std::string random_uid() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return "00000000-0000-4000-8000-000000000000";
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

}  // namespace certmill::solvers::webhook
