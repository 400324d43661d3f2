// SigV4 against AWS's published test suite (aws-sig-v4-test-suite: the
// AKIDEXAMPLE credentials, us-east-1, service "service", 20150830T123600Z):
// each vector's canonical request, string to sign, signature and headers.
#include <catch2/catch.hpp>

#include "solvers/dns/route53/sigv4.hpp"
#include "tests/solvers/route53_test_support.hpp"

using namespace certmill;
using namespace certmill::solvers::route53;
using namespace route53_test;

namespace {

const std::string kPlain =
    "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + kEmptyHash;
const std::string kStsToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfI"
    "eoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7"
    "WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm"
    "8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

struct Vector {
  std::string name;
  std::string method;
  std::string path;
  std::vector<QueryParam> query;
  std::vector<Header> headers;  // besides Host
  std::string body;
  std::string session_token;
  std::string canonical_request;
  std::string request_hash;  // the string to sign's last line
  std::string signature;
};

const Vector kVanilla{"",
                      "GET",
                      "/",
                      {},
                      {},
                      "",
                      "",
                      "GET\n/\n\n" + kPlain,
                      "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
                      "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"};

// get-vanilla with another path, which normalises to "/".
Vector vanilla_at(std::string name, std::string path) {
  Vector v = kVanilla;
  v.name = std::move(name);
  v.path = std::move(path);
  return v;
}

std::vector<Vector> suite() {
  const std::string form_hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
  return {
      vanilla_at("get-vanilla", "/"),
      {"get-vanilla-empty-query-key",
       "GET",
       "/",
       {{"Param1", "value1"}},
       {},
       "",
       "",
       "GET\n/\nParam1=value1\n" + kPlain,
       "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
       "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
      {"get-vanilla-query-order-key",
       "GET",
       "/",
       {{"Param1", "value2"}, {"Param1", "Value1"}},
       {},
       "",
       "",
       "GET\n/\nParam1=Value1&Param1=value2\n" + kPlain,
       "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
       "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
      {"get-vanilla-query-order-key-case",
       "GET",
       "/",
       {{"Param2", "value2"}, {"Param1", "value1"}},
       {},
       "",
       "",
       "GET\n/\nParam1=value1&Param2=value2\n" + kPlain,
       "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-query-order-value",
       "GET",
       "/",
       {{"Param1", "value2"}, {"Param1", "value1"}},
       {},
       "",
       "",
       "GET\n/\nParam1=value1&Param1=value2\n" + kPlain,
       "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
       "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
      {"get-vanilla-query-unreserved",
       "GET",
       "/",
       {{kUnreserved, kUnreserved}},
       {},
       "",
       "",
       "GET\n/\n" + kUnreserved + "=" + kUnreserved + "\n" + kPlain,
       "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get-vanilla-utf8-query",
       "GET",
       "/",
       {{"\xE1\x88\xB4", "bar"}},
       {},
       "",
       "",
       "GET\n/\n%E1%88%B4=bar\n" + kPlain,
       "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-header-key-duplicate",
       "GET",
       "/",
       {},
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
       "",
       "",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" +
           kEmptyHash,
       "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      // The suite folds value2 and value3 onto continuation lines; its
      // canonical request reads them as three values, as they are given here.
      {"get-header-value-multiline",
       "GET",
       "/",
       {},
       {{"My-Header1", "value1"}, {"My-Header1", "  value2"}, {"My-Header1", "     value3"}},
       "",
       "",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1,value2,value3\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" +
           kEmptyHash,
       "b7b6cbfd8a0430b78891e986784da2630c8a135a8595cec25b26ea94f926ee55",
       "ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790"},
      {"get-header-value-order",
       "GET",
       "/",
       {},
       {{"My-Header1", "value4"},
        {"My-Header1", "value1"},
        {"My-Header1", "value3"},
        {"My-Header1", "value2"}},
       "",
       "",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" +
           kEmptyHash,
       "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-header-value-trim",
       "GET",
       "/",
       {},
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "",
       "",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
       "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n" +
           kEmptyHash,
       "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"get-unreserved",
       "GET",
       "/" + kUnreserved,
       {},
       {},
       "",
       "",
       "GET\n/" + kUnreserved + "\n\n" + kPlain,
       "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       {},
       "",
       "",
       "GET\n/%E1%88%B4\n\n" + kPlain,
       "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-space",
       "GET",
       "/example space/",
       {},
       {},
       "",
       "",
       "GET\n/example%20space/\n\n" + kPlain,
       "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      vanilla_at("get-relative", "/example/.."),
      vanilla_at("get-relative-relative", "/example1/example2/../.."),
      vanilla_at("get-slash", "//"),
      vanilla_at("get-slash-dot-slash", "/./"),
      {"get-slash-pointless-dot",
       "GET",
       "/./example",
       {},
       {},
       "",
       "",
       "GET\n/example\n\n" + kPlain,
       "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
       "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"},
      {"get-slashes",
       "GET",
       "//example//",
       {},
       {},
       "",
       "",
       "GET\n/example/\n\n" + kPlain,
       "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
      {"post-vanilla",
       "POST",
       "/",
       {},
       {},
       "",
       "",
       "POST\n/\n\n" + kPlain,
       "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query",
       "POST",
       "/",
       {{"Param1", "value1"}},
       {},
       "",
       "",
       "POST\n/\nParam1=value1\n" + kPlain,
       "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"post-header-key-sort",
       "POST",
       "/",
       {},
       {{"My-Header1", "value1"}},
       "",
       "",
       "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;x-amz-date\n" +
           kEmptyHash,
       "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
       "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
      {"post-header-value-case",
       "POST",
       "/",
       {},
       {{"My-Header1", "VALUE1"}},
       "",
       "",
       "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;x-amz-date\n" +
           kEmptyHash,
       "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       {},
       {{"Content-Type", "application/x-www-form-urlencoded"}},
       "Param1=value1",
       "",
       "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" +
           form_hash,
       "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
       "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
      {"post-x-www-form-urlencoded-parameters",
       "POST",
       "/",
       {},
       {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}},
       "Param1=value1",
       "",
       "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\n"
       "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" +
           form_hash,
       "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c",
       "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
      // post-sts-header-before: the session token is a signed header.
      {"post-sts-header-before",
       "POST",
       "/",
       {},
       {},
       "",
       kStsToken,
       "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" +
           kStsToken + "\n\nhost;x-amz-date;x-amz-security-token\n" + kEmptyHash,
       "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
  };
}

}  // namespace

TEST_CASE("SigV4 reproduces AWS's published test suite", "[route53]") {
  for (const Vector& v : suite()) {
    INFO(v.name);
    std::vector<Header> headers = {{"Host", "example.amazonaws.com"}};
    headers.insert(headers.end(), v.headers.begin(), v.headers.end());
    Credentials keys = kSuiteKeys;
    keys.session_token = v.session_token;
    const auto s = sign_v4({v.method, v.path, v.query, headers, v.body}, keys, "us-east-1",
                           "service", kSuiteTime);
    REQUIRE(s.ok());
    CHECK(s->canonical_request == v.canonical_request);
    CHECK(s->string_to_sign ==
          "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
              v.request_hash);
    CHECK(s->signature == v.signature);

    // The signed headers are the canonical request's line before the hash.
    const std::string& c = v.canonical_request;
    const std::size_t last = c.rfind('\n');
    const std::size_t before = c.rfind('\n', last - 1);
    const std::string signed_headers = c.substr(before + 1, last - before - 1);
    CHECK(header(*s, "Authorization") ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=" +
              signed_headers + ", Signature=" + v.signature);
    CHECK(header(*s, "X-Amz-Date") == "20150830T123600Z");
    CHECK(header(*s, "X-Amz-Security-Token") ==
          (v.session_token.empty() ? "(absent)" : v.session_token));
  }
}
