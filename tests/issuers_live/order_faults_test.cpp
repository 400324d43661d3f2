// Orders that meet a CA's bad moments, against Pebble behind acme-front: a
// 500 on every third order poll, a reset instead of an authorization's
// answer, a 503 serverInternal from finalize. Each order still ends valid,
// the client counts the requests it sent again, and no order is placed
// twice. Also what acme-front's /fault accepts.
#include <algorithm>
#include <mutex>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "issuers/acme/order.hpp"
#include "issuers/acme/request_observer.hpp"
#include "tests/acme_front/front_live.hpp"
#include "tests/issuers_live/acme_live.hpp"
#include "tests/support/acme_front.hpp"

using namespace certmill;
using namespace certmill::issuers::acme;

namespace {

class LabelRecorder final : public RequestObserver {
 public:
  void observe(const RequestLabels& labels, double) override {
    std::lock_guard lock(mutex_);
    seen_.push_back(labels);
  }
  std::size_t count(const RequestLabels& labels) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count(seen_.begin(), seen_.end(), labels));
  }
  std::size_t count_path(std::string_view path, std::string_view status) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(seen_.begin(), seen_.end(), [&](const auto& l) {
      return l.path == path && l.status == status;
    }));
  }

 private:
  mutable std::mutex mutex_;
  std::vector<RequestLabels> seen_;
};

// Pebble (every challenge valid), acme-front before it, and a registered
// client whose requests `sent` records.
struct FaultySetup {
  FaultySetup() : pebble(test::PebbleOptions{.always_valid = true}), front(pebble) {
    acme.run([&]() -> asio::awaitable<void> {
      auto transport = Transport::create(acme.shard().executor(), test::trusting(front));
      REQUIRE(transport);
      ClientConfig config;
      config.directory_url = front.directory_url;
      config.request_timeout = std::chrono::seconds(20);
      config.observer = sent;
      auto client =
          Client::create(std::move(*transport), std::move(config), test::ec_key(), acme.clock);
      REQUIRE(client);
      acme.client = std::move(*client);
      co_return;
    });
    test::register_account(acme);
  }

  Result<IssuedChain> issue(const std::string& name) {
    OrderRequest request;
    request.csr_pem = test::csr_for({name});
    return acme.run([&]() -> asio::awaitable<Result<IssuedChain>> {
      co_return co_await issue_certificate(*acme.client, request, solver);
    });
  }

  void fault(boost::json::object fault) {
    front.must_post("/fault", boost::json::serialize(fault));
  }

  // A member of /stats's object `group` ("requests", "faults"), 0 when absent.
  std::uint64_t stat(const char* group, const char* kind) const {
    const auto stats = boost::json::parse(front.get("/stats").body);
    const auto* n = stats.at(group).as_object().if_contains(kind);
    return n ? n->to_number<std::uint64_t>() : 0;
  }

  // Orders the CA created: newOrder requests answered 201.
  std::size_t orders_created() {
    auto directory = acme.run([&]() -> asio::awaitable<Result<Directory>> {
      co_return co_await acme.client->directory();
    });
    REQUIRE(directory);
    return sent->count(request_labels("POST", directory->new_order, 201));
  }

  std::size_t transient_retries() {
    return acme.run(
        [&]() -> asio::awaitable<std::size_t> { co_return acme.client->transient_retries(); });
  }

  std::string seen() const { return front.get("/stats").body + "\nfront log:\n" + front.log(); }

  test::Pebble pebble;
  test::AcmeFront front;
  test::AcmeShard acme{front.directory_url, test::trusting(front)};
  std::shared_ptr<LabelRecorder> sent = std::make_shared<LabelRecorder>();
  test::RecordingSolver solver;
};

void require_valid(const FaultySetup& setup, const Result<IssuedChain>& issued) {
  INFO((issued ? std::string() : issued.error().message()) << "\n" << setup.seen());
  REQUIRE(issued);
  CHECK(issued->chain_pem.find("BEGIN CERTIFICATE") != std::string::npos);
}

}  // namespace

TEST_CASE("orders end valid when every third order poll is answered 500") {
  FaultySetup setup;
  // An error page, not a problem document: a 5xx is the server's failure
  // whatever its body says.
  setup.fault({{"kind", "order"},
               {"status", 500},
               {"content_type", "text/html"},
               {"body", "<h1>500 Internal Server Error</h1>"},
               {"every", 3}});
  constexpr int kOrders = 4;
  for (int i = 0; i < kOrders; ++i)
    require_valid(setup, setup.issue("poll" + std::to_string(i) + ".example.com"));

  INFO(setup.seen());
  const auto polls = setup.stat("requests", "order");
  const auto faults = setup.stat("faults", "order");
  CHECK(faults > 0);
  CHECK(faults == polls / 3);  // every third answer, and only those
  CHECK(setup.transient_retries() >= faults);
  CHECK(setup.orders_created() == kOrders);
}

TEST_CASE("an authorization read whose connection is reset is read again") {
  FaultySetup setup;
  // Twice: a reset on a kept-alive connection is sent once more on a new
  // one by the HTTPS client itself, and only the second reaches the order.
  setup.fault({{"kind", "authorization"}, {"reset", true}, {"times", 2}});
  require_valid(setup, setup.issue("reset.example.com"));

  INFO(setup.seen());
  CHECK(setup.stat("faults", "authorization") == 2);
  CHECK(setup.transient_retries() >= 1);
  CHECK(setup.orders_created() == 1);
}

TEST_CASE(
    "a challenge response whose connection is reset, then refused when sent again, is no failure") {
  FaultySetup setup;
  // The CA took the first POST and started validating; the copy sent again
  // is refused (Pebble: malformed, "Cannot update challenge with status
  // valid"), and the authorization shows the challenge is under way.
  setup.fault({{"kind", "challenge"}, {"reset", true}, {"times", 1}});
  require_valid(setup, setup.issue("challenge-reset.example.com"));

  INFO(setup.seen());
  CHECK(setup.stat("faults", "challenge") == 1);
  CHECK(setup.stat("requests", "challenge") >= 2);  // the POST was sent again
  CHECK(setup.orders_created() == 1);
}

TEST_CASE("a finalize answered 503 serverInternal reads the order instead of failing") {
  FaultySetup setup;
  setup.fault({{"kind", "finalize"},
               {"status", 503},
               {"content_type", "application/problem+json"},
               {"body", R"({"type":"urn:ietf:params:acme:error:serverInternal",)"
                        R"("detail":"the CA is restarting","status":503})"},
               {"times", 1}});
  require_valid(setup, setup.issue("finalize.example.com"));

  INFO(setup.seen());
  CHECK(setup.stat("faults", "finalize") == 1);
  CHECK(setup.transient_retries() >= 1);
  CHECK(setup.orders_created() == 1);
  // The CA took the CSR under the 503 (acme-front passed it on): the order
  // read after it was processing or valid, and no second finalize was sent,
  // which Pebble would have refused with orderNotReady (403).
  CHECK(setup.sent->count_path("/finalize-order", "403") == 0);
  CHECK(setup.sent->count_path("/finalize-order", "503") == 1);
}

TEST_CASE("acme-front refuses a fault it cannot apply") {
  test::Pebble pebble;
  test::AcmeFront front(pebble);
  const auto refused = [&](const std::string& json) {
    const auto answer = front.post("/fault", json);
    INFO(json << " -> " << answer.body);
    CHECK(answer.status == 400);
    return answer.body;
  };
  CHECK_THAT(refused(R"({"kind":"order","reset":true,"every":0})"), Catch::Contains("every"));
  CHECK_THAT(refused(R"({"kind":"order","reset":true,"times":-1})"), Catch::Contains("times"));
  CHECK_THAT(refused(R"({"kind":"order","reset":false})"), Catch::Contains("reset"));
  CHECK_THAT(refused(R"({"kind":"order","reset":true,"status":500})"),
             Catch::Contains("no answer"));
  CHECK_THAT(refused(R"({"kind":"order","reset":true,"retry_after":3})"),
             Catch::Contains("no answer"));
  CHECK_THAT(refused(R"({"kind":"order","delay_ms":0})"), Catch::Contains("delay_ms"));
  CHECK_THAT(refused(R"({"kind":"order","every":2})"), Catch::Contains("needs"));
  CHECK(front.post("/fault", R"({"kind":"order","reset":true,"every":2,"times":3})").status == 200);
  CHECK(front.post("/fault", R"({"kind":"order","delay_ms":300,"every":3})").status == 200);
  CHECK(front.post("/fault", R"({"kind":"order","retry_after":2})").status == 200);
  CHECK(front.post("/fault", R"({"kind":"order"})").status == 200);
}
