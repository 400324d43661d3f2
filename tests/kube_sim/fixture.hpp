// Helpers shared by kube-sim's tests: requests with the fixture's token, and
// loading the project's CRDs and manifests.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "tests/kube_sim/client.hpp"
#include "tests/support/kube_sim.hpp"

namespace certmill::test {

inline HttpResponse request(const KubeSim& sim, std::string method, std::string target,
                            std::string body = "", std::string content_type = "application/json") {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty())
    r.content_type = std::move(content_type);
  r.token = sim.token;
  return send(sim.port, r);
}

inline boost::json::value body_of(const HttpResponse& r) {
  return boost::json::parse(r.body);
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The YAML documents of a file (split on "---" lines).
inline std::vector<std::string> yaml_documents(const std::string& text) {
  std::vector<std::string> docs(1);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line == "---") {
      docs.emplace_back();
      continue;
    }
    docs.back() += line + "\n";
  }
  std::erase_if(docs, [](const std::string& d) { return d.find("kind:") == std::string::npos; });
  return docs;
}

// A top-level field of a YAML document ("kind", or "namespace" under metadata).
inline std::string yaml_field(const std::string& doc, const std::string& key, int indent) {
  std::istringstream in(doc);
  std::string line;
  const std::string prefix = std::string(static_cast<std::size_t>(indent), ' ') + key + ": ";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0)
      return line.substr(prefix.size());
  return "";
}

inline std::string crd_dir() {
  return std::string(CERTMILL_SOURCE_DIR) + "/deploy/crds";
}

// `yaml` without its x-kubernetes-validations blocks: CRDs as a cluster that
// installed them before the validation rules has them.
inline std::string without_validation_rules(const std::string& yaml) {
  std::istringstream in(yaml);
  std::string out;
  std::string line;
  std::size_t skip_deeper_than = std::string::npos;
  while (std::getline(in, line)) {
    const std::size_t indent = line.find_first_not_of(' ');
    if (skip_deeper_than != std::string::npos && indent != std::string::npos &&
        indent > skip_deeper_than)
      continue;
    skip_deeper_than = std::string::npos;
    if (indent != std::string::npos && line.compare(indent, 25, "x-kubernetes-validations:") == 0) {
      skip_deeper_than = indent;
      continue;
    }
    out += line + "\n";
  }
  return out;
}

enum class CrdRules { Included, LeftOut };

// Creates every CRD of deploy/crds; returns how many.
inline int apply_crds(const KubeSim& sim, CrdRules rules = CrdRules::Included) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(crd_dir())) {
    if (entry.path().extension() != ".yaml")
      continue;
    std::string text = slurp(entry.path());
    if (rules == CrdRules::LeftOut)
      text = without_validation_rules(text);
    for (const auto& doc : yaml_documents(text)) {
      auto r = request(sim, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", doc,
                       "application/yaml");
      if (r.status != 201)
        throw std::runtime_error("creating the CRD in " + entry.path().string() + ": " + r.body);
      ++n;
    }
  }
  return n;
}

}  // namespace certmill::test
