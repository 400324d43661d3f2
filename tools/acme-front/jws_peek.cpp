// JWS and new-order payload decoding with Boost.JSON, each failure named.
#include "tools/acme-front/jws_peek.hpp"

#include <boost/json.hpp>

#include "core/acme/base64url.hpp"

namespace certmill::acmefront {
namespace {

namespace json = boost::json;

Error malformed(std::string message) {
  return Error(Errc::invalid_value, std::move(message));
}

Result<json::object> parse_object(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec)
    return malformed(std::string(what) + " is not JSON: " + ec.message());
  if (!value.is_object())
    return malformed(std::string(what) + " is not a JSON object");
  return std::move(value.as_object());
}

// A string member, or empty when absent; another type is an error.
Result<std::string> string_member(const json::object& object, std::string_view name,
                                  std::string_view where) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr)
    return std::string();
  if (!value->is_string())
    return malformed(std::string(where) + " member \"" + std::string(name) + "\" is not a string");
  return std::string(value->as_string());
}

}  // namespace

Result<PeekedJws> peek_jws(std::string_view body) {
  auto jws = parse_object(body, "the request body");
  if (!jws)
    return jws.error();
  auto protected_part = string_member(*jws, "protected", "the JWS");
  auto payload_part = string_member(*jws, "payload", "the JWS");
  auto signature = string_member(*jws, "signature", "the JWS");
  for (const auto* part : {&protected_part, &payload_part, &signature}) {
    if (!*part)
      return part->error();
  }
  if (protected_part->empty() || signature->empty() || !jws->contains("payload"))
    return malformed(
        "the request body is not a flattened JWS: it needs protected, payload and "
        "signature");
  auto header_text = acme::base64url_decode(*protected_part);
  if (!header_text)
    return malformed("the JWS protected header is not base64url");
  auto header = parse_object(*header_text, "the JWS protected header");
  if (!header)
    return header.error();
  PeekedJws out;
  auto kid = string_member(*header, "kid", "the JWS protected header");
  auto url = string_member(*header, "url", "the JWS protected header");
  if (!kid)
    return kid.error();
  if (!url)
    return url.error();
  out.kid = std::move(*kid);
  out.url = std::move(*url);
  if (!payload_part->empty()) {
    auto payload = acme::base64url_decode(*payload_part);
    if (!payload)
      return malformed("the JWS payload is not base64url");
    out.payload = std::move(*payload);
  }
  return out;
}

Result<NewOrderPayload> decode_new_order_payload(std::string_view text) {
  auto order = parse_object(text, "the newOrder payload");
  if (!order)
    return order.error();
  NewOrderPayload out;
  const json::value* identifiers = order->if_contains("identifiers");
  if (identifiers == nullptr || !identifiers->is_array() || identifiers->as_array().empty())
    return malformed("the newOrder payload needs a non-empty \"identifiers\" array");
  for (const json::value& item : identifiers->as_array()) {
    if (!item.is_object())
      return malformed("each newOrder identifier must be an object");
    auto type = string_member(item.as_object(), "type", "an identifier's");
    auto value = string_member(item.as_object(), "value", "an identifier's");
    if (!type)
      return type.error();
    if (!value)
      return value.error();
    if (type->empty() || value->empty())
      return malformed("each newOrder identifier needs a type and a value");
    out.identifiers.push_back({std::move(*type), std::move(*value)});
  }
  auto profile = string_member(*order, "profile", "the newOrder payload's");
  auto replaces = string_member(*order, "replaces", "the newOrder payload's");
  if (!profile)
    return profile.error();
  if (!replaces)
    return replaces.error();
  if (order->contains("replaces") && !is_cert_id(*replaces))
    return malformed("\"replaces\" is not an ARI CertID (base64url.base64url): \"" + *replaces +
                     "\"");
  out.profile = std::move(*profile);
  out.replaces = std::move(*replaces);
  return out;
}

bool is_cert_id(std::string_view text) {
  const auto dot = text.find('.');
  return dot != std::string_view::npos && acme::is_base64url(text.substr(0, dot)) &&
         acme::is_base64url(text.substr(dot + 1));
}

}  // namespace certmill::acmefront
