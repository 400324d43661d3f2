// Creating objects from manifests, as `kubectl create -f` does: every
// document of a YAML stream is POSTed to its kind's collection. Used by the
// demo and the fleet benchmark to set up kube-sim; objects that already exist
// are left as they are.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "core/result.hpp"
#include "k8s/http_client.hpp"

namespace certmill::fleet {

namespace asio = boost::asio;

// The collection a kind's objects are created in; an error names a kind
// this setup does not know.
Result<std::string> collection_path(std::string_view kind, std::string_view ns);

// Creates every document of `yaml`; returns how many were created.
asio::awaitable<Result<unsigned>> apply_yaml(k8s::HttpClient& http, std::string yaml);

// Creates the CRDs of deploy/crds (or another directory of YAML files).
asio::awaitable<Result<unsigned>> apply_directory(k8s::HttpClient& http, std::filesystem::path dir);

}  // namespace certmill::fleet
