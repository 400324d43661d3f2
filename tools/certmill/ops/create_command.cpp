// certmill create certificaterequest NAME --from-certificate-file FILE: asks
// for a certificate outside any Certificate's lifecycle, as cmctl create
// certificaterequest does: a new private key kept in a local file, a
// CertificateRequest built from a Certificate manifest's spec, and with
// --fetch-certificate the signed certificate written next to the key.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "core/duration.hpp"
#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "tools/certmill/commands.hpp"
#include "tools/certmill/ops/command_support.hpp"
#include "tools/certmill/ops/request_from_certificate.hpp"
#include "tools/certmill/ops/status_verdict.hpp"

namespace certmill::cmd {

using namespace certmill::ops;

namespace {

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(Errc::invalid_argument, "cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Written with mode 0600 even over an existing file: it may hold a private key.
Status write_private_file(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return Error(Errc::invalid_argument, "cannot write " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; ok && done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    ok = n > 0;
    done += ok ? static_cast<std::size_t>(n) : 0;
  }
  const int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok)
    return Error(Errc::invalid_argument, "cannot write " + path + ": " + std::strerror(saved));
  return {};
}

// The namespace: -n, else the manifest's, else the context's; -n and a
// different one in the manifest is an error, as with kubectl create -f.
Result<std::string> request_namespace(const OpsFlags& ops, const api::Certificate& certificate,
                                      const Session& session) {
  const std::string& in_file = certificate.metadata.namespace_;
  if (!ops.namespace_.empty() && !in_file.empty() && in_file != ops.namespace_)
    return Error(Errc::invalid_argument, "the manifest's namespace \"" + in_file +
                                             "\" is not --namespace \"" + ops.namespace_ + "\"");
  if (!ops.namespace_.empty())
    return ops.namespace_;
  return in_file.empty() ? session.namespace_() : in_file;
}

// Polls until the request is signed (its chain), ends without a certificate
// (Failed, Denied: exit 1 with the reason) or `timeout` passes.
int fetch_certificate(Session& session, const std::string& ns, const std::string& name,
                      Duration timeout, const std::string& path) {
  std::printf(
      "CertificateRequest %s in namespace %s has not been signed yet. Waiting until it "
      "is signed...\n",
      name.c_str(), ns.c_str());
  std::fflush(stdout);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto request = session.get<api::CertificateRequest>(ns, name);
    if (!request)
      return report_error(session, request.error(), "certificaterequest " + ns + "/" + name,
                          "cert-manager.io/v1");
    const auto& conditions = request->status.conditions;
    const api::Condition* ready = find_condition(conditions, "Ready");
    const api::Condition* denied = find_condition(conditions, "Denied");
    if (ready && ready->status == api::ConditionStatus::True &&
        !request->status.certificate.data.empty()) {
      std::printf("CertificateRequest %s in namespace %s has been signed\n", name.c_str(),
                  ns.c_str());
      if (auto written = write_private_file(path, request->status.certificate.data); !written) {
        std::fprintf(stderr, "certmill: %s\n", written.error().message().c_str());
        return kExitNotWell;
      }
      std::printf("Certificate has been stored in file %s\n", path.c_str());
      return kExitOk;
    }
    // Denied is final whether or not a controller has marked Ready yet.
    if (denied && denied->status == api::ConditionStatus::True) {
      std::fprintf(stderr, "certmill: CertificateRequest %s/%s was denied (%s): %s\n", ns.c_str(),
                   name.c_str(), denied->reason.c_str(), denied->message.c_str());
      return kExitNotWell;
    }
    if (ready && (ready->reason == "Failed" || ready->reason == "Denied")) {
      std::fprintf(stderr, "certmill: CertificateRequest %s/%s was not signed: %s: %s\n",
                   ns.c_str(), name.c_str(), ready->reason.c_str(), ready->message.c_str());
      return kExitNotWell;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::fprintf(stderr, "certmill: CertificateRequest %s/%s not signed within %s%s%s\n",
                   ns.c_str(), name.c_str(), format_duration_go(timeout).c_str(), ready ? ": " : "",
                   ready ? ready->message.c_str() : "");
      return kExitNotWell;
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace

int create(Args args) {
  cli::FlagSet flags("certmill create certificaterequest NAME --from-certificate-file FILE",
                     "Creates the CertificateRequest NAME from a Certificate manifest (as cmctl\n"
                     "create certificaterequest): generates a private key as its spec.privateKey\n"
                     "asks, writes it to NAME.key (mode 0600), and asks with a CSR for the\n"
                     "Certificate's names, issuerRef, duration, isCA and usages. With\n"
                     "--fetch-certificate it waits until the request is signed and writes the\n"
                     "certificate to NAME.crt. Exit code 0, 1 when the request is denied, fails\n"
                     "or is not signed in time, 2 for usage errors and unreadable manifests, 3\n"
                     "when the API cannot be asked.");
  OpsFlags ops;
  ops.add_to(flags, false, {});
  std::string from_file, key_file, cert_file;
  bool fetch = false;
  Duration timeout = std::chrono::minutes(5);
  flags.add("from-certificate-file", &from_file, "the Certificate manifest (YAML or JSON)");
  flags.add("fetch-certificate", &fetch,
            "wait until the request is signed and write the certificate");
  flags.add("timeout", &timeout, "how long --fetch-certificate waits");
  flags.add("output-key-file", &key_file, "where to write the private key (default: NAME.key)");
  flags.add("output-certificate-file", &cert_file,
            "where to write the certificate (default: NAME.crt)");
  std::vector<std::string> positional;
  if (int code = parse_command(flags, args, 2, positional); code >= 0)
    return code;
  if (positional[0] != "certificaterequest" && positional[0] != "cr") {
    std::fprintf(stderr, "certmill: create knows \"certificaterequest\", not \"%s\"\n",
                 positional[0].c_str());
    return kExitUsage;
  }
  if (from_file.empty()) {
    std::fprintf(stderr, "certmill: create certificaterequest needs --from-certificate-file\n");
    return kExitUsage;
  }
  const std::string& name = positional[1];
  if (key_file.empty())
    key_file = name + ".key";
  if (cert_file.empty())
    cert_file = name + ".crt";
  auto text = read_text(from_file);
  auto certificate =
      text ? certificate_from_manifest(*text, from_file) : Result<api::Certificate>(text.error());
  if (!certificate) {
    std::fprintf(stderr, "certmill: %s\n", certificate.error().message().c_str());
    return kExitUsage;
  }
  auto key_spec = pki::key_spec_for(certificate->spec.private_key);
  auto key =
      key_spec ? pki::generate_private_key(*key_spec) : Result<pki::PrivateKey>(key_spec.error());
  auto key_pem =
      key ? pki::encode_private_key(*key, key_spec->encoding) : Result<std::string>(key.error());
  auto csr =
      key_pem ? pki::build_csr(certificate->spec, *key) : Result<std::string>(key_pem.error());
  if (!csr) {
    std::fprintf(stderr, "certmill: %s: %s\n", from_file.c_str(), csr.error().message().c_str());
    return kExitUsage;
  }
  auto session = open_or_report(ops);
  if (!session)
    return kExitApi;
  auto ns = request_namespace(ops, *certificate, *session);
  if (!ns) {
    std::fprintf(stderr, "certmill: %s\n", ns.error().message().c_str());
    return kExitUsage;
  }
  // The request first, then its key: a name already taken (409) must not
  // cost the key file of the request that holds it, e.g. on a rerun after a
  // --fetch-certificate timeout.
  auto created = session->create(request_for(*certificate, name, *ns, std::move(*csr)));
  if (!created)
    return report_error(*session, created.error(),
                        "creating certificaterequest " + *ns + "/" + name, "cert-manager.io/v1");
  std::printf("CertificateRequest %s has been created in namespace %s\n", name.c_str(),
              ns->c_str());
  if (auto written = write_private_file(key_file, *key_pem); !written) {
    std::fprintf(stderr,
                 "certmill: %s; the request's key is lost: delete it with kubectl delete "
                 "certificaterequest %s -n %s\n",
                 written.error().message().c_str(), name.c_str(), ns->c_str());
    return kExitNotWell;
  }
  std::printf("Private key written to file %s\n", key_file.c_str());
  if (!fetch)
    return kExitOk;
  return fetch_certificate(*session, *ns, name, timeout, cert_file);
}

}  // namespace certmill::cmd
