// The AccessControlPolicy document of Get/PutBucketAcl and Get/PutObjectAcl (Amazon S3 API
// reference; the AccessControlPolicy, Grant and Grantee data types). A grantee's kind is its
// xsi:type attribute (CanonicalUser, Group, AmazonCustomerByEmail), in the XML Schema instance
// namespace, whatever prefix the client bound it to.
#include <pugixml.hpp>

#include "s3/xml.h"
#include "s3/xml_writer.h"

namespace cairn::s3 {
namespace {

using xml_internal::Add;
using xml_internal::AddOwner;
using xml_internal::Document;
using xml_internal::LocalName;
using xml_internal::Malformed;
using xml_internal::ParseRoot;
using xml_internal::TextOf;
using xml_internal::TrimXmlSpace;

constexpr char kXsiNamespace[] = "http://www.w3.org/2001/XMLSchema-instance";

pugi::xml_node AddGrantee(pugi::xml_node grant, const char* type) {
  pugi::xml_node grantee = grant.append_child("Grantee");
  grantee.append_attribute("xmlns:xsi") = kXsiNamespace;
  grantee.append_attribute("xsi:type") = type;
  return grantee;
}

// The element's text, trimmed; empty when it has none. MalformedXML when it has child elements.
Result<std::string> Text(pugi::xml_node node) {
  std::optional<std::string> text = TextOf(node);
  if (!text) return Malformed(std::string(LocalName(node)) + " contains elements");
  return std::string(TrimXmlSpace(*text));
}

// The attribute "<prefix>:type" (or "type"), S3's way of saying what a Grantee is.
std::string GranteeType(pugi::xml_node grantee) {
  for (pugi::xml_attribute attribute : grantee.attributes()) {
    std::string_view name = attribute.name();
    if (name == "type" || (name.ends_with(":type") && !name.starts_with("xmlns"))) {
      return attribute.value();
    }
  }
  return "";
}

Result<core::AclGrant> ParseGrant(pugi::xml_node node) {
  core::AclGrant grant;
  bool have_grantee = false;
  bool have_permission = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (LocalName(child) == "Permission") {
      Result<std::string> text = Text(child);
      if (!text.ok()) return text.error();
      grant.permission = std::move(*text);
      have_permission = true;
    } else if (LocalName(child) == "Grantee") {
      have_grantee = true;
      grant.grantee_type = GranteeType(child);
      for (pugi::xml_node field : child.children()) {
        if (field.type() != pugi::node_element) continue;
        Result<std::string> text = Text(field);
        if (!text.ok()) return text.error();
        if (LocalName(field) == "ID") grant.id = std::move(*text);
        if (LocalName(field) == "URI") grant.uri = std::move(*text);
      }
      // Without xsi:type, what the grantee names says what it is.
      if (grant.grantee_type.empty() && !grant.id.empty()) grant.grantee_type = "CanonicalUser";
      if (grant.grantee_type.empty() && !grant.uri.empty()) grant.grantee_type = "Group";
    } else {
      return Malformed("unexpected " + std::string(LocalName(child)) + " in Grant");
    }
  }
  if (!have_grantee || !have_permission) return Malformed("a Grant needs Grantee and Permission");
  return grant;
}

}  // namespace

std::string RenderAccessControlPolicy(const Owner& owner, bool all_users_read) {
  Document doc("AccessControlPolicy", /*s3_namespace=*/true);
  AddOwner(doc.root(), owner);
  pugi::xml_node list = doc.root().append_child("AccessControlList");
  pugi::xml_node grant = list.append_child("Grant");
  pugi::xml_node grantee = AddGrantee(grant, "CanonicalUser");
  Add(grantee, "ID", owner.id);
  Add(grantee, "DisplayName", owner.display_name);
  Add(grant, "Permission", "FULL_CONTROL");
  if (all_users_read) {
    pugi::xml_node read = list.append_child("Grant");
    Add(AddGrantee(read, "Group"), "URI", core::kAllUsersGroup);
    Add(read, "Permission", "READ");
  }
  return doc.Finish();
}

Result<std::vector<core::AclGrant>> ParseAccessControlPolicy(std::string_view xml) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = ParseRoot(doc, xml, "AccessControlPolicy");
  if (!root.ok()) return root.error();
  std::vector<core::AclGrant> grants;
  for (pugi::xml_node child : root->children()) {
    if (child.type() != pugi::node_element) continue;
    if (LocalName(child) == "Owner") continue;
    if (LocalName(child) != "AccessControlList") {
      return Malformed("unexpected " + std::string(LocalName(child)) + " in AccessControlPolicy");
    }
    for (pugi::xml_node item : child.children()) {
      if (item.type() != pugi::node_element) continue;
      if (LocalName(item) != "Grant") {
        return Malformed("unexpected " + std::string(LocalName(item)) + " in AccessControlList");
      }
      Result<core::AclGrant> grant = ParseGrant(item);
      if (!grant.ok()) return grant.error();
      grants.push_back(*std::move(grant));
    }
  }
  return grants;
}

}  // namespace cairn::s3
