// The XML reader on S3-shaped documents and on what must be refused.
#include "client/xml.h"

#include <gtest/gtest.h>

namespace cairn::client {
namespace {

TEST(ParseXml, ListBucketResult) {
  auto doc = ParseXml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>b</Name><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a&amp;b &lt;c&gt;</Key><ETag>&quot;abc&quot;</ETag><Size>3</Size></Contents>"
      "<Contents><Key>d</Key></Contents>"
      "<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes>"
      "</ListBucketResult>");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->name, "ListBucketResult");
  EXPECT_EQ(doc->ChildText("IsTruncated"), "true");
  auto contents = doc->Children("Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(contents[0]->ChildText("Key"), "a&b <c>");
  EXPECT_EQ(contents[0]->ChildText("ETag"), "\"abc\"");
  EXPECT_EQ(contents[1]->ChildText("Key"), "d");
  EXPECT_EQ(doc->Child("CommonPrefixes")->ChildText("Prefix"), "p/");
  EXPECT_EQ(doc->ChildText("Missing"), "");
  EXPECT_EQ(doc->Child("Missing"), nullptr);
}

TEST(ParseXml, PrefixesCommentsCdataAndNumericEntities) {
  auto doc = ParseXml(
      "<!-- c --><s3:Error xmlns:s3='x'><s3:Code>A</s3:Code><!-- inside -->"
      "<Message><![CDATA[<raw> & text]]> &#233;&#xE9;</Message><Empty/></s3:Error>");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->name, "Error");
  EXPECT_EQ(doc->ChildText("Code"), "A");
  EXPECT_EQ(doc->ChildText("Message"), "<raw> & text éé");
  ASSERT_NE(doc->Child("Empty"), nullptr);
}

TEST(ParseXml, RefusesMalformedDocuments) {
  EXPECT_FALSE(ParseXml(""));
  EXPECT_FALSE(ParseXml("<a><b></a></b>"));
  EXPECT_FALSE(ParseXml("<a>"));
  EXPECT_FALSE(ParseXml("<a>&bogus;</a>"));
  EXPECT_FALSE(ParseXml("<a></a><b></b>"));
  EXPECT_FALSE(ParseXml("<html>oops"));
  EXPECT_FALSE(ParseXml("not xml"));
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  EXPECT_FALSE(ParseXml(deep));
}

TEST(XmlEscape, EscapesMarkup) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  auto doc = ParseXml("<K>" + XmlEscape("x&<y>\r") + "</K>");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->text, "x&<y>\r");
}

}  // namespace
}  // namespace cairn::client
