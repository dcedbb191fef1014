// The AccessControlPolicy document: what Get*Acl answers, and the grants of the body boto3 sends
// with put_bucket_acl(AccessControlPolicy=...).
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "s3/xml.h"

namespace cairn::s3 {
namespace {

// Captured from botocore 1.43's serializer: the owner's FULL_CONTROL and AllUsers READ.
constexpr std::string_view kBoto3Body =
    "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>owner-id"
    "</ID><DisplayName>owner</DisplayName></Owner><AccessControlList><Grant><Grantee "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>"
    "owner-id</ID><DisplayName>owner</DisplayName></Grantee><Permission>FULL_CONTROL</Permission>"
    "</Grant><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
    "xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>"
    "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>";

TEST(XmlAcl, Boto3BodyGrants) {
  auto grants = ParseAccessControlPolicy(kBoto3Body);
  ASSERT_TRUE(grants.ok()) << grants.error().Message();
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].grantee_type, "CanonicalUser");
  EXPECT_EQ((*grants)[0].id, "owner-id");
  EXPECT_EQ((*grants)[0].permission, "FULL_CONTROL");
  EXPECT_EQ((*grants)[1].grantee_type, "Group");
  EXPECT_EQ((*grants)[1].uri, core::kAllUsersGroup);
  EXPECT_EQ((*grants)[1].permission, "READ");
}

TEST(XmlAcl, AnyPrefixForTheSchemaInstanceNamespaceAndNoneAtAll) {
  auto grants = ParseAccessControlPolicy(
      "<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:i=\"http://www.w3.org/2001/"
      "XMLSchema-instance\" i:type=\"Group\"><URI>u</URI></Grantee><Permission>READ</Permission>"
      "</Grant><Grant><Grantee><ID>someone</ID></Grantee><Permission>READ</Permission></Grant>"
      "</AccessControlList></AccessControlPolicy>");
  ASSERT_TRUE(grants.ok()) << grants.error().Message();
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].grantee_type, "Group");
  EXPECT_EQ((*grants)[1].grantee_type, "CanonicalUser");
}

TEST(XmlAcl, MalformedBodies) {
  for (std::string_view xml : {
           "<AccessControlList></AccessControlList>",
           "<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant>"
           "</AccessControlList></AccessControlPolicy>",
           "<AccessControlPolicy><AccessControlList><Grant><Grantee><ID>x</ID></Grantee></Grant>"
           "</AccessControlList></AccessControlPolicy>",
           "<AccessControlPolicy><Grants/></AccessControlPolicy>",
           "<AccessControlPolicy><AccessControlList><Other/></AccessControlList>"
           "</AccessControlPolicy>",
           "<AccessControlPolicy>",
       }) {
    auto grants = ParseAccessControlPolicy(xml);
    ASSERT_FALSE(grants.ok()) << xml;
    EXPECT_EQ(grants.error().code, ErrorCode::kMalformedXML) << xml;
  }
}

TEST(XmlAcl, RenderedPolicyHasTheOwnersGrantAndAPublicBucketsRead) {
  const Owner owner{"owner-id", "owner"};
  for (bool is_public : {false, true}) {
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(RenderAccessControlPolicy(owner, is_public).c_str()));
    pugi::xml_node root = doc.child("AccessControlPolicy");
    EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
    EXPECT_STREQ(root.child("Owner").child_value("ID"), "owner-id");
    EXPECT_STREQ(root.child("Owner").child_value("DisplayName"), "owner");
    pugi::xml_node grant = root.child("AccessControlList").child("Grant");
    EXPECT_STREQ(grant.child("Grantee").attribute("xsi:type").value(), "CanonicalUser");
    EXPECT_STREQ(grant.child("Grantee").child_value("ID"), "owner-id");
    EXPECT_STREQ(grant.child_value("Permission"), "FULL_CONTROL");
    pugi::xml_node read = grant.next_sibling("Grant");
    EXPECT_EQ(!read.empty(), is_public);
    if (is_public) {
      EXPECT_STREQ(read.child("Grantee").attribute("xsi:type").value(), "Group");
      EXPECT_STREQ(read.child("Grantee").child_value("URI"), core::kAllUsersGroup.data());
      EXPECT_STREQ(read.child_value("Permission"), "READ");
    }
    // And it parses back to what it says.
    auto grants = ParseAccessControlPolicy(RenderAccessControlPolicy(owner, is_public));
    ASSERT_TRUE(grants.ok());
    EXPECT_EQ(grants->size(), is_public ? 2u : 1u);
  }
}

}  // namespace
}  // namespace cairn::s3
