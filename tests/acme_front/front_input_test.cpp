// Bad input never crashes the front: malformed JWS and JSON get malformed
// problems, a huge body gets 413, and the front keeps serving; bad flags get
// errors that say what to do.
#include <cstdio>

#include "core/acme/base64url.hpp"
#include "core/acme/problem.hpp"
#include "tests/acme_front/front_live.hpp"
#include "tools/acme-front/orders.hpp"

namespace asio = boost::asio;
using namespace certmill;
using certmill::acme::base64url_encode;

namespace {

issuers::acme::HttpResponse post(test::FrontSetup& setup, const std::string& path,
                                 std::string body) {
  issuers::acme::HttpRequest request;
  request.method = "POST";
  request.url = setup.origin() + path;
  request.content_type = "application/jose+json";
  request.body = std::move(body);
  return setup.send(request);
}

void require_malformed(const issuers::acme::HttpResponse& response, unsigned status,
                       const std::string& why) {
  INFO(response.body);
  CHECK(response.status == status);
  CHECK(response.content_type == "application/problem+json");
  auto problem = acme::decode_problem(response.body);
  REQUIRE(problem.ok());
  CHECK(problem->type == acme::ProblemType::Malformed);
  CHECK_THAT(problem->detail, Catch::Contains(why));
}

struct Run {
  int status = -1;
  std::string output;
};

Run run_front(const std::string& args) {
  Run run;
  const std::string command = std::string(test::AcmeFront::kBinary) + " " + args + " 2>&1";
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
      run.output.append(buffer, n);
    const int status = ::pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return run;
}

}  // namespace

TEST_CASE("malformed requests get malformed problems and the front keeps serving") {
  test::FrontSetup setup({"--body-limit=4096"});
  auto directory = setup.acme.run([&]() -> asio::awaitable<Result<acme::Directory>> {
    co_return co_await setup.acme.client->directory();
  });
  REQUIRE(directory.ok());
  const std::string new_order = acmefront::path_of(directory->new_order);
  const std::string header =
      base64url_encode(R"({"alg":"ES256","kid":")" + setup.acme.client->account_url() +
                       R"(","url":")" + directory->new_order + R"(","nonce":"x"})");

  require_malformed(post(setup, new_order, "not json at all"), 400, "not JSON");
  require_malformed(post(setup, new_order, R"({"protected": 5})"), 400, "not a string");
  require_malformed(post(setup, new_order, R"({"protected":"%%","payload":"","signature":"AA"})"),
                    400, "base64url");
  require_malformed(post(setup, new_order,
                         R"({"protected":")" + header + R"(","payload":")" +
                             base64url_encode("{{{") + R"(","signature":"AA"})"),
                    400, "newOrder payload is not JSON");
  require_malformed(post(setup, new_order,
                         R"({"protected":")" + header + R"(","payload":")" +
                             base64url_encode(R"({"identifiers":"x"})") + R"(","signature":"AA"})"),
                    400, "identifiers");
  require_malformed(post(setup, "/some/other/resource", "[]"), 400, "not a JSON object");
  require_malformed(post(setup, new_order, std::string(64 * 1024, 'x')), 413, "larger than 4096");

  // Still serving, and still issuing.
  auto issued = setup.issue({"after.example.com"});
  test::require_issued(setup, issued);
  const auto stats = setup.front.get("/stats");
  CHECK(stats.status == 200);
  CHECK_THAT(stats.body, Catch::Contains(R"("malformed":6)"));
  CHECK(setup.front.post("/clock", "not json").status == 400);
  CHECK(setup.front.post("/clock", R"({"advance_seconds": -5})").status == 400);
  CHECK(setup.front.get("/nothing").status == 404);
}

TEST_CASE("acme-front --help lists its flags and bad flags say what to do") {
  Run help = run_front("--help");
  // Descriptions wrap at 80 columns: read them as running text.
  std::string flowed;
  for (char c : help.output) {
    const bool space = c == ' ' || c == '\n';
    if (!space || (!flowed.empty() && flowed.back() != ' '))
      flowed += space ? ' ' : c;
  }
  help.output = flowed;
  CHECK(help.status == 0);
  CHECK_THAT(help.output, Catch::Contains("--new-orders-per-account"));
  CHECK_THAT(help.output, Catch::Contains("(default 300/3h)"));
  CHECK_THAT(help.output, Catch::Contains("--profile"));

  const Run missing = run_front("");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("--upstream, --tls-certificate and --tls-key are "
                                             "required"));
  const Run bad_limit = run_front(
      "--upstream=https://127.0.0.1:1/dir --tls-certificate=/x --tls-key=/y "
      "--new-orders-per-account=lots");
  CHECK(bad_limit.status == 2);
  CHECK_THAT(bad_limit.output, Catch::Contains("--new-orders-per-account"));
  CHECK_THAT(bad_limit.output, Catch::Contains("COUNT/PERIOD"));
  const Run no_list = run_front(
      "--upstream=https://127.0.0.1:1/dir --tls-certificate=/x --tls-key=/y "
      "--public-suffix-list=/nonexistent/list.dat");
  CHECK(no_list.status == 2);
  CHECK_THAT(no_list.output, Catch::Contains("--public-suffix-list"));
  CHECK_THAT(no_list.output, Catch::Contains("/nonexistent/list.dat"));
  CHECK_THAT(no_list.output, Catch::Contains("`publicsuffix`"));
  CHECK_THAT(help.output, Catch::Contains("--public-suffix-list"));
  CHECK_THAT(help.output,
             Catch::Contains("(default /usr/share/publicsuffix/public_suffix_list.dat)"));
  const Run typo = run_front("--new-order-per-account=1/1h");
  CHECK(typo.status == 2);
  CHECK_THAT(typo.output, Catch::Contains("did you mean --new-orders-per-account"));
}

TEST_CASE("acme-front fails clearly when its CA does not answer") {
  test::ScratchDir dir;
  const auto made = test::openssl(
      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days",
       "1", "-subj", "/CN=x", "-keyout", dir.path("key.pem"), "-out", dir.path("cert.pem")});
  REQUIRE(made.status == 0);
  const Run run =
      run_front("--upstream=https://127.0.0.1:1/dir --tls-certificate=" + dir.path("cert.pem") +
                " --tls-key=" + dir.path("key.pem") + " --upstream-timeout=5s");
  CHECK(run.status == 1);
  CHECK_THAT(run.output, Catch::Contains("cannot read the CA's directory"));
  CHECK_THAT(run.output, Catch::Contains("--upstream"));
}
