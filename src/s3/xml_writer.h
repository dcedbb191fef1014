// Internal to s3/: the pugixml helpers every S3 XML document shares, for writing results (one
// Document per response, escaping left to pugixml) and for reading request bodies safely (no DTD
// processing, S3's MalformedXML for anything not well-formed). xml.cc, multipart_xml.cc and
// lifecycle_xml.cc use them; handlers use the functions of xml.h instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "s3/xml.h"

namespace cairn::s3::xml_internal {

// ---- Writing ----

// A document under construction. Result documents carry the S3 namespace on their root; the Error
// document does not, as S3's own error bodies have none.
class Document {
 public:
  Document(const char* root_name, bool s3_namespace);
  pugi::xml_node root() { return root_; }

  // `<?xml ...?>` and the document on one line. Empty elements are written as <A></A>, as S3
  // does, rather than pugixml's <A />; both are the same XML.
  std::string Finish() const;

 private:
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

// Appends <name>value</name> to `parent` and returns it.
pugi::xml_node Add(pugi::xml_node parent, const char* name, std::string_view value);
pugi::xml_node Add(pugi::xml_node parent, const char* name, uint64_t value);
void AddBool(pugi::xml_node parent, const char* name, bool value);

// Text for an element that may hold bytes a client sent (an error's message, key or path). XML 1.0
// carries neither bytes that are not UTF-8 nor control characters other than tab, LF and CR
// (pugixml would write them through, or as references no parser accepts), so each such byte is
// written as the four characters \xNN, and every client can still read why it was refused.
std::string XmlSafeText(std::string_view text);

// ETags travel quoted in XML, as in the ETag header.
std::string QuotedEtag(std::string_view etag);

// <Owner><ID/><DisplayName/></Owner>; `element` names other elements of the same shape
// ("Initiator").
void AddOwner(pugi::xml_node parent, const Owner& owner, const char* element = "Owner");

// <ChecksumCRC32>..</ChecksumCRC32> and its siblings, algorithm name -> value. The map is ordered
// by name, which is S3's order too: CRC32, CRC32C, CRC64NVME, SHA1, SHA256. A name that is not
// plain letters and digits is skipped: it could not be an element name.
void AddChecksums(pugi::xml_node parent, const std::map<std::string, std::string>& checksums);

// ---- Reading ----

// pugixml does not resolve namespaces; "s3:Delete" and "Delete" name the same element for us.
std::string_view LocalName(pugi::xml_node node);

// The character data of an element (text and CDATA sections joined); nullopt when it has child
// elements, which no field of these documents allows.
std::optional<std::string> TextOf(pugi::xml_node node);

std::string_view TrimXmlSpace(std::string_view s);

// MalformedXML with S3's message and `why` in parentheses.
Error Malformed(std::string_view why);

// Parses a request body and returns its single root element, which must be named `root_name`.
// Whitespace-only text is kept when it is an element's only content, so <Key>   </Key> names the
// key of three spaces.
Result<pugi::xml_node> ParseRoot(pugi::xml_document& doc, std::string_view xml,
                                 std::string_view root_name);

// A configuration document that is a list of one repeated element (CORSConfiguration of CORSRule,
// LifecycleConfiguration of Rule): parses `xml`, checks the root, and parses each child with
// `parse_item`. Any other child element is MalformedXML.
template <typename Item, typename ParseItem>
Result<std::vector<Item>> ParseItemList(std::string_view xml, std::string_view root_name,
                                        std::string_view item_name, ParseItem parse_item) {
  pugi::xml_document doc;
  Result<pugi::xml_node> root = ParseRoot(doc, xml, root_name);
  if (!root.ok()) return root.error();
  std::vector<Item> items;
  for (pugi::xml_node child : root->children()) {
    if (child.type() != pugi::node_element) continue;
    if (LocalName(child) != item_name) {
      return Malformed("unexpected " + std::string(LocalName(child)) + " in " +
                       std::string(root_name));
    }
    Result<Item> item = parse_item(child);
    if (!item.ok()) return item.error();
    items.push_back(*std::move(item));
  }
  return items;
}

}  // namespace cairn::s3::xml_internal
