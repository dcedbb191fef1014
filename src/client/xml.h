// Just enough XML for S3's response documents (ListObjectsV2, ListParts, errors...) and the few
// request documents the client writes. S3's XML is plain: elements and text, no mixed content
// worth keeping, attributes only for namespaces. The reader keeps element local names (prefixes
// dropped), their text and children; it skips the prolog, comments, processing instructions and
// DOCTYPE, expands the predefined and numeric entities and CDATA sections.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::client {

struct XmlElement {
  std::string name;  // local name: "Contents" for both <Contents> and <s3:Contents>
  std::string text;  // the character data directly inside, entities expanded
  std::vector<XmlElement> children;

  // The first child named `name`, or nullptr.
  const XmlElement* Child(std::string_view name) const;
  // The text of the first child named `name`; empty when there is none.
  std::string ChildText(std::string_view name) const;
  std::vector<const XmlElement*> Children(std::string_view name) const;
};

// The root element of `document`, or nullopt when it is not well-formed XML (or nests deeper
// than any S3 document does).
std::optional<XmlElement> ParseXml(std::string_view document);

// Escapes &, <, >, " and ' for element text and attribute values.
std::string XmlEscape(std::string_view text);

}  // namespace cairn::client
