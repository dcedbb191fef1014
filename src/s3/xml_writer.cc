// The shared pugixml helpers of the S3 XML documents (see xml_writer.h). Moved out of xml.cc
// unchanged when the multipart and lifecycle documents arrived, so that every document is
// written and read the same way.
#include "s3/xml_writer.h"

#include <algorithm>
#include <charconv>

#include "common/utf8.h"

namespace cairn::s3::xml_internal {
namespace {

constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string* out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_->append(static_cast<const char*>(data), size);
  }

 private:
  std::string* out_;
};

// XML 1.0 section 2.2's Char: what a character reference may name. pugixml writes any number as
// UTF-8, a surrogate or NUL included, which would reach keys and error messages as invalid text.
bool IsXmlChar(uint32_t c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  return (c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// pugixml keeps an unknown "&name;" or a bare "&" as literal text, where an XML parser must stop
// (XML 1.0 section 4.1). Checking the raw body first keeps "not well-formed" answered with
// MalformedXML, as S3 does. CDATA sections and comments are skipped: "&" is literal there.
bool ReferencesAreWellFormed(std::string_view xml) {
  size_t i = 0;
  while ((i = xml.find_first_of("<&", i)) != std::string_view::npos) {
    const std::string_view rest = xml.substr(i);
    if (rest.starts_with("<![CDATA[") || rest.starts_with("<!--")) {
      const std::string_view close = rest[2] == '[' ? "]]>" : "-->";
      const size_t end = xml.find(close, i);
      if (end == std::string_view::npos) return false;
      i = end + close.size();
      continue;
    }
    if (rest[0] == '<') {
      ++i;
      continue;
    }
    const size_t semi = rest.find(';');
    if (semi == std::string_view::npos) return false;
    const std::string_view name = rest.substr(1, semi - 1);
    bool ok = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
    if (!ok && name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      uint32_t code = 0;
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      ok = !digits.empty() && ec == std::errc() && end == digits.data() + digits.size() &&
           IsXmlChar(code);
    }
    if (!ok) return false;
    i += semi + 1;
  }
  return true;
}

}  // namespace

// ---- Writing ----

Document::Document(const char* root_name, bool s3_namespace) {
  root_ = doc_.append_child(root_name);
  if (s3_namespace) {
    root_.append_attribute("xmlns").set_value(kS3Namespace.data(), kS3Namespace.size());
  }
}

std::string Document::Finish() const {
  std::string out(kDeclaration);
  StringWriter writer(&out);
  doc_.save(writer, "",
            pugi::format_raw | pugi::format_no_declaration | pugi::format_no_empty_element_tags,
            pugi::encoding_utf8);
  return out;
}

pugi::xml_node Add(pugi::xml_node parent, const char* name, std::string_view value) {
  pugi::xml_node node = parent.append_child(name);
  node.text().set(value.data(), value.size());
  return node;
}

pugi::xml_node Add(pugi::xml_node parent, const char* name, uint64_t value) {
  return Add(parent, name, std::to_string(value));
}

void AddBool(pugi::xml_node parent, const char* name, bool value) {
  Add(parent, name, value ? "true" : "false");
}

std::string XmlSafeText(std::string_view text) {
  // XML 1.0 cannot carry C0 controls but tab, LF and CR, nor (in a useful way) DEL.
  return EscapeBytes(text, [](uint32_t c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
  });
}

std::string QuotedEtag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

void AddOwner(pugi::xml_node parent, const Owner& owner, const char* element) {
  pugi::xml_node node = parent.append_child(element);
  Add(node, "ID", owner.id);
  Add(node, "DisplayName", owner.display_name);
}

void AddChecksums(pugi::xml_node parent, const std::map<std::string, std::string>& checksums) {
  auto element_safe = [](std::string_view name) {
    if (name.empty()) return false;
    for (char c : name) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  };
  for (const auto& [algorithm, value] : checksums) {
    if (element_safe(algorithm)) Add(parent, ("Checksum" + algorithm).c_str(), value);
  }
}

// ---- Reading ----

std::string_view LocalName(pugi::xml_node node) {
  std::string_view name = node.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::optional<std::string> TextOf(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    } else if (child.type() == pugi::node_element) {
      return std::nullopt;
    }
  }
  return out;
}

std::string_view TrimXmlSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

Error Malformed(std::string_view why) {
  return Error(
      ErrorCode::kMalformedXML,
      std::string(LookupError(ErrorCode::kMalformedXML).message) + " (" + std::string(why) + ")");
}

Result<pugi::xml_node> ParseRoot(pugi::xml_document& doc, std::string_view xml,
                                 std::string_view root_name) {
  // Every document cairn reads is UTF-8 (S3 takes no other encoding); a byte that is not must
  // not reach a key, a stored configuration or an error message that echoes the document.
  if (!IsValidUtf8(xml)) return Malformed("the document is not valid UTF-8");
  if (std::any_of(xml.begin(), xml.end(),
                  [](char c) { return !IsXmlChar(static_cast<unsigned char>(c)); })) {
    return Malformed("the document has a control character");
  }
  const unsigned int flags = pugi::parse_default | pugi::parse_ws_pcdata_single;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), flags);
  if (!parsed) return Malformed(parsed.description());
  if (!ReferencesAreWellFormed(xml)) return Malformed("an unknown entity or a bare '&'");
  pugi::xml_node root;
  for (pugi::xml_node child : doc.children()) {
    if (child.type() == pugi::node_element) {
      if (root) return Malformed("more than one root element");
      root = child;
    } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      if (!TrimXmlSpace(child.value()).empty()) return Malformed("text outside the root element");
    }
  }
  if (!root) return Malformed("no root element");
  if (LocalName(root) != root_name) {
    return Malformed("the root element must be " + std::string(root_name));
  }
  return root;
}

}  // namespace cairn::s3::xml_internal
