// TXT record sets: values quoted as Route 53 writes them and read back, the
// changes that add or take out a value while keeping the others, and names
// compared as DNS does.
#include <catch2/catch.hpp>

#include "solvers/dns/route53/txt_set.hpp"
#include "tests/solvers/route53_test_support.hpp"

using namespace certmill;
using namespace certmill::solvers::route53;
using namespace route53_test;

TEST_CASE("TXT values are quoted as Route 53 writes them and read back", "[route53]") {
  CHECK(quote_txt("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0") ==
        "\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\"");
  CHECK(quote_txt("") == "\"\"");
  CHECK(quote_txt("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_txt("\x01\xC3\xA9") == "\"\\001\\303\\251\"");
  const std::string long_value(300, 'v');
  CHECK(quote_txt(long_value) ==
        "\"" + std::string(255, 'v') + "\" \"" + std::string(45, 'v') + "\"");

  for (const std::string value :
       {"", "plain", "a \"q\" \\ b", "\x01\x7F\xFF", long_value.c_str(), "trailing\\"}) {
    INFO(value);
    CHECK(unquote_txt(quote_txt(value)).value() == value);
  }
  CHECK(unquote_txt("\"split \" \"in two\"").value() == "split in two");
  CHECK(unquote_txt("\"star \\052\"").value() == "star *");
  CHECK(unquote_txt("bare").value() == "bare");
  for (const char* bad : {"\"unterminated", "\"a\"b", "\"a\" b", "\"ends in \\\""})
    CHECK(fails_with(unquote_txt(bad), Errc::invalid_value));
}

TEST_CASE("adding and removing a value keeps the other values of the set", "[route53]") {
  const std::string name = "_acme-challenge.example.com";
  // No set yet: an UPSERT of the one value.
  auto add = change_adding(name, std::nullopt, "a", 10);
  REQUIRE(add);
  CHECK(add->action == ChangeAction::upsert);
  CHECK(add->name == name);
  CHECK(add->set.ttl == 10);
  CHECK(add->set.values == std::vector<std::string>{"a"});

  // A set with another value (a wildcard's and the apex's challenges share
  // the name): both are kept, with the requested TTL.
  const TxtRecordSet current{60, {"other"}};
  add = change_adding(name, current, "a", 10);
  REQUIRE(add);
  CHECK(add->set.ttl == 10);
  CHECK(add->set.values == std::vector<std::string>{"other", "a"});
  CHECK_FALSE(change_adding(name, TxtRecordSet{60, {"other", "a"}}, "a", 10));

  // Removing one of two: an UPSERT of the rest, at the set's own TTL.
  auto remove = change_removing(name, TxtRecordSet{60, {"other", "a"}}, "a");
  REQUIRE(remove);
  CHECK(remove->action == ChangeAction::upsert);
  CHECK(remove->set.ttl == 60);
  CHECK(remove->set.values == std::vector<std::string>{"other"});

  // Removing the last: a DELETE of the set exactly as it is.
  remove = change_removing(name, TxtRecordSet{60, {"a", "a"}}, "a");
  REQUIRE(remove);
  CHECK(remove->action == ChangeAction::remove);
  CHECK(remove->set.ttl == 60);
  CHECK(remove->set.values == std::vector<std::string>{"a", "a"});

  CHECK_FALSE(change_removing(name, std::nullopt, "a"));
  CHECK_FALSE(change_removing(name, current, "a"));
}

TEST_CASE("DNS names compare as DNS does", "[route53]") {
  CHECK(same_dns_name("_acme-challenge.example.com", "_ACME-Challenge.Example.COM."));
  CHECK(same_dns_name("example.com.", "example.com"));
  CHECK(same_dns_name("\\052.example.com.", "*.example.com"));
  CHECK_FALSE(same_dns_name("example.com", "example.co"));
  CHECK_FALSE(same_dns_name("example.com..", "example.com"));
  CHECK_FALSE(same_dns_name("\\999.example.com", "?.example.com"));
}
