// Lifecycle documents: AWS CLI and R2 JSON to XML (in the file's order, escaped), XML passed on,
// the server's XML back to JSON that `set` accepts again, and the errors for bad files.
#include "cli/lifecycle_document.h"

#include <gtest/gtest.h>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

constexpr char kHead[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";

int ExitOf(std::string_view text) {
  try {
    LifecycleDocumentToXml(text, "rules.json");
  } catch (const CliError& e) {
    return e.exit_code();
  }
  return 0;
}

TEST(LifecycleDocument, AwsCliJsonBecomesXmlInTheFilesOrder) {
  const char* json = R"({"Rules": [{"ID": "logs", "Filter": {"Prefix": "logs/"},
      "Status": "Enabled",
      "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2},
      "Expiration": {"Days": 30},
      "Transitions": [{"Days": 7, "StorageClass": "STANDARD_IA"}]}]})";
  EXPECT_EQ(LifecycleDocumentToXml(json, "rules.json"),
            std::string(kHead) +
                "<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
                "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>"
                "</AbortIncompleteMultipartUpload><Expiration><Days>30</Days></Expiration>"
                "<Transition><Days>7</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
                "</Rule></LifecycleConfiguration>");
}

TEST(LifecycleDocument, EmptyFilterAndSeveralRules) {
  const std::string xml = LifecycleDocumentToXml(
      R"({"Rules": [{"ID": "a", "Filter": {}, "Status": "Disabled", "Expiration": {"Date": "2031-01-01T00:00:00Z"}},
                    {"ID": "b", "Prefix": "old/", "Status": "Enabled", "Expiration": {"Days": 1}}]})",
      "f");
  EXPECT_NE(xml.find("<Rule><ID>a</ID><Filter/><Status>Disabled</Status>"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Date>2031-01-01T00:00:00Z</Date>"), std::string::npos);
  EXPECT_NE(xml.find("<Rule><ID>b</ID><Prefix>old/</Prefix>"), std::string::npos);
}

TEST(LifecycleDocument, SpecialCharactersAreEscaped) {
  const std::string xml = LifecycleDocumentToXml(
      R"({"Rules": [{"ID": "a<&>", "Filter": {"Prefix": "x&y"}, "Status": "Enabled"}]})", "f");
  EXPECT_NE(xml.find("<ID>a&lt;&amp;&gt;</ID>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Prefix>x&amp;y</Prefix>"), std::string::npos) << xml;
}

TEST(LifecycleDocument, XmlPassesThroughUnchanged) {
  const std::string xml =
      "\n  <LifecycleConfiguration><Rule><Status>Enabled</Status></Rule></LifecycleConfiguration>";
  EXPECT_EQ(LifecycleDocumentToXml(xml, "rules.xml"), xml);
}

TEST(LifecycleDocument, R2JsonIsConverted) {
  const char* json = R"({"rules": [{
      "id": "expire", "enabled": true, "conditions": {"prefix": "tmp/"},
      "deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": 2592000}},
      "storageClassTransitions": [{"condition": {"type": "Age", "maxAge": 604800},
                                   "storageClass": "InfrequentAccess"}],
      "abortMultipartUploadsTransition": {"condition": {"type": "Age", "maxAge": 86400}}},
     {"id": "off", "enabled": false,
      "deleteObjectsTransition": {"condition": {"type": "Date", "date": "2031-01-01T00:00:00Z"}}}]})";
  const Json aws = LifecycleFromR2Json(Json::parse(json), "f");
  EXPECT_EQ(
      aws.dump(),
      R"({"Rules":[{"ID":"expire","Filter":{"Prefix":"tmp/"},"Status":"Enabled",)"
      R"("Expiration":{"Days":30},"Transitions":[{"Days":7,"StorageClass":"STANDARD_IA"}],)"
      R"("AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}},)"
      R"({"ID":"off","Filter":{},"Status":"Disabled","Expiration":{"Date":"2031-01-01T00:00:00Z"}}]})");
  EXPECT_NE(LifecycleDocumentToXml(json, "f").find("<Expiration><Days>30</Days></Expiration>"),
            std::string::npos);
}

TEST(LifecycleDocument, R2AgesMustBeWholeDays) {
  EXPECT_EQ(
      ExitOf(
          R"({"rules": [{"deleteObjectsTransition": {"condition": {"type": "Age", "maxAge": 3600}}}]})"),
      kExitUsage);
  EXPECT_EQ(
      ExitOf(
          R"({"rules": [{"abortMultipartUploadsTransition": {"condition": {"type": "Date", "date": "2031-01-01"}}}]})"),
      kExitUsage);
  EXPECT_EQ(
      ExitOf(
          R"({"rules": [{"storageClassTransitions": [{"condition": {"type": "Age", "maxAge": 86400}, "storageClass": "Glacier"}]}]})"),
      kExitUsage);
}

TEST(LifecycleDocument, BadDocumentsAreUsageErrors) {
  EXPECT_EQ(ExitOf("not json"), kExitUsage);
  EXPECT_EQ(ExitOf("[1, 2]"), kExitUsage);
  EXPECT_EQ(ExitOf(R"({"Other": []})"), kExitUsage);
  EXPECT_EQ(ExitOf(R"({"Rules": [{"Bogus": [1]}]})"), kExitUsage);  // a list we cannot name
  EXPECT_EQ(ExitOf(R"({"Rules": [{"ID": null}]})"), kExitUsage);
  EXPECT_EQ(ExitOf("<LifecycleConfiguration><Rule>"), kExitUsage);  // not well-formed
  EXPECT_EQ(ExitOf("<CORSConfiguration/>"), kExitUsage);            // the wrong document
}

TEST(LifecycleDocument, ServerXmlBecomesAwsCliJson) {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Rule><ID>a</ID><Filter></Filter><Status>Enabled</Status>
    <Expiration><Days>30</Days></Expiration>
    <Transition><Days>7</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
    <AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>
  </Rule>
  <Rule><ID>b</ID><Filter><Prefix></Prefix></Filter><Status>Disabled</Status>
    <Expiration><Date>2031-01-01T00:00:00.000Z</Date></Expiration></Rule>
</LifecycleConfiguration>)";
  EXPECT_EQ(LifecycleXmlToJson(xml).dump(),
            R"({"Rules":[{"ID":"a","Filter":{},"Status":"Enabled","Expiration":{"Days":30},)"
            R"("Transitions":[{"Days":7,"StorageClass":"STANDARD_IA"}],)"
            R"("AbortIncompleteMultipartUpload":{"DaysAfterInitiation":2}},)"
            R"({"ID":"b","Filter":{"Prefix":""},"Status":"Disabled",)"
            R"("Expiration":{"Date":"2031-01-01T00:00:00.000Z"}}]})");
}

TEST(LifecycleDocument, JsonOfGetIsAcceptedBySet) {
  const char* json =
      R"({"Rules":[{"ID":"a","Filter":{"Prefix":"p/"},"Status":"Enabled",)"
      R"("Expiration":{"Days":3},"Transitions":[{"Days":1,"StorageClass":"STANDARD_IA"}]}]})";
  EXPECT_EQ(LifecycleXmlToJson(LifecycleDocumentToXml(json, "f")).dump(), json);
}

}  // namespace
}  // namespace cairn::cli
