// Route 53 messages: the change document read back element by element, and
// answers in the shapes of AWS's API reference, with broken ones (each
// prefix, missing elements, another document) as Errors.
#include <catch2/catch.hpp>

#include "solvers/dns/route53/api.hpp"
#include "solvers/dns/route53/xml.hpp"
#include "tests/solvers/route53_test_support.hpp"

using namespace certmill;
using namespace certmill::solvers::route53;
using namespace route53_test;

namespace {

const std::string kChangeResponse = R"(<?xml version="1.0" encoding="UTF-8"?>
<ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
   <ChangeInfo>
      <Comment>Managed by certmill</Comment>
      <Id>/change/C2682N5HXP0BZ4</Id>
      <Status>PENDING</Status>
      <SubmittedAt>2017-03-10T01:36:41.958Z</SubmittedAt>
   </ChangeInfo>
</ChangeResourceRecordSetsResponse>)";

const std::string kGetChangeResponse = R"(<?xml version="1.0" encoding="UTF-8"?>
<GetChangeResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
   <ChangeInfo>
      <Id>C2682N5HXP0BZ4</Id>
      <Status>INSYNC</Status>
      <SubmittedAt>2017-03-10T01:36:41.958Z</SubmittedAt>
   </ChangeInfo>
</GetChangeResponse>)";

const std::string kRecordSets = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
   <ResourceRecordSets>
      <ResourceRecordSet>
         <Name>_acme-challenge.example.com.</Name>
         <Type>CNAME</Type>
         <TTL>300</TTL>
         <ResourceRecords><ResourceRecord><Value>elsewhere.example.net</Value></ResourceRecord></ResourceRecords>
      </ResourceRecordSet>
      <ResourceRecordSet>
         <Name>_acme-challenge.example.com.</Name>
         <Type>TXT</Type>
         <SetIdentifier>weighted-1</SetIdentifier>
         <Weight>10</Weight>
         <TTL>30</TTL>
         <ResourceRecords><ResourceRecord><Value>"not ours"</Value></ResourceRecord></ResourceRecords>
      </ResourceRecordSet>
      <ResourceRecordSet>
         <Name>_ACME-Challenge.Example.COM.</Name>
         <Type>TXT</Type>
         <TTL>10</TTL>
         <ResourceRecords>
            <ResourceRecord><Value>"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"</Value></ResourceRecord>
            <ResourceRecord><Value>"split " "in two"</Value></ResourceRecord>
            <ResourceRecord><Value>"quote \" backslash \\ star \052"</Value></ResourceRecord>
         </ResourceRecords>
      </ResourceRecordSet>
      <ResourceRecordSet>
         <Name>_acme-challenge.www.example.com.</Name>
         <Type>TXT</Type>
         <TTL>10</TTL>
         <ResourceRecords><ResourceRecord><Value>"other name"</Value></ResourceRecord></ResourceRecords>
      </ResourceRecordSet>
   </ResourceRecordSets>
   <IsTruncated>true</IsTruncated>
   <MaxItems>4</MaxItems>
   <NextRecordName>b.example.com.</NextRecordName>
   <NextRecordType>A</NextRecordType>
</ListResourceRecordSetsResponse>)";

const std::string kHostedZones = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListHostedZonesByNameResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
   <HostedZones>
      <HostedZone>
         <Id>/hostedzone/Z1PRIVATE00000</Id>
         <Name>example.com.</Name>
         <CallerReference>internal</CallerReference>
         <Config>
            <Comment>VPC-only view</Comment>
            <PrivateZone>true</PrivateZone>
         </Config>
         <ResourceRecordSetCount>4</ResourceRecordSetCount>
      </HostedZone>
      <HostedZone>
         <Id>/hostedzone/Z111111QQQQQQQ</Id>
         <Name>example.com.</Name>
         <CallerReference>MyUniqueIdentifier1</CallerReference>
         <Config>
            <Comment>This is my first hosted zone.</Comment>
            <PrivateZone>false</PrivateZone>
         </Config>
         <ResourceRecordSetCount>42</ResourceRecordSetCount>
      </HostedZone>
      <HostedZone>
         <Id>/hostedzone/Z222222VVVVVVV</Id>
         <Name>example2.com.</Name>
         <CallerReference>MyUniqueIdentifier2</CallerReference>
         <ResourceRecordSetCount>7</ResourceRecordSetCount>
      </HostedZone>
   </HostedZones>
   <DNSName>example.com</DNSName>
   <IsTruncated>false</IsTruncated>
   <MaxItems>100</MaxItems>
</ListHostedZonesByNameResponse>)";

const std::string kRoute53Error = R"(<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
   <Error>
      <Type>Sender</Type>
      <Code>NoSuchHostedZone</Code>
      <Message>No hosted zone found with ID: Z123</Message>
   </Error>
   <RequestId>6f2c5a8e-1d0b-4c1f-9a57-6f2a0d0f4b21</RequestId>
</ErrorResponse>)";

const std::string kInvalidChangeBatch = R"(<?xml version="1.0"?>
<InvalidChangeBatch xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
  <Messages>
    <Message>Tried to delete resource record set [name='_acme-challenge.example.com.', type='TXT'] but it was not found</Message>
    <Message>Second problem</Message>
  </Messages>
  <RequestId>b25f48e8-84fd-11e6-80d9-574e0c4664cb</RequestId>
</InvalidChangeBatch>)";

}  // namespace

TEST_CASE("a change document holds one Change with every value of the TXT set", "[route53]") {
  const TxtChange change{ChangeAction::upsert,
                         "_acme-challenge.example.com.",
                         {10, {"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0", "a \"q\" \\ <&>"}}};
  const auto body = change_request_body(change);
  REQUIRE(body.ok());
  CHECK(*body ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
        "<ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet>"
        "<Name>_acme-challenge.example.com.</Name><Type>TXT</Type><TTL>10</TTL><ResourceRecords>"
        "<ResourceRecord><Value>\"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\"</Value>"
        "</ResourceRecord>"
        "<ResourceRecord><Value>\"a \\\"q\\\" \\\\ &lt;&amp;&gt;\"</Value></ResourceRecord>"
        "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>"
        "</ChangeResourceRecordSetsRequest>");

  // Read back as Route 53 would read it.
  const auto doc = parse_xml(*body);
  REQUIRE(doc.ok());
  const XmlElement* set =
      doc->child("ChangeBatch")->child("Changes")->child("Change")->child("ResourceRecordSet");
  REQUIRE(set != nullptr);
  const XmlElement& records = *set->child("ResourceRecords");
  REQUIRE(records.children.size() == 2);
  CHECK(unquote_txt(records.children[1].child("Value")->text).value() == "a \"q\" \\ <&>");

  const auto remove = change_request_body({ChangeAction::remove, "x.example.com", {10, {"v"}}});
  CHECK_THAT(remove.value(), Catch::Contains("<Action>DELETE</Action>"));

  CHECK(fails_with(change_request_body({ChangeAction::upsert, "", {10, {"v"}}}),
                   Errc::invalid_argument));
  CHECK(fails_with(change_request_body({ChangeAction::remove, "x.example.com", {10, {}}}),
                   Errc::invalid_argument));
}

TEST_CASE("a change's ID and status are read from both answers", "[route53]") {
  const auto submitted = parse_change_info(kChangeResponse);
  REQUIRE(submitted.ok());
  CHECK(submitted->id == "C2682N5HXP0BZ4");
  CHECK(submitted->status == ChangeStatus::pending);
  const auto polled = parse_change_info(kGetChangeResponse);
  REQUIRE(polled.ok());
  CHECK(polled->id == "C2682N5HXP0BZ4");
  CHECK(polled->status == ChangeStatus::insync);

  CHECK(fails_with(parse_change_info(replaced(kGetChangeResponse, "INSYNC", "DONE")),
                   Errc::invalid_value));
  CHECK(fails_with(parse_change_info(replaced(kGetChangeResponse, "<Id>C2682N5HXP0BZ4</Id>", "")),
                   Errc::missing_field));
  CHECK(fails_with(
      parse_change_info(replaced(kGetChangeResponse, "<Id>C2682N5HXP0BZ4</Id>", "<Id></Id>")),
      Errc::missing_field));
  CHECK(fails_with(parse_change_info("<GetChangeResponse/>"), Errc::missing_field));
  CHECK(fails_with(parse_change_info(kRoute53Error), Errc::wrong_kind));
  every_prefix_fails(kGetChangeResponse, parse_change_info);
}

TEST_CASE("a name's TXT set is found in a record set page", "[route53]") {
  const auto set = parse_txt_record_set(kRecordSets, "_acme-challenge.example.com");
  REQUIRE(set.ok());
  REQUIRE(set->has_value());
  CHECK((*set)->ttl == 10);
  CHECK((*set)->values == std::vector<std::string>{"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0",
                                                   "split in two", "quote \" backslash \\ star *"});
  const auto other = parse_txt_record_set(kRecordSets, "_acme-challenge.www.example.com.");
  REQUIRE(other.ok());
  CHECK((*other)->values == std::vector<std::string>{"other name"});

  const auto absent = parse_txt_record_set(kRecordSets, "_acme-challenge.example.org");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->has_value());
  const auto empty = parse_txt_record_set(
      "<ListResourceRecordSetsResponse><ResourceRecordSets/></ListResourceRecordSetsResponse>",
      "x.example.com");
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->has_value());

  const std::string name = "_acme-challenge.example.com";
  CHECK(fails_with(
      parse_txt_record_set(replaced(kRecordSets, "<TTL>10</TTL>", "<TTL>ten</TTL>"), name),
      Errc::invalid_value));
  CHECK(fails_with(
      parse_txt_record_set(replaced(kRecordSets, "<TTL>10</TTL>", "<TTL>99999999999</TTL>"), name),
      Errc::invalid_value));
  CHECK(fails_with(parse_txt_record_set(replaced(kRecordSets, "<TTL>10</TTL>", ""), name),
                   Errc::missing_field));
  CHECK(fails_with(
      parse_txt_record_set(replaced(kRecordSets, "\"split \" \"in two\"", "\"open"), name),
      Errc::invalid_value));
  CHECK(fails_with(parse_txt_record_set("<ListResourceRecordSetsResponse/>", name),
                   Errc::missing_field));
  CHECK(fails_with(parse_txt_record_set(kHostedZones, name), Errc::wrong_kind));
  every_prefix_fails(kRecordSets,
                     [&](std::string_view body) { return parse_txt_record_set(body, name); });
}

TEST_CASE("hosted zones are listed and the public one of a name is picked", "[route53]") {
  const auto zones = parse_hosted_zones(kHostedZones);
  REQUIRE(zones.ok());
  REQUIRE(zones->size() == 3);
  CHECK((*zones)[0].id == "Z1PRIVATE00000");
  CHECK((*zones)[0].private_zone);
  CHECK((*zones)[1].id == "Z111111QQQQQQQ");
  CHECK((*zones)[1].name == "example.com.");
  CHECK_FALSE((*zones)[1].private_zone);
  CHECK_FALSE((*zones)[2].private_zone);  // no Config: public

  CHECK(public_zone_id(*zones, "example.com") == "Z111111QQQQQQQ");
  CHECK(public_zone_id(*zones, "Example2.com.") == "Z222222VVVVVVV");
  CHECK_FALSE(public_zone_id(*zones, "sub.example.com"));
  CHECK_FALSE(public_zone_id({{"ZPRIV", "example.com.", true}}, "example.com"));

  CHECK(fails_with(parse_hosted_zones(replaced(kHostedZones, "<Name>example2.com.</Name>", "")),
                   Errc::missing_field));
  CHECK(fails_with(parse_hosted_zones("<ListHostedZonesByNameResponse/>"), Errc::missing_field));
  every_prefix_fails(kHostedZones, parse_hosted_zones);
}

TEST_CASE("Route 53 error bodies give a code and a message", "[route53]") {
  auto e = parse_error(kRoute53Error);
  REQUIRE(e.ok());
  CHECK(e->type == "Sender");
  CHECK(e->code == "NoSuchHostedZone");
  CHECK(e->message == "No hosted zone found with ID: Z123");

  e = parse_error(kInvalidChangeBatch);
  REQUIRE(e.ok());
  CHECK(e->type == "Sender");
  CHECK(e->code == "InvalidChangeBatch");
  CHECK(e->message ==
        "Tried to delete resource record set [name='_acme-challenge.example.com.', type='TXT'] "
        "but it was not found; Second problem");

  // Throttling answers carry no Type.
  e = parse_error(
      "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message>"
      "</Error></ErrorResponse>");
  REQUIRE(e.ok());
  CHECK(e->code == "Throttling");
  CHECK(e->type.empty());

  CHECK(fails_with(parse_error("<html><body>502 Bad Gateway</body></html>"), Errc::wrong_kind));
  CHECK(fails_with(parse_error("502 Bad Gateway"), Errc::invalid_value));
  CHECK(fails_with(parse_error("<ErrorResponse><Error/></ErrorResponse>"), Errc::missing_field));
  CHECK(fails_with(parse_error("<ErrorResponse/>"), Errc::missing_field));
  every_prefix_fails(kRoute53Error, parse_error);
}
