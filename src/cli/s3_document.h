// A mechanical mapping between S3's bucket configuration XML and the AWS CLI's JSON for the same
// document, as `aws s3api put-bucket-lifecycle-configuration --lifecycle-configuration file://...`
// takes it: an element becomes a key, an element that repeats becomes a list under its plural name
// (<Rule> ... <Rule> <-> "Rules": [...]), and a few elements are numbers or booleans. Both bucket
// configuration documents the command line handles (lifecycle, CORS) are described by a
// DocumentSchema; the mapping itself knows nothing of either. Whatever part of a document the
// server does not support is passed on, so that the server, not the command line, says so.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/output.h"  // Json: ordered, so the XML we send keeps the order of the user's file

namespace cairn::cli {

struct DocumentSchema {
  std::string_view root;                                             // "LifecycleConfiguration"
  std::vector<std::pair<std::string_view, std::string_view>> lists;  // {"Rules", "Rule"}, ...
  std::vector<std::string_view> integers;    // elements shown as JSON numbers
  std::vector<std::string_view> booleans;    // elements shown as JSON true/false
  std::vector<std::string_view> containers;  // elements that hold elements: empty, they are {}
};

// True when the first character that is not white space is '<'.
bool LooksLikeXml(std::string_view text);

// Parses JSON text; throws a usage error naming `what` when it is not JSON.
Json ParseJsonDocument(std::string_view text, std::string_view what);

// The XML document for AWS CLI JSON (an object such as {"Rules": [...]}); throws a usage error
// naming `what` for a shape the mapping cannot express (a list under a name it does not know, a
// null, a list of lists).
std::string JsonToXml(const Json& document, const DocumentSchema& schema, std::string_view what);

// Checks that `xml` is well-formed and has the schema's root element; returns it unchanged.
std::string CheckXml(std::string_view xml, const DocumentSchema& schema, std::string_view what);

// The AWS CLI JSON for a document the server returned.
Json XmlToJson(std::string_view xml, const DocumentSchema& schema);

}  // namespace cairn::cli
