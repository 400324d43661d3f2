// The XML reader: the parts of XML that AWS's answers use, and every hostile
// or broken document (each prefix of a good one, deep nesting, oversized
// bodies, entity tricks, random corruption) as an Error, never a crash.
#include <random>

#include <catch2/catch.hpp>

#include "solvers/dns/route53/xml.hpp"

using namespace certmill;
using namespace certmill::solvers::route53;

namespace {

const std::string kDocument =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- a comment before the root -->\n"
    "<r53:GetChangeResponse xmlns:r53=\"https://route53.amazonaws.com/doc/2013-04-01/\">\n"
    "  <r53:ChangeInfo kind='a > b' other=\"x\">\n"
    "    <r53:Id>/change/C2682N5HXP0BZ4</r53:Id>\n"
    "    <r53:Status>INSYNC</r53:Status>\n"
    "    <r53:Comment>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#x1F600;"
    "<![CDATA[<raw & kept>]]><!-- skipped --><?pi skipped?></r53:Comment>\n"
    "    <r53:Empty/>\n"
    "  </r53:ChangeInfo>\n"
    "</r53:GetChangeResponse>";

bool rejected(std::string_view document) {
  const auto r = parse_xml(document);
  return !r.ok() && r.error().code() == Errc::invalid_value;
}

std::string nested(int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i)
    out += "<a>";
  for (int i = 0; i < depth; ++i)
    out += "</a>";
  return out;
}

}  // namespace

TEST_CASE("the XML reader reads elements, text and references, and skips the rest", "[route53]") {
  const auto doc = parse_xml(kDocument);
  REQUIRE(doc.ok());
  CHECK(doc->name == "r53:GetChangeResponse");
  CHECK(doc->local_name() == "GetChangeResponse");
  const XmlElement* info = doc->child("ChangeInfo");
  REQUIRE(info != nullptr);
  REQUIRE(info->children.size() == 4);
  CHECK(info->child("Id")->text == "/change/C2682N5HXP0BZ4");
  CHECK(info->child("Status")->text == "INSYNC");
  CHECK(info->child("Comment")->text == "a <b> & \"c\" 'd' AB\xF0\x9F\x98\x80<raw & kept>");
  CHECK(info->child("Empty")->text.empty());
  CHECK(info->child("Empty")->children.empty());
  CHECK(info->child("Missing") == nullptr);

  // A byte order mark, no declaration, an unprefixed name, trailing space.
  const auto plain = parse_xml("\xEF\xBB\xBF<a><b>1</b><b>2</b></a>\n ");
  REQUIRE(plain.ok());
  CHECK(plain->local_name() == "a");
  CHECK(plain->children.size() == 2);
  CHECK(plain->child("b")->text == "1");  // the first
}

TEST_CASE("the XML reader bounds depth, size and element count", "[route53]") {
  CHECK(parse_xml(nested(kMaxXmlDepth)).ok());
  CHECK(rejected(nested(kMaxXmlDepth + 1)));
  CHECK(rejected(nested(200'000)));  // no stack overflow

  CHECK(rejected(std::string(kMaxXmlSize + 1, ' ')));
  std::string big = "<a>" + std::string(kMaxXmlSize - 7, 'x') + "</a>";
  CHECK(parse_xml(big).ok());
  big.insert(3, "x");
  CHECK(rejected(big));

  std::string many = "<a>";
  for (std::size_t i = 0; i < kMaxXmlElements; ++i)
    many += "<b/>";
  CHECK(rejected(many + "</a>"));
  many.resize(many.size() - 4);
  CHECK(parse_xml(many + "</a>").ok());
}

TEST_CASE("the XML reader refuses entities it does not know and DOCTYPEs", "[route53]") {
  for (const char* document : {
           "<a>&foo;</a>",
           "<a>&amp</a>",
           "<a>&#;</a>",
           "<a>&#x;</a>",
           "<a>&#0;</a>",
           "<a>&#x1;</a>",
           "<a>&#xD800;</a>",
           "<a>&#x110000;</a>",
           "<a>&#xFFFFFFFF;</a>",
           "<a>&#99999999999;</a>",
           "<a>&#X41;</a>",
           "<a>&#12a;</a>",
           "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
           "<a><!DOCTYPE a></a>",
       }) {
    INFO(document);
    CHECK(rejected(document));
  }
  // An entity-like run of a megabyte ends at once.
  CHECK(rejected("<a>&" + std::string(1 << 20, 'x') + ";</a>"));
  CHECK(rejected("<a>&#" + std::string(1 << 20, '9') + ";</a>"));
  CHECK(rejected("<a>&#x" + std::string(1 << 20, 'F') + ";</a>"));
}

TEST_CASE("the XML reader refuses documents that are not well-formed", "[route53]") {
  for (const char* document : {
           "",
           "   ",
           "text",
           "<?xml version=\"1.0\"?>",
           "<a>",
           "<a></b>",
           "<a><b></a></b>",
           "<a></a><b></b>",
           "<a></a>trailing",
           "<a x=1></a>",
           "<a x=\"1></a>",
           "<a x></a>",
           "<></>",
           "<a></ a>",
           "<a><!-- unterminated</a>",
           "<a><![CDATA[ unterminated</a>",
           "<a><?pi unterminated</a>",
           "<!-- unterminated",
       }) {
    INFO(document);
    CHECK(rejected(document));
  }
  // Every prefix of a good document is broken.
  for (std::size_t n = 0; n < kDocument.size(); ++n) {
    INFO(n);
    CHECK(rejected(kDocument.substr(0, n)));
  }
}

TEST_CASE("the XML reader survives random corruption of a document", "[route53]") {
  std::mt19937 random(20150830);
  for (int round = 0; round < 3000; ++round) {
    std::string document = kDocument;
    const int edits = 1 + static_cast<int>(random() % 8);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % document.size();
      switch (random() % 3) {
        case 0:
          document[at] = static_cast<char>(random());
          break;
        case 1:
          document.erase(at, 1 + random() % 16);
          break;
        default:
          document.insert(at, 1, "<>/&;#x\"'!?["[random() % 12]);
      }
      if (document.empty())
        document = "<";
    }
    const auto r = parse_xml(document);  // either outcome; no crash, no hang
    CHECK((r.ok() || r.error().code() == Errc::invalid_value));
  }
}
