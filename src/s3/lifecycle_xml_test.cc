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
  // Filters that would select objects by what cairn does not keep (tags) or check (sizes): stored
  // and ignored, they would apply the rule's actions to the wrong objects.
  for (std::string_view rule : {
           "<Rule><ID>t</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
           "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
           "<Rule><ID>a</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value>"
           "</Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
           "</Rule>",
           "<Rule><ID>s</ID><Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter>"
           "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
       }) {
    auto r = ParseLifecycleConfiguration(Config(rule));
    ASSERT_FALSE(r.ok()) << rule;
    EXPECT_EQ(r.error().code, ErrorCode::kNotImplemented) << rule;
  }
}

// As Terraform's aws_s3_bucket_lifecycle_configuration and the AWS CLI's examples write them: the
// versioning-era actions are kept (no-ops without versions, as on an unversioned S3 bucket).
constexpr std::string_view kVersioningRules =
    "<Rule><ID>versions</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
    "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"
    "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays>"
    "<StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>"
    "<NoncurrentVersionTransition><NoncurrentDays>90</NoncurrentDays>"
    "<StorageClass>DEEP_ARCHIVE</StorageClass><NewerNoncurrentVersions>2"
    "</NewerNoncurrentVersions></NoncurrentVersionTransition>"
    "<NoncurrentVersionExpiration><NoncurrentDays>365</NoncurrentDays>"
    "<NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
    "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation>"
    "</AbortIncompleteMultipartUpload></Rule>"
    "<Rule><ID>markers-only</ID><Filter></Filter><Status>Enabled</Status>"
    "<Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration></Rule>";

TEST(XmlParseLifecycle, VersioningEraActionsAreKept) {
  auto config = ParseLifecycleConfiguration(Config(kVersioningRules));
  ASSERT_TRUE(config.ok()) << config.error().Message();
  ASSERT_EQ(config->rules.size(), 2u);
  const core::LifecycleRule& rule = config->rules[0];
  EXPECT_EQ(rule.expired_object_delete_marker, true);
  EXPECT_FALSE(rule.expiration_days);
  EXPECT_FALSE(rule.expiration_date);
  ASSERT_EQ(rule.noncurrent_transitions.size(), 2u);
  EXPECT_EQ(rule.noncurrent_transitions[0].noncurrent_days, 30u);
  EXPECT_EQ(rule.noncurrent_transitions[0].storage_class, "GLACIER");
  EXPECT_FALSE(rule.noncurrent_transitions[0].newer_noncurrent_versions);
  EXPECT_EQ(rule.noncurrent_transitions[1].newer_noncurrent_versions, 2u);
  ASSERT_TRUE(rule.noncurrent_expiration);
  EXPECT_EQ(rule.noncurrent_expiration->noncurrent_days, 365u);
  EXPECT_EQ(rule.noncurrent_expiration->newer_noncurrent_versions, 3u);
  EXPECT_EQ(rule.abort_incomplete_days, 7u);
  EXPECT_EQ(config->rules[1].expired_object_delete_marker, false);

  // Rendered in the order of the LifecycleRule data type, and parsed back to the same document.
  const std::string xml = RenderLifecycleConfiguration(*config);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node first = doc.document_element().child("Rule");
  EXPECT_EQ(ChildNames(first),
            (Names{"ID", "Filter", "Status", "Expiration", "NoncurrentVersionTransition",
                   "NoncurrentVersionTransition", "NoncurrentVersionExpiration",
                   "AbortIncompleteMultipartUpload"}));
  EXPECT_EQ(ChildNames(first.child("NoncurrentVersionTransition").next_sibling()),
            (Names{"NoncurrentDays", "StorageClass", "NewerNoncurrentVersions"}));
  EXPECT_STREQ(first.child("Expiration").child_value("ExpiredObjectDeleteMarker"), "true");
  auto again = ParseLifecycleConfiguration(xml);
  ASSERT_TRUE(again.ok()) << again.error().Message() << "\n" << xml;
  EXPECT_EQ(RenderLifecycleConfiguration(*again), xml);
}

TEST(XmlParseLifecycle, VersioningEraActionsAreChecked) {
  auto rule = [](std::string_view action) {
    return "<Rule><Filter></Filter><Status>Enabled</Status>" + std::string(action) + "</Rule>";
  };
  for (const std::string& bad : {
           rule("<NoncurrentVersionExpiration></NoncurrentVersionExpiration>"),
           rule("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
                "<StorageClass>GLACIER</StorageClass></NoncurrentVersionExpiration>"),
           rule("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
                "</NoncurrentVersionExpiration><NoncurrentVersionExpiration><NoncurrentDays>2"
                "</NoncurrentDays></NoncurrentVersionExpiration>"),
           rule("<NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays>"
                "</NoncurrentVersionTransition>"),
           rule("<NoncurrentVersionTransition><NoncurrentDays>x</NoncurrentDays>"
                "<StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>"),
           rule("<Expiration><ExpiredObjectDeleteMarker>yes</ExpiredObjectDeleteMarker>"
                "</Expiration>"),
           rule("<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
                "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"),
           rule("<Transition><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
                "</Transition>"),
       }) {
    EXPECT_EQ(ParseError(bad), ErrorCode::kMalformedXML) << bad;
  }
  for (const std::string& bad : {
           rule("<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays>"
                "</NoncurrentVersionExpiration>"),
           rule("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
                "<NewerNoncurrentVersions>101</NewerNoncurrentVersions>"
                "</NoncurrentVersionExpiration>"),
           rule("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>"
                "<NewerNoncurrentVersions>0</NewerNoncurrentVersions>"
                "</NoncurrentVersionExpiration>"),
           rule("<NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays>"
                "<StorageClass>COLD</StorageClass></NoncurrentVersionTransition>"),
           rule("<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true"
                "</ExpiredObjectDeleteMarker></Expiration>"),
       }) {
    EXPECT_EQ(ParseError(bad), ErrorCode::kInvalidArgument) << bad;
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
