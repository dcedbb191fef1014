// The LifecycleConfiguration document: bodies as boto3 sends them, what cairn refuses and with
// which error, and rendering that parses back to the configuration that was stored.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "s3/xml.h"

namespace cairn::s3 {
namespace {

using Names = std::vector<std::string>;

constexpr std::string_view kDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

TimePoint Iso(std::string_view text) { return ParseIso8601(text).value(); }

std::vector<std::string> ChildNames(pugi::xml_node node) {
  std::vector<std::string> names;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element) names.push_back(c.name());
  }
  return names;
}

// A configuration of the given rules, in the namespace boto3 uses.
std::string Config(std::string_view rules) {
  return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         std::string(rules) + "</LifecycleConfiguration>";
}

ErrorCode ParseError(std::string_view rules) {
  auto r = ParseLifecycleConfiguration(Config(rules));
  return r.ok() ? ErrorCode::kCount : r.error().code;
}

// Captured from botocore 1.43's serializer for put_bucket_lifecycle_configuration with four rules:
// an empty Filter, a prefix Filter, a dated Transition and a legacy top-level Prefix.
constexpr std::string_view kBoto3Body =
    "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>abort</ID>"
    "<Status>Enabled</Status><Filter /><AbortIncompleteMultipartUpload><DaysAfterInitiation>3"
    "</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule><Rule><ID>logs</ID><Status>"
    "Enabled</Status><Filter><Prefix>logs/</Prefix></Filter><Expiration><Days>30</Days>"
    "</Expiration></Rule><Rule><ID>ia</ID><Status>Disabled</Status><Filter><Prefix>old/</Prefix>"
    "</Filter><Transition><Date>2030-01-01T00:00:00Z</Date><StorageClass>STANDARD_IA</StorageClass>"
    "</Transition></Rule><Rule><ID>legacy</ID><Status>Enabled</Status><Prefix>tmp/</Prefix>"
    "<Expiration><Date>2031-02-03T00:00:00Z</Date></Expiration></Rule></LifecycleConfiguration>";

TEST(XmlParseLifecycle, Boto3Body) {
  auto config = ParseLifecycleConfiguration(kBoto3Body);
  ASSERT_TRUE(config.ok()) << config.error().Message();
  ASSERT_EQ(config->rules.size(), 4u);
  const core::LifecycleRule& abort = config->rules[0];
  EXPECT_EQ(abort.id, "abort");
  EXPECT_TRUE(abort.enabled);
  EXPECT_EQ(abort.prefix, "");
  EXPECT_FALSE(abort.legacy_prefix);
  EXPECT_EQ(abort.abort_incomplete_days, 3u);
  EXPECT_FALSE(abort.expiration_days);

  const core::LifecycleRule& logs = config->rules[1];
  EXPECT_EQ(logs.prefix, "logs/");
  EXPECT_EQ(logs.expiration_days, 30u);
  EXPECT_FALSE(logs.abort_incomplete_days);

  const core::LifecycleRule& ia = config->rules[2];
  EXPECT_FALSE(ia.enabled);
  EXPECT_EQ(ia.transition_date, Iso("2030-01-01T00:00:00Z"));
  EXPECT_EQ(ia.transition_storage_class, "STANDARD_IA");
  EXPECT_FALSE(ia.transition_days);

  const core::LifecycleRule& legacy = config->rules[3];
  EXPECT_EQ(legacy.prefix, "tmp/");
  EXPECT_TRUE(legacy.legacy_prefix);
  EXPECT_EQ(legacy.expiration_date, Iso("2031-02-03T00:00:00Z"));
}

TEST(XmlParseLifecycle, RuleWithoutIdAndBareDate) {
  auto config = ParseLifecycleConfiguration(
      Config("<Rule><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>"
             "<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
             "<Expiration><Date>2030-06-01</Date></Expiration></Rule>"));
  ASSERT_TRUE(config.ok()) << config.error().Message();
  EXPECT_EQ(config->rules[0].id, "");
  EXPECT_EQ(config->rules[0].transition_days, 30u);
  EXPECT_EQ(config->rules[0].expiration_date, Iso("2030-06-01T00:00:00Z"));
}

TEST(XmlParseLifecycle, WhatCairnCannotHonourIsNotImplemented) {
  for (std::string_view rule : {
           "<Rule><ID>t</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
           "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
           "<Rule><ID>a</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value>"
           "</Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
           "</Rule>",
           "<Rule><ID>s</ID><Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter>"
           "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
           "<Rule><ID>n</ID><Filter></Filter><Status>Enabled</Status><NoncurrentVersionExpiration>"
           "<NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
           "<Rule><ID>nt</ID><Filter></Filter><Status>Enabled</Status><NoncurrentVersionTransition>"
           "<NoncurrentDays>1</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass>"
           "</NoncurrentVersionTransition></Rule>",
           "<Rule><ID>d</ID><Filter></Filter><Status>Enabled</Status><Expiration>"
           "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>",
       }) {
    auto r = ParseLifecycleConfiguration(Config(rule));
    ASSERT_FALSE(r.ok()) << rule;
    EXPECT_EQ(r.error().code, ErrorCode::kNotImplemented) << rule;
  }
}

TEST(XmlParseLifecycle, MalformedDocuments) {
  for (std::string_view body : {
           std::string_view(""), std::string_view("<LifecycleConfiguration><Rule>"),
           std::string_view("<BucketLifecycleConfiguration></BucketLifecycleConfiguration>"),
           std::string_view("<LifecycleConfiguration></LifecycleConfiguration>"),  // no Rule
       }) {
    auto r = ParseLifecycleConfiguration(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedXML) << body;
  }
  const std::string_view kAbort =
      "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
      "</AbortIncompleteMultipartUpload>";
  auto rule = [&](std::string_view inner) { return "<Rule>" + std::string(inner) + "</Rule>"; };
  for (const std::string& bad : {
           rule("<Filter></Filter>" + std::string(kAbort)),  // no Status
           rule("<Status>On</Status><Filter></Filter>" + std::string(kAbort)),
           rule("<Status>Enabled</Status>" + std::string(kAbort)),  // no Filter/Prefix
           rule("<Status>Enabled</Status><Filter></Filter><Prefix>p</Prefix>" +
                std::string(kAbort)),
           rule("<Status>Enabled</Status><Prefix>p</Prefix><Filter></Filter>" +
                std::string(kAbort)),
           rule("<Status>Enabled</Status><Filter><Prefix>a</Prefix><Prefix>b</Prefix></Filter>" +
                std::string(kAbort)),
           rule("<Status>Enabled</Status><Status>Enabled</Status><Filter></Filter>" +
                std::string(kAbort)),
           rule("<Status>Enabled</Status><Filter></Filter><Expiration><Days>ten</Days>"
                "</Expiration>"),
           rule("<Status>Enabled</Status><Filter></Filter><Expiration></Expiration>"),
           rule("<Status>Enabled</Status><Filter></Filter><Expiration><Date>soon</Date>"
                "</Expiration>"),
           rule("<Status>Enabled</Status><Filter></Filter><Expiration><Days>1</Days>"
                "<Date>2030-01-01T00:00:00Z</Date></Expiration>"),
           rule("<Status>Enabled</Status><Filter></Filter><Transition><Days>1</Days></Transition>"),
           rule("<Status>Enabled</Status><Filter></Filter><AbortIncompleteMultipartUpload>"
                "</AbortIncompleteMultipartUpload>"),
           rule("<Status>Enabled</Status><Filter></Filter><Retain>1</Retain>"),
           rule("<Status>Enabled</Status><Filter></Filter>" + std::string(kAbort)) + "<Extra/>",
       }) {
    EXPECT_EQ(ParseError(bad), ErrorCode::kMalformedXML) << bad;
  }
}

TEST(XmlParseLifecycle, InvalidValuesAreInvalidArgument) {
  for (std::string_view bad : {
           "<Rule><Status>Enabled</Status><Filter></Filter><Expiration><Days>0</Days>"
           "</Expiration></Rule>",
           "<Rule><Status>Enabled</Status><Filter></Filter><Expiration><Days>-3</Days>"
           "</Expiration></Rule>",
           "<Rule><Status>Enabled</Status><Filter></Filter><Expiration><Days>99999999999</Days>"
           "</Expiration></Rule>",
           "<Rule><Status>Enabled</Status><Filter></Filter><Expiration>"
           "<Date>2030-01-01T12:00:00Z</Date></Expiration></Rule>",
           "<Rule><Status>Enabled</Status><Filter></Filter><Transition><Days>30</Days>"
           "<StorageClass>GLACIER</StorageClass></Transition></Rule>",
           "<Rule><Status>Enabled</Status><Filter></Filter><Transition><Days>30</Days>"
           "<StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>60</Days>"
           "<StorageClass>STANDARD_IA</StorageClass></Transition></Rule>",
           "<Rule><ID>x</ID><Status>Enabled</Status><Filter></Filter><Expiration><Days>1</Days>"
           "</Expiration></Rule><Rule><ID>x</ID><Status>Enabled</Status><Filter></Filter>"
           "<Expiration><Days>2</Days></Expiration></Rule>",
       }) {
    EXPECT_EQ(ParseError(bad), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(XmlRenderLifecycle, ElementsInOrder) {
  core::LifecycleConfiguration config;
  core::LifecycleRule all;
  all.id = "all";
  all.prefix = "p/";
  all.expiration_days = 90;
  all.transition_days = 30;
  all.transition_storage_class = "STANDARD_IA";
  all.abort_incomplete_days = 2;
  config.rules.push_back(all);
  core::LifecycleRule legacy;
  legacy.id = "legacy";
  legacy.prefix = "tmp/";
  legacy.legacy_prefix = true;
  legacy.enabled = false;
  legacy.expiration_date = Iso("2031-02-03T00:00:00Z");
  config.rules.push_back(legacy);

  const std::string xml = RenderLifecycleConfiguration(config);
  ASSERT_TRUE(xml.starts_with(kDecl)) << xml;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node root = doc.document_element();
  EXPECT_STREQ(root.name(), "LifecycleConfiguration");
  EXPECT_EQ(std::string_view(root.attribute("xmlns").value()), kS3Namespace);
  EXPECT_EQ(ChildNames(root), (Names{"Rule", "Rule"}));

  pugi::xml_node first = root.child("Rule");
  EXPECT_EQ(ChildNames(first), (Names{"ID", "Filter", "Status", "Expiration", "Transition",
                                      "AbortIncompleteMultipartUpload"}));
  EXPECT_STREQ(first.child("Filter").child_value("Prefix"), "p/");
  EXPECT_STREQ(first.child_value("Status"), "Enabled");
  EXPECT_STREQ(first.child("Expiration").child_value("Days"), "90");
  EXPECT_EQ(ChildNames(first.child("Transition")), (Names{"Days", "StorageClass"}));
  EXPECT_STREQ(first.child("Transition").child_value("StorageClass"), "STANDARD_IA");
  EXPECT_STREQ(first.child("AbortIncompleteMultipartUpload").child_value("DaysAfterInitiation"),
               "2");

  pugi::xml_node second = first.next_sibling("Rule");
  EXPECT_EQ(ChildNames(second), (Names{"ID", "Prefix", "Status", "Expiration"}));
  EXPECT_STREQ(second.child_value("Prefix"), "tmp/");
  EXPECT_STREQ(second.child_value("Status"), "Disabled");
  EXPECT_STREQ(second.child("Expiration").child_value("Date"), "2031-02-03T00:00:00.000Z");
}

TEST(XmlRenderLifecycle, EmptyPrefixIsAnEmptyFilter) {
  core::LifecycleConfiguration config;
  core::LifecycleRule rule;
  rule.abort_incomplete_days = 1;
  config.rules.push_back(rule);
  const std::string xml = RenderLifecycleConfiguration(config);
  EXPECT_NE(xml.find("<Rule><Filter></Filter><Status>Enabled</Status>"), std::string::npos) << xml;
}

// What boto3 stored comes back as the same configuration, and rendering it again gives the same
// document.
TEST(XmlRenderLifecycle, RoundTripsWhatWasStored) {
  auto parsed = ParseLifecycleConfiguration(kBoto3Body);
  ASSERT_TRUE(parsed.ok());
  const std::string rendered = RenderLifecycleConfiguration(*parsed);
  auto again = ParseLifecycleConfiguration(rendered);
  ASSERT_TRUE(again.ok()) << again.error().Message() << "\n" << rendered;
  ASSERT_EQ(again->rules.size(), parsed->rules.size());
  for (size_t i = 0; i < parsed->rules.size(); ++i) {
    const core::LifecycleRule& a = parsed->rules[i];
    const core::LifecycleRule& b = again->rules[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.prefix, b.prefix);
    EXPECT_EQ(a.legacy_prefix, b.legacy_prefix);
    EXPECT_EQ(a.enabled, b.enabled);
    EXPECT_EQ(a.abort_incomplete_days, b.abort_incomplete_days);
    EXPECT_EQ(a.expiration_days, b.expiration_days);
    EXPECT_EQ(a.expiration_date, b.expiration_date);
    EXPECT_EQ(a.transition_days, b.transition_days);
    EXPECT_EQ(a.transition_date, b.transition_date);
    EXPECT_EQ(a.transition_storage_class, b.transition_storage_class);
  }
  EXPECT_EQ(RenderLifecycleConfiguration(*again), rendered);
}

TEST(XmlRenderLifecycle, TextIsEscaped) {
  core::LifecycleConfiguration config;
  core::LifecycleRule rule;
  rule.id = "a<b>&\"c\"";
  rule.prefix = "x&y/";
  rule.abort_incomplete_days = 1;
  config.rules.push_back(rule);
  auto back = ParseLifecycleConfiguration(RenderLifecycleConfiguration(config));
  ASSERT_TRUE(back.ok()) << back.error().Message();
  EXPECT_EQ(back->rules[0].id, rule.id);
  EXPECT_EQ(back->rules[0].prefix, rule.prefix);
}

}  // namespace
}  // namespace cairn::s3
