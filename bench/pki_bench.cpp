// PKI costs: key generation per algorithm and CA signing of one leaf, next to
// `openssl speed` on the same machine, and reading back the keys, certificates
// and CSRs the caches project (bench/RESULTS.md).
#include <benchmark/benchmark.h>

#include "core/pki/csr.hpp"
#include "core/pki/keys.hpp"
#include "core/pki/sign.hpp"

using namespace certmill;
using api::PrivateKeyAlgorithm;

namespace {

pki::PrivateKey key(PrivateKeyAlgorithm algorithm, int bits) {
  auto k = pki::generate_private_key({algorithm, bits});
  if (!k)
    throw std::runtime_error(k.error().message());
  return std::move(*k);
}

void BM_GenerateKey(benchmark::State& state, PrivateKeyAlgorithm algorithm, int bits) {
  for (auto _ : state) {
    auto k = pki::generate_private_key({algorithm, bits});
    benchmark::DoNotOptimize(k);
  }
  state.counters["keys/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// A CA of the given key type, made the way the bootstrap makes one.
pki::CaKeyPair make_ca(PrivateKeyAlgorithm algorithm, int bits, Time now) {
  const pki::PrivateKey ca_key = key(algorithm, bits);
  api::CertificateSpec root;
  root.common_name = "bench root";
  root.is_ca = true;
  auto csr = pki::build_csr(root, ca_key);
  auto issued = pki::sign_self_signed({*csr, std::nullopt, true, {}, now}, ca_key, {});
  auto pem = pki::encode_private_key(ca_key, api::PrivateKeyEncoding::PKCS8);
  auto pair = pki::load_ca_key_pair(issued->chain_pem, *pem, now, "bench/ca");
  if (!pair)
    throw std::runtime_error(pair.error().message());
  return std::move(*pair);
}

void BM_SignLeafWithCa(benchmark::State& state, PrivateKeyAlgorithm ca_algorithm, int ca_bits) {
  const Time now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const pki::CaKeyPair ca = make_ca(ca_algorithm, ca_bits, now);
  const pki::PrivateKey leaf_key = key(PrivateKeyAlgorithm::ECDSA, 256);
  api::CertificateSpec leaf;
  leaf.common_name = "app.example.com";
  leaf.dns_names = {"app.example.com", "www.example.com"};
  leaf.usages = {api::KeyUsage::DigitalSignature, api::KeyUsage::KeyEncipherment,
                 api::KeyUsage::ServerAuth};
  const pki::SigningRequest request{*pki::build_csr(leaf, leaf_key), std::nullopt, false,
                                    leaf.usages, now};
  for (auto _ : state) {
    auto issued = pki::sign_with_ca(request, ca, {});
    if (!issued)
      state.SkipWithError(issued.error().message().c_str());
    benchmark::DoNotOptimize(issued);
  }
  state.counters["certs/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_BuildCsr(benchmark::State& state, PrivateKeyAlgorithm algorithm, int bits) {
  const pki::PrivateKey k = key(algorithm, bits);
  api::CertificateSpec spec;
  spec.common_name = "app.example.com";
  spec.dns_names = {"app.example.com"};
  for (auto _ : state) {
    auto csr = pki::build_csr(spec, k);
    benchmark::DoNotOptimize(csr);
  }
}

// Reading back what certmill wrote: every Secret and CertificateRequest the
// caches project is parsed once per version, so these run per watch event.
struct Written {
  std::string key_pem;
  std::string chain_pem;
  std::string csr_pem;
};

Written written(PrivateKeyAlgorithm algorithm, int bits) {
  const Time now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const pki::CaKeyPair ca = make_ca(PrivateKeyAlgorithm::ECDSA, 256, now);
  const pki::PrivateKey leaf_key = key(algorithm, bits);
  api::CertificateSpec leaf;
  leaf.common_name = "app.example.com";
  leaf.dns_names = {"app.example.com"};
  Written w;
  w.csr_pem = *pki::build_csr(leaf, leaf_key);
  w.chain_pem = pki::sign_with_ca({w.csr_pem, std::nullopt, false, {}, now}, ca, {})->chain_pem;
  w.key_pem = *pki::encode_private_key(leaf_key, api::PrivateKeyEncoding::PKCS1);
  return w;
}

void BM_ParsePrivateKey(benchmark::State& state, PrivateKeyAlgorithm algorithm, int bits) {
  const Written w = written(algorithm, bits);
  for (auto _ : state) {
    auto k = pki::parse_private_key(w.key_pem, "tls.key");
    if (!k)
      state.SkipWithError(k.error().message().c_str());
    benchmark::DoNotOptimize(k);
  }
}

void BM_ParseCertificate(benchmark::State& state) {
  const Written w = written(PrivateKeyAlgorithm::ECDSA, 256);
  for (auto _ : state) {
    auto c = pki::parse_certificate(w.chain_pem, "tls.crt");
    if (!c)
      state.SkipWithError(c.error().message().c_str());
    benchmark::DoNotOptimize(c);
  }
}

void BM_ParseCsr(benchmark::State& state) {
  const Written w = written(PrivateKeyAlgorithm::ECDSA, 256);
  for (auto _ : state) {
    auto c = pki::parse_csr(w.csr_pem);
    if (!c)
      state.SkipWithError(c.error().message().c_str());
    benchmark::DoNotOptimize(c);
  }
}

void BM_ReadCsr(benchmark::State& state) {
  const Written w = written(PrivateKeyAlgorithm::ECDSA, 256);
  for (auto _ : state) {
    auto c = pki::read_csr(w.csr_pem);
    if (!c)
      state.SkipWithError(c.error().message().c_str());
    benchmark::DoNotOptimize(c);
  }
}

// Hashing a public key the two ways: its DER, and its fingerprint.
void BM_PublicKey(benchmark::State& state, bool fingerprint) {
  const pki::PrivateKey k = key(PrivateKeyAlgorithm::ECDSA, 256);
  for (auto _ : state) {
    auto bytes = fingerprint ? pki::public_key_fingerprint(k.get()) : pki::public_key_der(k.get());
    benchmark::DoNotOptimize(bytes);
  }
}

}  // namespace

BENCHMARK_CAPTURE(BM_GenerateKey, RSA_2048, PrivateKeyAlgorithm::RSA, 2048)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(3);
BENCHMARK_CAPTURE(BM_GenerateKey, RSA_3072, PrivateKeyAlgorithm::RSA, 3072)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(5);
BENCHMARK_CAPTURE(BM_GenerateKey, RSA_4096, PrivateKeyAlgorithm::RSA, 4096)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(8);
BENCHMARK_CAPTURE(BM_GenerateKey, ECDSA_P256, PrivateKeyAlgorithm::ECDSA, 256)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GenerateKey, ECDSA_P384, PrivateKeyAlgorithm::ECDSA, 384)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GenerateKey, ECDSA_P521, PrivateKeyAlgorithm::ECDSA, 521)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GenerateKey, Ed25519, PrivateKeyAlgorithm::Ed25519, 256)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SignLeafWithCa, ECDSA_P256_CA, PrivateKeyAlgorithm::ECDSA, 256)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SignLeafWithCa, RSA_2048_CA, PrivateKeyAlgorithm::RSA, 2048)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SignLeafWithCa, Ed25519_CA, PrivateKeyAlgorithm::Ed25519, 256)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_BuildCsr, ECDSA_P256, PrivateKeyAlgorithm::ECDSA, 256)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_BuildCsr, RSA_2048, PrivateKeyAlgorithm::RSA, 2048)
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_CAPTURE(BM_ParsePrivateKey, ECDSA_P256_SEC1, PrivateKeyAlgorithm::ECDSA, 256);
BENCHMARK_CAPTURE(BM_ParsePrivateKey, RSA_2048_PKCS1, PrivateKeyAlgorithm::RSA, 2048);
BENCHMARK(BM_ParseCertificate);
BENCHMARK(BM_ParseCsr);
BENCHMARK(BM_ReadCsr);
BENCHMARK_CAPTURE(BM_PublicKey, der_ECDSA_P256, false);
BENCHMARK_CAPTURE(BM_PublicKey, fingerprint_ECDSA_P256, true);

BENCHMARK_MAIN();
