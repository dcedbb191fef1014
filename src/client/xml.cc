// A small recursive-descent XML reader. It is strict about what would change the meaning of a
// document (unbalanced tags, unknown entities, a missing root) and lenient about what S3 documents
// never rely on (attribute values are skipped, DOCTYPE is not interpreted).
#include "client/xml.h"

#include <cstdint>
#include <utility>

namespace cairn::client {
namespace {

constexpr int kMaxDepth = 64;

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The value of a decimal (or, when `hex`, hexadecimal) digit; -1 for anything else.
int DigitValue(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (hex && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (hex && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsNameChar(char c) {
  return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '/' && c != '>' && c != '=' &&
         c != '<';
}

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  std::optional<XmlElement> Document() {
    if (in_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    if (!SkipMisc()) return std::nullopt;
    XmlElement root;
    if (!Element(root, 0)) return std::nullopt;
    if (!SkipMisc() || pos_ != in_.size()) return std::nullopt;
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= in_.size(); }
  bool Consume(std::string_view s) {
    if (in_.substr(pos_).starts_with(s)) {
      pos_ += s.size();
      return true;
    }
    return false;
  }
  bool SkipPast(std::string_view terminator) {
    size_t at = in_.find(terminator, pos_);
    if (at == std::string_view::npos) return false;
    pos_ = at + terminator.size();
    return true;
  }
  void SkipSpace() {
    while (!AtEnd() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\r' || in_[pos_] == '\n')) {
      ++pos_;
    }
  }

  // White space, comments, processing instructions and DOCTYPE around the root element.
  bool SkipMisc() {
    for (;;) {
      SkipSpace();
      if (Consume("<?")) {
        if (!SkipPast("?>")) return false;
      } else if (Consume("<!--")) {
        if (!SkipPast("-->")) return false;
      } else if (Consume("<!")) {
        if (!SkipPast(">")) return false;
      } else {
        return true;
      }
    }
  }

  std::optional<std::string> Name() {
    size_t start = pos_;
    while (!AtEnd() && IsNameChar(in_[pos_])) ++pos_;
    if (pos_ == start) return std::nullopt;
    return std::string(in_.substr(start, pos_ - start));
  }

  static std::string LocalName(const std::string& qualified) {
    size_t colon = qualified.find(':');
    return colon == std::string::npos ? qualified : qualified.substr(colon + 1);
  }

  // After '<': the name, attributes, then either "/>" or ">" content "</name>".
  bool Element(XmlElement& out, int depth) {
    if (depth > kMaxDepth || !Consume("<")) return false;
    std::optional<std::string> name = Name();
    if (!name) return false;
    out.name = LocalName(*name);
    for (;;) {  // attributes: name="value" or name='value', values ignored
      SkipSpace();
      if (Consume("/>")) return true;
      if (Consume(">")) break;
      if (!Name()) return false;
      SkipSpace();
      if (!Consume("=")) return false;
      SkipSpace();
      if (AtEnd() || (in_[pos_] != '"' && in_[pos_] != '\'')) return false;
      const char quote = in_[pos_++];
      size_t end = in_.find(quote, pos_);
      if (end == std::string_view::npos) return false;
      pos_ = end + 1;
    }
    for (;;) {  // content
      if (AtEnd()) return false;
      if (Consume("</")) {
        std::optional<std::string> closing = Name();
        SkipSpace();
        return closing == name && Consume(">");
      }
      if (Consume("<!--")) {
        if (!SkipPast("-->")) return false;
      } else if (Consume("<![CDATA[")) {
        size_t end = in_.find("]]>", pos_);
        if (end == std::string_view::npos) return false;
        out.text.append(in_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (Consume("<?")) {
        if (!SkipPast("?>")) return false;
      } else if (in_[pos_] == '<') {
        out.children.emplace_back();
        if (!Element(out.children.back(), depth + 1)) return false;
      } else if (in_[pos_] == '&') {
        if (!Entity(out.text)) return false;
      } else {
        out.text += in_[pos_++];
      }
    }
  }

  // After '&': a predefined entity or a character reference, up to its ';'.
  bool Entity(std::string& out) {
    static constexpr std::pair<std::string_view, char> kPredefined[] = {
        {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    size_t semicolon = in_.find(';', pos_);
    if (semicolon == std::string_view::npos || semicolon - pos_ > 12) return false;
    std::string_view entity = in_.substr(pos_ + 1, semicolon - pos_ - 1);
    pos_ = semicolon + 1;
    for (const auto& [name, c] : kPredefined) {
      if (entity == name) {
        out += c;
        return true;
      }
    }
    if (entity.size() < 2 || entity[0] != '#') return false;
    const bool hex = entity[1] == 'x' || entity[1] == 'X';
    const std::string_view digits = entity.substr(hex ? 2 : 1);
    if (digits.empty()) return false;
    uint32_t cp = 0;
    for (char c : digits) {
      const int v = DigitValue(c, hex);
      if (v < 0) return false;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      if (cp > 0x10FFFF) return false;
    }
    AppendUtf8(out, cp);
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& child : children) {
    if (child.name == child_name) return &child;
  }
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* child = Child(child_name);
  return child ? child->text : std::string();
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const XmlElement& child : children) {
    if (child.name == child_name) out.push_back(&child);
  }
  return out;
}

std::optional<XmlElement> ParseXml(std::string_view document) {
  return Parser(document).Document();
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;  // kept: XML would otherwise normalise it to \n
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace cairn::client
