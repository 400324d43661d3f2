// A Certificate manifest to a CertificateRequest, for create certificaterequest.
#include "tools/certmill/ops/request_from_certificate.hpp"

#include <boost/json/parse.hpp>

#include "core/api/codec.hpp"
#include "k8s/yaml.hpp"

namespace certmill::ops {

namespace json = boost::json;

Result<api::Certificate> certificate_from_manifest(std::string_view text, std::string_view what) {
  auto documents = k8s::yaml_documents_to_json(text);
  if (!documents)
    return Error(Errc::invalid_argument, std::string(what) + ": " + documents.error().message());
  if (documents->size() != 1)
    return Error(Errc::invalid_argument, std::string(what) + ": want one Certificate, found " +
                                             std::to_string(documents->size()) + " documents");
  const std::string& doc = documents->front();
  boost::system::error_code ec;
  const json::value value = json::parse(doc, ec);
  const json::object* object = ec ? nullptr : value.if_object();
  const json::value* kind = object ? object->if_contains("kind") : nullptr;
  if (!kind || !kind->is_string() || kind->get_string() != "Certificate") {
    const std::string found = kind && kind->is_string() ? std::string(kind->get_string()) : "none";
    return Error(Errc::invalid_argument,
                 std::string(what) + ": want a Certificate, the kind is " + found);
  }
  auto certificate = api::decode<api::Certificate>(doc);
  if (!certificate)
    return Error(Errc::invalid_argument, std::string(what) + ": " + certificate.error().message());
  return certificate;
}

api::CertificateRequest request_for(const api::Certificate& certificate, std::string name,
                                    std::string ns, std::string csr_pem) {
  api::CertificateRequest request;
  request.metadata.name = std::move(name);
  request.metadata.namespace_ = std::move(ns);
  request.metadata.labels = certificate.metadata.labels;
  request.metadata.annotations = certificate.metadata.annotations;
  request.spec.request.data = std::move(csr_pem);
  request.spec.issuer_ref = certificate.spec.issuer_ref;
  request.spec.duration = certificate.spec.duration;
  request.spec.is_ca = certificate.spec.is_ca;
  request.spec.usages = certificate.spec.usages;
  return request;
}

}  // namespace certmill::ops
