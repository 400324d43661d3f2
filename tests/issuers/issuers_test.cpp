// The SelfSigned and CA backends on a shard-like io_context with a real worker
// pool: the documented bootstrap end to end, the results checked by openssl,
// and failures reported as Errors through the coroutine.
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "core/pki/csr.hpp"
#include "core/pki/tls_secret.hpp"
#include "core/pki/x509.hpp"
#include "issuers/ca.hpp"
#include "issuers/keygen.hpp"
#include "issuers/self_signed.hpp"
#include "reactor/run_on.hpp"
#include "tests/support/openssl_cli.hpp"

using namespace certmill;
using namespace std::chrono;
namespace asio = boost::asio;

namespace {

const Time start = sys_days(year(2026) / 5 / 1) + hours(8);

// One io_context on its own thread stands in for a shard.
struct Shard {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::thread thread{[this] { io.run(); }};
  ~Shard() {
    work.reset();
    io.stop();
    thread.join();
  }
  // Runs `task` on the shard and waits for it.
  template <class T>
  T run(asio::awaitable<T> task) {
    return reactor::run_and_wait(io.get_executor(), [&task]() mutable { return std::move(task); });
  }
};

struct Fixture {
  // Declared first, so destroyed last: a pool thread that has handed a
  // result to the shard still holds work on its io_context for a moment,
  // and UBSan caught it once in CI on an io_context already gone (as the
  // controller's own pool goes before its shards).
  Shard shard;
  reactor::WorkerPool pool{2};
  reactor::FakeClock clock{start};

  pki::PrivateKey key(api::PrivateKeyAlgorithm algorithm) {
    auto k = shard.run(issuers::generate_key(
        pool, pki::KeySpec{algorithm, algorithm == api::PrivateKeyAlgorithm::RSA ? 2048 : 256}));
    REQUIRE(k.ok());
    return std::move(*k);
  }
};

std::string pem_of(const pki::PrivateKey& key) {
  auto pem = pki::encode_private_key(key, api::PrivateKeyEncoding::PKCS1);
  REQUIRE(pem.ok());
  return *pem;
}

issuers::SignRequest request(const api::CertificateSpec& spec, const pki::PrivateKey& key) {
  auto csr = pki::build_csr(spec, key);
  REQUIRE(csr.ok());
  api::CertificateRequestSpec cr;
  cr.request.data = *csr;
  cr.duration = spec.duration;
  cr.is_ca = spec.is_ca;
  cr.usages = spec.usages;
  return issuers::sign_request_for(cr);
}

}  // namespace

TEST_CASE("bootstrap through the backends: SelfSigned root, CA Secret, CA issuer, leaf") {
  Fixture f;
  // 1. A SelfSigned Issuer signs the isCA root Certificate.
  api::Certificate root;
  root.metadata.name = "root";
  root.metadata.namespace_ = "certs";
  root.spec.secret_name = "root-ca";
  root.spec.issuer_ref = {"selfsigned", "ClusterIssuer", "cert-manager.io"};
  root.spec.common_name = "certmill root";
  root.spec.is_ca = true;
  const pki::PrivateKey root_key = f.key(api::PrivateKeyAlgorithm::ECDSA);
  issuers::SelfSignedBackend self_signed(f.pool, f.clock, {});
  issuers::SignRequest root_request = request(root.spec, root_key);
  root_request.private_key_pem = pem_of(root_key);
  auto root_issued = f.shard.run(self_signed.sign(root_request, {}));
  REQUIRE(root_issued.ok());
  CHECK(root_issued->ca_pem == root_issued->chain_pem);

  // 2. Its Secret, as certmill writes it, backs a CA Issuer.
  auto secret = pki::build_tls_secret(
      root, {pem_of(root_key), root_issued->chain_pem, root_issued->ca_pem, std::nullopt});
  REQUIRE(secret.ok());
  auto pair = issuers::ca_key_pair_from_secret(*secret, floor<seconds>(f.clock.now()));
  REQUIRE(pair.ok());
  api::CAIssuer ca_spec;
  ca_spec.secret_name = "root-ca";
  ca_spec.crl_distribution_points = {"http://crl.example/root.crl"};
  issuers::CaBackend ca(f.pool, f.clock, std::move(*pair), ca_spec);

  // 3. The CA Issuer signs a leaf, an hour later on the fake clock.
  f.clock.advance(hours(1));
  api::CertificateSpec leaf;
  leaf.dns_names = {"app.example.com"};
  leaf.usages = {api::KeyUsage::ServerAuth};
  const pki::PrivateKey leaf_key = f.key(api::PrivateKeyAlgorithm::RSA);
  auto issued = f.shard.run(ca.sign(request(leaf, leaf_key), {}));
  REQUIRE(issued.ok());
  CHECK(issued->ca_pem == root_issued->chain_pem);
  auto cert = pki::parse_certificate(issued->chain_pem, "leaf");
  REQUIRE(cert.ok());
  CHECK(cert->info().not_before == start + hours(1));
  // 90 days from now would outlive the 90-day root issued an hour earlier:
  // the leaf ends with its CA.
  CHECK(cert->info().not_after == start + hours(2160));

  test::ScratchDir dir;
  const auto out = test::openssl(
      {"verify", "-attime", std::to_string((start + hours(2)).time_since_epoch().count()),
       "-CAfile", dir.write("ca.crt", issued->ca_pem), dir.write("tls.crt", issued->chain_pem)});
  INFO(out.output);
  CHECK(out.status == 0);
  const auto text = test::openssl({"x509", "-noout", "-text", "-in", dir.path("tls.crt")});
  CHECK_THAT(text.output, Catch::Contains("URI:http://crl.example/root.crl"));
  CHECK_THAT(text.output, Catch::Contains("DNS:app.example.com"));
}

TEST_CASE("backend failures come back as Errors through the coroutine") {
  Fixture f;
  const pki::PrivateKey key = f.key(api::PrivateKeyAlgorithm::ECDSA);
  issuers::SelfSignedBackend self_signed(f.pool, f.clock, {});
  api::CertificateSpec spec;
  spec.common_name = "x";

  auto no_key = f.shard.run(self_signed.sign(request(spec, key), {}));
  REQUIRE_FALSE(no_key.ok());
  CHECK_THAT(no_key.error().message(), Catch::Contains("needs the private key"));

  issuers::SignRequest garbage;
  garbage.csr_pem = "not a csr";
  garbage.private_key_pem = pem_of(key);
  auto bad_csr = f.shard.run(self_signed.sign(garbage, {}));
  REQUIRE_FALSE(bad_csr.ok());
  CHECK_THAT(bad_csr.error().message(), Catch::Contains("certificate request holds no PEM block"));

  // A CA that expires while the issuer is in use refuses to sign.
  spec.is_ca = true;
  spec.duration = hours(24);
  issuers::SignRequest root = request(spec, key);
  root.private_key_pem = pem_of(key);
  auto root_issued = f.shard.run(self_signed.sign(root, {}));
  REQUIRE(root_issued.ok());
  auto pair = pki::load_ca_key_pair(root_issued->chain_pem, pem_of(key),
                                    floor<seconds>(f.clock.now()), "certs/short-ca");
  REQUIRE(pair.ok());
  issuers::CaBackend ca(f.pool, f.clock, std::move(*pair), {});
  f.clock.advance(hours(25));
  api::CertificateSpec leaf;
  leaf.common_name = "late";
  auto late = f.shard.run(ca.sign(request(leaf, key), {}));
  REQUIRE_FALSE(late.ok());
  CHECK_THAT(late.error().message(), Catch::Contains("CA Secret certs/short-ca"));
  CHECK_THAT(late.error().message(), Catch::Contains("expired at 2026-05-02T08:00:00Z"));
}

TEST_CASE("a CA Secret missing a key is named in the error") {
  api::Secret secret;
  secret.metadata.name = "ca";
  secret.metadata.namespace_ = "certs";
  secret.data["tls.crt"] = api::Bytes{"whatever"};
  auto pair = issuers::ca_key_pair_from_secret(secret, start);
  REQUIRE_FALSE(pair.ok());
  CHECK(pair.error().message() == "CA Secret certs/ca has no tls.key");
}

TEST_CASE("RSA key generation runs on the worker pool and the shard keeps running") {
  // Before the fixture, so they outlive its shard, where the ticker may
  // still wake once after `done`.
  std::atomic<int> ticks{0};
  std::atomic<bool> done{false};
  Fixture f;
  const auto shard_thread = f.shard.thread.get_id();
  asio::co_spawn(
      f.shard.io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        while (!done) {
          timer.expires_after(milliseconds(2));
          co_await timer.async_wait(asio::use_awaitable);
          ++ticks;
        }
      },
      asio::detached);
  auto key = f.shard.run([&]() -> asio::awaitable<Result<pki::PrivateKey>> {
    const int before = ticks;
    auto k = co_await issuers::generate_key(f.pool, {api::PrivateKeyAlgorithm::RSA, 4096});
    // Resumed on the shard, which ticked while the pool generated.
    CHECK(std::this_thread::get_id() == shard_thread);
    CHECK(ticks > before);
    co_return k;
  }());
  done = true;
  REQUIRE(key.ok());
  CHECK(key->bits() == 4096);
}
