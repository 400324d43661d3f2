// The search: needles keyed by their first 16 characters, every 16-character
// window of every text looked up once.
#include "tests/controller_live/exposure_scan.hpp"

#include <sstream>
#include <string_view>
#include <unordered_map>

#include "core/base64.hpp"
#include "tests/controller_live/harness.hpp"

namespace certmill::test {

namespace {

constexpr std::size_t kWindow = 16;

bool only_certificates(std::string_view value) {
  return (value.starts_with("-----BEGIN CERTIFICATE") ||
          value.starts_with("-----BEGIN CERTIFICATE REQUEST")) &&
         value.find("PRIVATE KEY") == std::string_view::npos;
}

// The base64 lines inside a PEM private key's armour.
void add_pem_body(std::string_view pem, std::vector<std::string>& out) {
  std::istringstream lines{std::string(pem)};
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("-----BEGIN") && line.find("PRIVATE KEY") != std::string::npos)
      inside = true;
    else if (line.starts_with("-----END"))
      inside = false;
    else if (inside && line.size() >= kWindow)
      out.push_back(line);
  }
}

}  // namespace

std::vector<std::string> secret_material(const boost::json::value& secrets) {
  std::vector<std::string> out;
  for (const auto& item : secrets.at("items").as_array()) {
    const auto* data = item.as_object().if_contains("data");
    if (!data || !data->is_object())
      continue;
    for (const auto& [key, encoded] : data->as_object()) {
      if (!encoded.is_string())
        continue;
      auto value = base64_decode(std::string(encoded.as_string()));
      if (!value || value->size() < kWindow || only_certificates(*value))
        continue;
      if (value->find("PRIVATE KEY-----") != std::string::npos)
        add_pem_body(*value, out);
      else
        out.push_back(*value);
      out.emplace_back(encoded.as_string());
    }
  }
  return out;
}

std::vector<std::string> exposures(const std::vector<std::string>& texts,
                                   const std::vector<std::string>& needles) {
  std::unordered_multimap<std::string_view, const std::string*> by_start;
  std::vector<std::string_view> short_ones;  // a test's own few credentials
  for (const std::string& needle : needles) {
    if (needle.size() >= kWindow)
      by_start.emplace(std::string_view(needle).substr(0, kWindow), &needle);
    else if (!needle.empty())
      short_ones.push_back(needle);
  }
  std::vector<std::string> found;
  for (const std::string& text : texts) {
    const std::string_view t(text);
    bool seen = false;
    for (std::string_view needle : short_ones)
      seen = seen || t.find(needle) != std::string_view::npos;
    for (std::size_t i = 0; !seen && i + kWindow <= t.size(); ++i) {
      auto [first, last] = by_start.equal_range(t.substr(i, kWindow));
      for (auto it = first; it != last && !seen; ++it)
        seen = t.substr(i).starts_with(*it->second);
    }
    if (seen)
      found.push_back(text.substr(0, 300));
  }
  return found;
}

std::vector<std::string> cluster_texts(ControllerHarness& h, const std::vector<std::string>& log) {
  std::vector<std::string> texts;
  for (const std::string& line : log)
    texts.push_back("log: " + line);
  if (auto events = h.get("/api/v1/events")) {
    for (const auto& event : events->at("items").as_array())
      texts.push_back("Event: " + boost::json::serialize(event));
  }
  for (const char* path :
       {"/apis/cert-manager.io/v1/certificates", "/apis/cert-manager.io/v1/certificaterequests",
        "/apis/acme.cert-manager.io/v1/orders", "/apis/acme.cert-manager.io/v1/challenges",
        "/apis/cert-manager.io/v1/issuers", "/apis/cert-manager.io/v1/clusterissuers"}) {
    auto list = h.get(path);
    if (!list)
      continue;
    for (const auto& item : list->at("items").as_array()) {
      if (const auto* status = item.as_object().if_contains("status"))
        texts.push_back(std::string(path) + " status: " + boost::json::serialize(*status));
    }
  }
  return texts;
}

}  // namespace certmill::test
