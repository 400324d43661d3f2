// Decoding a Certificate LIST page as the API server returns it: the cost of
// an informer's initial list, and of every relist after a 410 Gone.
#include <cstdio>
#include <string>

#include <benchmark/benchmark.h>

#include "core/api/certificate.hpp"
#include "core/api/codec.hpp"

namespace {

using certmill::api::Certificate;

// One item shaped like the API server's answer: server-set metadata with
// managedFields, a spec as users write it, and the status certmill maintains.
void append_certificate(std::string& out, int i) {
  const int ns = i % 50;
  const int names = 1 + i % 4;
  const bool ready = i % 10 != 0;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{)"
                R"("creationTimestamp":"2024-0%d-%02dT%02d:%02d:00Z","generation":%d,)"
                R"("labels":{"app.kubernetes.io/name":"svc-%d","team":"team-%d"},)",
                1 + i % 9, 1 + i % 28, i % 24, i % 60, 1 + i % 5, i, ns);
  out += buf;
  std::snprintf(
      buf, sizeof buf,
      R"("annotations":{"cert-manager.io/issue-temporary-certificate":"true"},)"
      R"("managedFields":[{"apiVersion":"cert-manager.io/v1","fieldsType":"FieldsV1",)"
      R"("fieldsV1":{"f:spec":{".":{},"f:dnsNames":{},"f:issuerRef":{".":{},"f:name":{}},)"
      R"("f:secretName":{}}},"manager":"kubectl-client-side-apply","operation":"Update",)"
      R"("time":"2024-01-01T00:00:00Z"}],"name":"svc-%d","namespace":"team-%d",)"
      R"("resourceVersion":"%d","uid":"%08x-1c39-4a0f-9a8b-%012x"},)",
      i, ns, 100000 + i, static_cast<unsigned>(i) * 2654435761u, static_cast<unsigned>(i));
  out += buf;
  std::snprintf(
      buf, sizeof buf,
      R"("spec":{"secretName":"svc-%d-tls","issuerRef":{"name":"%s","kind":"ClusterIssuer",)"
      R"("group":"cert-manager.io"},"commonName":"svc-%d.team-%d.example.com",)"
      R"("duration":"2160h","renewBefore":"360h","privateKey":{"algorithm":"ECDSA",)"
      R"("size":256,"rotationPolicy":"Always"},"usages":["digital signature",)"
      R"("key encipherment","server auth"],"dnsNames":[)",
      i, i % 3 == 0 ? "letsencrypt-prod" : "internal-ca", i, ns);
  out += buf;
  for (int n = 0; n < names; ++n) {
    std::snprintf(buf, sizeof buf, R"(%s"%s%d.team-%d.example.com")", n == 0 ? "" : ",",
                  n == 0   ? "svc-"
                  : n == 1 ? "www.svc-"
                           : "alt.svc-",
                  i * 10 + n, ns);
    out += buf;
  }
  std::snprintf(
      buf, sizeof buf,
      R"(]},"status":{"conditions":[{"lastTransitionTime":"2024-05-01T10:00:05Z",)"
      R"("message":"%s","observedGeneration":%d,"reason":"%s","status":"%s","type":"Ready"}],)"
      R"("notAfter":"2024-07-30T10:00:04Z","notBefore":"2024-05-01T10:00:04Z",)"
      R"("renewalTime":"2024-07-15T10:00:04Z","revision":%d}})",
      ready ? "Certificate is up to date and has not expired"
            : "Issuing certificate as Secret does not exist",
      1 + i % 5, ready ? "Ready" : "DoesNotExist", ready ? "True" : "False", 1 + i % 7);
  out += buf;
}

std::string certificate_list(int items) {
  std::string out = R"({"apiVersion":"cert-manager.io/v1","items":[)";
  for (int i = 0; i < items; ++i) {
    if (i > 0)
      out += ',';
    append_certificate(out, i);
  }
  out += R"(],"kind":"CertificateList","metadata":{"continue":"","resourceVersion":"987654"}})";
  return out;
}

void BM_DecodeCertificateList(benchmark::State& state) {
  const auto items = static_cast<int>(state.range(0));
  const std::string json = certificate_list(items);
  for (auto _ : state) {
    auto list = certmill::api::decode_list<Certificate>(json);
    if (!list.ok() || list->items.size() != static_cast<std::size_t>(items)) {
      state.SkipWithError("the generated list did not decode");
      break;
    }
    benchmark::DoNotOptimize(list->items.data());
  }
  state.SetItemsProcessed(state.iterations() * items);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
  state.counters["bytes_per_item"] = static_cast<double>(json.size()) / items;
}
BENCHMARK(BM_DecodeCertificateList)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
