// The JSON <-> XML mapping of s3_document.h, built on pugixml (which also escapes text).
#include "cli/s3_document.h"

#include <algorithm>
#include <pugixml.hpp>
#include <sstream>

#include "cli/errors.h"

namespace cairn::cli {
namespace {

constexpr const char* kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

bool Contains(const std::vector<std::string_view>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// "s3:Rule" -> "Rule": documents may use a namespace prefix.
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string ScalarText(const Json& value, std::string_view key, std::string_view what) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number()) {
    std::ostringstream text;
    text << value.get<double>();
    return text.str();
  }
  throw UsageError(std::string(what) + ": \"" + std::string(key) + "\" has an unusable value " +
                   value.dump());
}

void AppendMember(pugi::xml_node parent, std::string_view key, const Json& value,
                  const DocumentSchema& schema, std::string_view what);

void AppendObject(pugi::xml_node node, const Json& object, const DocumentSchema& schema,
                  std::string_view what) {
  for (const auto& [key, value] : object.items()) AppendMember(node, key, value, schema, what);
}

void AppendElement(pugi::xml_node parent, std::string_view name, const Json& value,
                   const DocumentSchema& schema, std::string_view what) {
  pugi::xml_node node = parent.append_child(std::string(name).c_str());
  if (value.is_object()) {
    AppendObject(node, value, schema, what);
  } else {
    node.text().set(ScalarText(value, name, what).c_str());
  }
}

void AppendMember(pugi::xml_node parent, std::string_view key, const Json& value,
                  const DocumentSchema& schema, std::string_view what) {
  if (!value.is_array()) {
    AppendElement(parent, key, value, schema, what);
    return;
  }
  auto list = std::find_if(schema.lists.begin(), schema.lists.end(),
                           [&](const auto& entry) { return entry.first == key; });
  if (list == schema.lists.end()) {
    throw UsageError(std::string(what) + ": \"" + std::string(key) +
                     "\" is a list, but no list of that name belongs in a " +
                     std::string(schema.root));
  }
  for (const Json& item : value) {
    if (item.is_array()) {
      throw UsageError(std::string(what) + ": \"" + std::string(key) + "\" holds a list of lists");
    }
    AppendElement(parent, list->second, item, schema, what);
  }
}

Json ElementToJson(const pugi::xml_node& node, const DocumentSchema& schema);

void AddChild(Json& object, const pugi::xml_node& child, const DocumentSchema& schema) {
  const std::string_view name = LocalName(child);
  auto list = std::find_if(schema.lists.begin(), schema.lists.end(),
                           [&](const auto& entry) { return entry.second == name; });
  if (list != schema.lists.end()) {
    Json& items = object[std::string(list->first)];
    if (!items.is_array()) items = Json::array();
    items.push_back(ElementToJson(child, schema));
  } else {
    object[std::string(name)] = ElementToJson(child, schema);
  }
}

Json ElementToJson(const pugi::xml_node& node, const DocumentSchema& schema) {
  const std::string_view name = LocalName(node);
  bool has_elements = false;
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() == pugi::node_element) has_elements = true;
  }
  if (has_elements || Contains(schema.containers, name)) {
    Json object = Json::object();
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() == pugi::node_element) AddChild(object, child, schema);
    }
    return object;
  }
  const std::string text = node.text().get();
  if (Contains(schema.integers, name)) {
    try {
      size_t used = 0;
      const long long n = std::stoll(text, &used);
      if (used == text.size()) return n;
    } catch (const std::exception&) {
      // not a number after all: shown as the server wrote it
    }
  }
  if (Contains(schema.booleans, name) && (text == "true" || text == "false")) {
    return text == "true";
  }
  return text;
}

pugi::xml_node ParseRoot(pugi::xml_document& doc, std::string_view xml,
                         const DocumentSchema& schema, std::string_view what) {
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    throw UsageError(std::string(what) + ": not well-formed XML (" + parsed.description() +
                     " at offset " + std::to_string(parsed.offset) + ")");
  }
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != schema.root) {
    throw UsageError(std::string(what) + ": the root element is <" + root.name() + ">, expected <" +
                     std::string(schema.root) + ">");
  }
  return root;
}

}  // namespace

bool LooksLikeXml(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  // A UTF-8 byte order mark may precede the declaration.
  if (first != std::string_view::npos && text.substr(first).starts_with("\xEF\xBB\xBF")) {
    return LooksLikeXml(text.substr(first + 3));
  }
  return first != std::string_view::npos && text[first] == '<';
}

Json ParseJsonDocument(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(std::string(what) + ": neither XML nor valid JSON (" + e.what() + ")");
  }
}

std::string JsonToXml(const Json& document, const DocumentSchema& schema, std::string_view what) {
  if (!document.is_object()) {
    throw UsageError(std::string(what) + ": expected a JSON object, got " +
                     std::string(document.type_name()));
  }
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child(std::string(schema.root).c_str());
  root.append_attribute("xmlns") = kS3Namespace;
  AppendObject(root, document, schema, what);
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

std::string CheckXml(std::string_view xml, const DocumentSchema& schema, std::string_view what) {
  pugi::xml_document doc;
  ParseRoot(doc, xml, schema, what);
  return std::string(xml);
}

Json XmlToJson(std::string_view xml, const DocumentSchema& schema) {
  pugi::xml_document doc;
  pugi::xml_node root = ParseRoot(doc, xml, schema, "the server's " + std::string(schema.root));
  Json object = Json::object();
  for (const pugi::xml_node& child : root.children()) {
    if (child.type() == pugi::node_element) AddChild(object, child, schema);
  }
  return object;
}

}  // namespace cairn::cli
