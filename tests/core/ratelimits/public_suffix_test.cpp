// The Public Suffix List: RFC 3492's Punycode examples, Unicode rules turned
// into A-labels, the publicsuffix.org algorithm case by case (in the style of
// the list's own test_psl.txt, written here from the algorithm against
// Debian's list), Let's Encrypt's IP address "registered domains", and input
// that is not a list or not a name.
#include "core/ratelimits/public_suffix.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

using namespace certmill;
using namespace certmill::ratelimits;

namespace {

const PublicSuffixList& debian() {
  static const PublicSuffixList list = [] {
    auto loaded = PublicSuffixList::load();
    if (!loaded)
      throw std::runtime_error(loaded.error().message());
    return std::move(*loaded);
  }();
  return list;
}

std::string dns(std::string_view name) {
  return debian().registered_domain("dns", name);
}

std::string read_debian_file() {
  std::ifstream in(PublicSuffixList::kDebianPath, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("punycode encodes RFC 3492's sample strings") {
  struct Sample {
    const char* name;
    std::u32string points;
    const char* encoded;
  };
  const Sample samples[] = {
      {"(A) Arabic (Egyptian)",
       {0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645, 0x0648,
        0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F},
       "egbpdaj6bu4bxfgehfvwxn"},
      {"(B) Chinese (simplified)",
       {0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587},
       "ihqwcrb4cv8a8dqg056pqjye"},
      {"(C) Chinese (traditional)",
       {0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587},
       "ihqwctvzc91f659drss3x8bo0yb"},
      {"(D) Czech",
       {0x0050, 0x0072, 0x006F, 0x010D, 0x0070, 0x0072, 0x006F, 0x0073, 0x0074, 0x011B, 0x006E,
        0x0065, 0x006D, 0x006C, 0x0075, 0x0076, 0x00ED, 0x010D, 0x0065, 0x0073, 0x006B, 0x0079},
       "Proprostnemluvesky-uyb24dma41a"},
      {"(E) Hebrew",
       {0x05DC, 0x05DE, 0x05D4, 0x05D4, 0x05DD, 0x05E4, 0x05E9, 0x05D5, 0x05D8, 0x05DC, 0x05D0,
        0x05DE, 0x05D3, 0x05D1, 0x05E8, 0x05D9, 0x05DD, 0x05E2, 0x05D1, 0x05E8, 0x05D9, 0x05EA},
       "4dbcagdahymbxekheh6e0a7fei0b"},
      {"(L) 3<nen>B<gumi><kinpachi><sensei>",
       {0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F},
       "3B-ww4c5e180e575a65lsy2b"},
      {"(M) <amuro><namie>-with-SUPER-MONKEYS",
       {0x5B89, 0x5BA4, 0x5948, 0x7F8E, 0x6075, 0x002D, 0x0077, 0x0069,
        0x0074, 0x0068, 0x002D, 0x0053, 0x0055, 0x0050, 0x0045, 0x0052,
        0x002D, 0x004D, 0x004F, 0x004E, 0x004B, 0x0045, 0x0059, 0x0053},
       "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"},
      {"(N) Hello-Another-Way-<sorezore><no><basho>",
       {0x0048, 0x0065, 0x006C, 0x006C, 0x006F, 0x002D, 0x0041, 0x006E, 0x006F,
        0x0074, 0x0068, 0x0065, 0x0072, 0x002D, 0x0057, 0x0061, 0x0079, 0x002D,
        0x305D, 0x308C, 0x305E, 0x308C, 0x306E, 0x5834, 0x6240},
       "Hello-Another-Way--fc4qua05auwb3674vfr0b"},
      {"(O) <hitotsu><yane><no><shita>2",
       {0x3072, 0x3068, 0x3064, 0x5C4B, 0x6839, 0x306E, 0x4E0B, 0x0032},
       "2-u9tlzr9756bt3uc0v"},
      {"(P) Maji<de>Koi<suru>5<byou><mae>",
       {0x004D, 0x0061, 0x006A, 0x0069, 0x3067, 0x004B, 0x006F, 0x0069, 0x3059, 0x308B, 0x0035,
        0x79D2, 0x524D},
       "MajiKoi5-783gue6qz075azm5e"},
      {"(Q) <pafii>de<runba>",
       {0x30D1, 0x30D5, 0x30A3, 0x30FC, 0x0064, 0x0065, 0x30EB, 0x30F3, 0x30D0},
       "de-jg4avhby1noc0d"},
      {"(R) <sono><supiido><de>",
       {0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067},
       "d9juau41awczczp"},
      {"(S) -> $1.00 <-",
       {0x002D, 0x003E, 0x0020, 0x0024, 0x0031, 0x002E, 0x0030, 0x0030, 0x0020, 0x003C, 0x002D},
       "-> $1.00 <--"},
  };
  for (const auto& sample : samples) {
    INFO(sample.name);
    const auto encoded = punycode_encode(sample.points);
    REQUIRE(encoded);
    CHECK(*encoded == sample.encoded);
  }
  CHECK(punycode_encode(U"") == "");
  CHECK(punycode_encode(U"abc") == "abc-");
  CHECK_FALSE(punycode_encode(std::u32string(1, char32_t{0x110000})));
}

TEST_CASE("Unicode names become A-labels, ASCII ones are lower-cased, bad UTF-8 is refused") {
  CHECK(to_a_labels("b\xC3\xBC"
                    "cher") == "xn--bcher-kva");
  CHECK(to_a_labels("M\xC3\xBC"
                    "nchen.DE") == "xn--mnchen-3ya.de");
  CHECK(to_a_labels("a\xC3\xA9roport.ci") == "xn--aroport-bya.ci");
  CHECK(to_a_labels("\xE4\xB8\xAD\xE5\x9B\xBD") == "xn--fiqs8s");                 // 中国
  CHECK(to_a_labels("\xE5\x85\xAC\xE5\x8F\xB8.cn") == "xn--55qx5d.cn");           // 公司.cn
  CHECK(to_a_labels("\xE9\xA3\x9F\xE7\x8B\xAE.com.cn") == "xn--85x722f.com.cn");  // 食狮
  CHECK(to_a_labels("Example.COM") == "example.com");
  CHECK(to_a_labels("") == "");
  CHECK(to_a_labels("a..b") == "a..b");
  for (const char* bad : {"\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8",
                          "\xFF", "ok.\x80"}) {
    INFO(bad);
    CHECK_FALSE(to_a_labels(bad));
  }
}

TEST_CASE("every Unicode rule of Debian's list encodes to the A-label its comment gives") {
  // The list writes "// xn--fiqs8s (...) : CN" above the rule "中国": a
  // check of the encoder against the registries' own conversions.
  std::istringstream lines(read_debian_file());
  std::string line;
  std::string comment;
  int compared = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("// xn--") || line.starts_with("// *.xn--")) {
      comment = line.substr(3, line.find_first_of(" \t", 3) - 3);
      while (!comment.empty() && comment.back() == '.')
        comment.pop_back();
      continue;
    }
    if (!comment.empty() && !line.empty() && !line.starts_with("//")) {
      const bool unicode = std::any_of(
          line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
      if (unicode) {
        INFO(line);
        CHECK(to_a_labels(line) == comment);
        ++compared;
      }
    }
    comment.clear();
  }
  CHECK(compared > 20);
}

TEST_CASE("Debian's list loads, and a missing one names the file and the package") {
  CHECK(debian().rules() > 9000);
  auto missing = PublicSuffixList::load("/nonexistent/public_suffix_list.dat");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message(), Catch::Contains("/nonexistent/public_suffix_list.dat"));
  CHECK_THAT(missing.error().message(), Catch::Contains("publicsuffix"));
  auto empty = PublicSuffixList::load("/dev/null");
  REQUIRE_FALSE(empty.ok());
}

TEST_CASE("registered domains follow the Public Suffix List algorithm") {
  struct Case {
    const char* name;
    const char* registered;  // the name itself where it is a public suffix
  };
  const Case cases[] = {
      // Case, the trailing dot and a wildcard certificate's "*.".
      {"COM", "com"},
      {"example.COM", "example.com"},
      {"WwW.example.COM", "example.com"},
      {"www.example.com.", "example.com"},
      {"*.www.example.com", "example.com"},
      {"*.example.com", "example.com"},
      // A TLD the list does not name: the default rule "*".
      {"example", "example"},
      {"example.example", "example.example"},
      {"b.example.example", "example.example"},
      {"a.b.example.example", "example.example"},
      {"a.b.example.unknowntld", "example.unknowntld"},
      // A TLD with one rule.
      {"biz", "biz"},
      {"domain.biz", "domain.biz"},
      {"b.domain.biz", "domain.biz"},
      {"a.b.domain.biz", "domain.biz"},
      // A TLD with some two-level rules.
      {"com", "com"},
      {"example.com", "example.com"},
      {"b.example.com", "example.com"},
      {"a.b.example.com", "example.com"},
      {"uk.com", "uk.com"},
      {"example.uk.com", "example.uk.com"},
      {"b.example.uk.com", "example.uk.com"},
      {"a.b.example.uk.com", "example.uk.com"},
      {"test.ac", "test.ac"},
      {"co.uk", "co.uk"},
      {"www.example.co.uk", "example.co.uk"},
      {"new.blog.example.co.uk", "example.co.uk"},
      // A TLD with only a wildcard rule ("*.mm").
      {"mm", "mm"},
      {"c.mm", "c.mm"},
      {"b.c.mm", "b.c.mm"},
      {"a.b.c.mm", "b.c.mm"},
      // More complex TLDs: wildcards beside rules, and exceptions to them.
      {"jp", "jp"},
      {"test.jp", "test.jp"},
      {"www.test.jp", "test.jp"},
      {"ac.jp", "ac.jp"},
      {"test.ac.jp", "test.ac.jp"},
      {"www.test.ac.jp", "test.ac.jp"},
      {"kyoto.jp", "kyoto.jp"},
      {"test.kyoto.jp", "test.kyoto.jp"},
      {"ide.kyoto.jp", "ide.kyoto.jp"},
      {"b.ide.kyoto.jp", "b.ide.kyoto.jp"},
      {"a.b.ide.kyoto.jp", "b.ide.kyoto.jp"},
      {"c.kobe.jp", "c.kobe.jp"},
      {"b.c.kobe.jp", "b.c.kobe.jp"},
      {"a.b.c.kobe.jp", "b.c.kobe.jp"},
      {"city.kobe.jp", "city.kobe.jp"},
      {"www.city.kobe.jp", "city.kobe.jp"},
      {"kawasaki.jp", "kawasaki.jp"},
      {"example.kawasaki.jp", "example.kawasaki.jp"},
      {"b.example.kawasaki.jp", "b.example.kawasaki.jp"},
      {"a.b.example.kawasaki.jp", "b.example.kawasaki.jp"},
      {"city.kawasaki.jp", "city.kawasaki.jp"},
      {"a.city.kawasaki.jp", "city.kawasaki.jp"},
      {"a.b.sch.uk", "a.b.sch.uk"},
      {"x.a.b.sch.uk", "a.b.sch.uk"},
      // A wildcard TLD with an exception ("*.ck", "!www.ck").
      {"ck", "ck"},
      {"test.ck", "test.ck"},
      {"b.test.ck", "b.test.ck"},
      {"a.b.test.ck", "b.test.ck"},
      {"www.ck", "www.ck"},
      {"www.www.ck", "www.ck"},
      // US K12.
      {"us", "us"},
      {"test.us", "test.us"},
      {"www.test.us", "test.us"},
      {"ak.us", "ak.us"},
      {"test.ak.us", "test.ak.us"},
      {"www.test.ak.us", "test.ak.us"},
      {"k12.ak.us", "k12.ak.us"},
      {"test.k12.ak.us", "test.k12.ak.us"},
      {"www.test.k12.ak.us", "test.k12.ak.us"},
      // Internationalised names, as identifiers carry them (A-labels) against
      // the list's Unicode rules 公司.cn and 中国.
      {"xn--85x722f.com.cn", "xn--85x722f.com.cn"},
      {"xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
      {"www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"},
      {"shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn"},
      {"xn--55qx5d.cn", "xn--55qx5d.cn"},
      {"xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s"},
      {"www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s"},
      {"shishi.xn--fiqs8s", "shishi.xn--fiqs8s"},
      {"xn--fiqs8s", "xn--fiqs8s"},
      {"www.xn--aroport-bya.ci", "www.xn--aroport-bya.ci"},
      {"a.www.xn--aroport-bya.ci", "www.xn--aroport-bya.ci"},
      // The PRIVATE section counts too, as Let's Encrypt counts it.
      {"github.io", "github.io"},
      {"x.github.io", "x.github.io"},
      {"a.x.github.io", "x.github.io"},
      {"foo.blogspot.com", "foo.blogspot.com"},
      {"www.foo.blogspot.com", "foo.blogspot.com"},
      {"a.b.compute.amazonaws.com", "a.b.compute.amazonaws.com"},
      {"x.a.b.compute.amazonaws.com", "a.b.compute.amazonaws.com"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(dns(c.name) == c.registered);
  }
}

TEST_CASE("IPv4 addresses count as themselves and IPv6 addresses per /64") {
  const PublicSuffixList& list = debian();
  CHECK(list.registered_domain("ip", "192.0.2.1") == "192.0.2.1");
  CHECK(list.registered_domain("ip", "2001:DB8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
  CHECK(list.registered_domain("ip", "2001:db8::1") == "2001:db8::/64");
  CHECK(list.registered_domain("ip", "2001:db8:0:1::5") == "2001:db8:0:1::/64");
  CHECK(list.registered_domain("ip", "fe80:0:0:0:1::") == "fe80::/64");
  CHECK(list.registered_domain("ip", "::1") == "::/64");
  // Not an address: counted as its text.
  CHECK(list.registered_domain("ip", "Not-An-IP") == "not-an-ip");
  CHECK(list.registered_domain("email", "A@Example.com") == "a@example.com");
}

TEST_CASE("a list of any text parses, and the rules it reads are the ones it names") {
  const auto list = PublicSuffixList::parse(
      "// comment\n\n   \t\r\n"
      "Example.Test  // what follows white space is not read\r\n"
      "*.wild.test\n"
      "!keep.wild.test\n"
      "!\n*.\n*\n"
      "bad.\xC3\x28.test\n"
      "\xE5\x85\xAC\xE5\x8F\xB8.test\n"
      "test\n"
      "test\n"
      "\x01\x02garbage\xFF\n"
      "///////\n");
  CHECK(list.rules() == 5);
  CHECK(list.registered_domain("dns", "a.b.example.test") == "b.example.test");
  CHECK(list.registered_domain("dns", "a.b.c.wild.test") == "b.c.wild.test");
  CHECK(list.registered_domain("dns", "a.keep.wild.test") == "keep.wild.test");
  CHECK(list.registered_domain("dns", "x.xn--55qx5d.test") == "x.xn--55qx5d.test");
  CHECK(list.registered_domain("dns", "a.b.other") == "b.other");

  const auto none = PublicSuffixList::parse("");
  CHECK(none.rules() == 0);
  CHECK(none.registered_domain("dns", "a.b.example.com") == "example.com");
  std::string noise;
  for (int i = 0; i < 100000; ++i)
    noise.push_back(static_cast<char>((i * 7919) % 256));
  CHECK_NOTHROW(PublicSuffixList::parse(noise));
  CHECK_NOTHROW(PublicSuffixList::parse(std::string(1 << 20, 'a')));
}

TEST_CASE("names that are not DNS names never crash and count as themselves") {
  CHECK(dns("") == "");
  CHECK(dns(".") == "");
  CHECK(dns("..") == "");
  CHECK(dns("*.") == "*");
  CHECK(dns("*") == "*");
  CHECK(dns(".com") == ".com");
  CHECK(dns("a..example.com") == "a..example.com");
  CHECK(dns(std::string("a\0b.example.com", 15)) == "example.com");
  CHECK(dns("\xFF\xFE.example.com") == "example.com");
  // Far longer than DNS allows, in characters and in labels.
  CHECK(dns(std::string(100000, 'a') + ".example.co.uk") == "example.co.uk");
  std::string labels;
  for (int i = 0; i < 20000; ++i)
    labels += "a.";
  CHECK(dns(labels + "example.com") == "example.com");
  CHECK(dns(labels + "com") == "a.com");
  CHECK(dns(std::string(5000, '.')) == "");
}

TEST_CASE("fifty thousand lookups give the same answers as one") {
  // Speed is measured elsewhere; this checks that repeated lookups, as a
  // controller's fleet makes them, keep answering the same.
  std::size_t example = 0;
  for (int i = 0; i < 50000; ++i) {
    const std::string name = "host" + std::to_string(i) + ".team" + std::to_string(i % 100) +
                             (i % 2 == 0 ? ".example.co.uk" : ".github.io");
    const std::string domain = dns(name);
    if (domain == "example.co.uk")
      ++example;
    else
      CHECK(domain == "team" + std::to_string(i % 100) + ".github.io");
  }
  CHECK(example == 25000);
}
