// The framing follows RFC 2046 section 5.1.1: the body is a preamble, then parts each introduced
// by "--boundary" at the start of a line (the CRLF before it belongs to the delimiter, not to the
// previous part), transport padding and CRLF, the part's header lines and an empty line; the
// close delimiter "--boundary--" ends the parts and an epilogue may follow. Part headers are
// RFC 7578 section 4: Content-Disposition: form-data; name="..."[; filename="..."].
#include "s3/form_data.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/utf8.h"

namespace cairn::s3 {
namespace {

constexpr size_t kMaxBoundaryLength = 70;  // RFC 2046 section 5.1.1
constexpr size_t kMaxTransportPadding = 256;

Error Malformed(std::string_view why) {
  return Error(ErrorCode::kMalformedPOSTRequest,
               "The body of your POST request is not well-formed multipart/form-data: " +
                   std::string(why) + ".");
}

// A header value of the shape `type; name=value; name="quoted value"` (Content-Type and
// Content-Disposition). Parameter names are lowercased; values are unquoted.
struct ParameterizedValue {
  std::string type;  // lowercase
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string_view> Param(std::string_view lowercase_name) const {
    for (const auto& [name, value] : params) {
      if (name == lowercase_name) return std::string_view(value);
    }
    return std::nullopt;
  }
};

// Reads a quoted-string starting at text[*i] == '"'. `\"` and `\\` are escapes (RFC 7230
// quoted-pair); any other backslash is kept, because browsers send Windows paths and names with
// backslashes unescaped (the HTML standard percent-encodes only '"', CR and LF).
std::optional<std::string> ReadQuoted(std::string_view text, size_t* i) {
  std::string out;
  for (size_t j = *i + 1; j < text.size(); ++j) {
    const char c = text[j];
    if (c == '"') {
      *i = j + 1;
      return out;
    }
    if (c == '\\' && j + 1 < text.size() && (text[j + 1] == '"' || text[j + 1] == '\\')) {
      out.push_back(text[++j]);
    } else {
      out.push_back(c);
    }
  }
  return std::nullopt;  // unterminated
}

std::optional<ParameterizedValue> ParseParameterized(std::string_view value) {
  ParameterizedValue out;
  size_t i = value.find(';');
  out.type = AsciiLowercase(TrimOws(value.substr(0, i)));
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    if (i >= value.size()) break;
    if (value[i] == ';') continue;
    const size_t eq = value.find_first_of("=;", i);
    std::string name = AsciiLowercase(TrimOws(value.substr(i, eq - i)));
    std::string param_value;
    if (eq == std::string_view::npos || value[eq] == ';') {
      i = eq;  // a parameter without a value: kept with an empty one
    } else {
      i = eq + 1;
      while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
      if (i < value.size() && value[i] == '"') {
        auto quoted = ReadQuoted(value, &i);
        if (!quoted) return std::nullopt;
        param_value = std::move(*quoted);
        i = value.find(';', i);
      } else {
        const size_t end = value.find(';', i);
        param_value = std::string(TrimOws(value.substr(i, end - i)));
        i = end;
      }
    }
    if (!name.empty()) out.params.emplace_back(std::move(name), std::move(param_value));
  }
  return out;
}

// RFC 5987 ext-value: charset'language'percent-encoded. Only UTF-8 is decoded (what browsers and
// curl produce); nullopt otherwise, and the plain `filename` is used instead.
std::optional<std::string> DecodeExtValue(std::string_view ext) {
  const size_t q1 = ext.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  const size_t q2 = ext.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  const std::string_view charset = ext.substr(0, q1);
  if (!EqualsIgnoreCase(charset, "UTF-8") && !EqualsIgnoreCase(charset, "UTF8")) {
    return std::nullopt;
  }
  auto decoded = UrlDecode(ext.substr(q2 + 1));
  if (!decoded || !IsValidUtf8(*decoded)) return std::nullopt;
  return decoded;
}

bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 32 && u < 127 && c != ':';
}

// The header lines of a part (without the empty line that ends them) into `part`.
Status ParsePartHeaders(std::string_view block, FormPart* part) {
  *part = FormPart();
  size_t pos = 0;
  while (pos < block.size()) {
    size_t end = block.find("\r\n", pos);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) return Malformed("a part's headers contain an empty line");
    if (line.find_first_of("\r\n") != std::string_view::npos) {
      return Malformed("a part's header line ends without CRLF");
    }
    if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding (RFC 7230 3.2.4)
      if (part->headers.empty()) return Malformed("a part's headers start with a folded line");
      std::string& value = part->headers.back().second;
      value += ' ';
      value += TrimOws(line);
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 ||
        !std::all_of(line.begin(), line.begin() + colon, IsTokenChar)) {
      return Malformed("a part has a header line that is not \"Name: value\"");
    }
    part->headers.emplace_back(AsciiLowercase(line.substr(0, colon)),
                               std::string(TrimOws(line.substr(colon + 1))));
  }

  const std::string* disposition = nullptr;
  for (const auto& [name, value] : part->headers) {
    if (name == "content-disposition" && !disposition) disposition = &value;
    if (name == "content-type" && part->content_type.empty()) part->content_type = value;
  }
  if (!disposition) return Malformed("a part has no Content-Disposition header");
  auto parsed = ParseParameterized(*disposition);
  if (!parsed) return Malformed("a part's Content-Disposition has an unterminated quoted string");
  if (parsed->type != "form-data")
    return Malformed("a part's Content-Disposition is not form-data");
  auto name = parsed->Param("name");
  if (!name) return Malformed("a part's Content-Disposition has no name");
  part->name = std::string(*name);
  if (auto ext = parsed->Param("filename*")) part->filename = DecodeExtValue(*ext);
  if (!part->filename) {
    if (auto filename = parsed->Param("filename")) part->filename = std::string(*filename);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> FormDataBoundary(std::string_view content_type) {
  if (AsciiLowercase(TrimOws(content_type.substr(0, content_type.find(';')))) !=
      "multipart/form-data") {
    return Error(ErrorCode::kPreconditionFailed,
                 "Bucket POST must be of the enclosure-type multipart/form-data.");
  }
  auto parsed = ParseParameterized(content_type);
  std::optional<std::string_view> boundary;
  if (parsed) boundary = parsed->Param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength ||
      boundary->back() == ' ' || boundary->find_first_of("\r\n") != std::string_view::npos) {
    return Malformed("the Content-Type has no valid boundary parameter");
  }
  return std::string(*boundary);
}

FormDataParser::FormDataParser(std::string boundary) : delimiter_("\r\n--" + boundary) {}

size_t FormDataParser::HoldBackFrom(std::string_view input) const {
  const size_t longest = delimiter_.size() - 1;  // a whole delimiter would have been found
  const size_t start = input.size() > longest ? input.size() - longest : 0;
  for (size_t pos = input.find('\r', start); pos != std::string_view::npos;
       pos = input.find('\r', pos + 1)) {
    if (std::string_view(delimiter_).starts_with(input.substr(pos))) return pos;
  }
  return input.size();
}

Result<FormDataParser::Event> FormDataParser::AfterBoundary(std::string_view input,
                                                            size_t* consumed) {
  size_t i = 0;
  while (i < input.size() && (input[i] == ' ' || input[i] == '\t')) ++i;
  padding_ += i;
  if (padding_ > kMaxTransportPadding) return Malformed("a boundary line is too long");
  *consumed = i;
  input.remove_prefix(i);
  if (input.size() < 2) {
    if (!input.empty() && input[0] != '-' && input[0] != '\r') {
      return Malformed("a boundary is followed by neither CRLF nor \"--\"");
    }
    return Event();
  }
  if (input.starts_with("--") && padding_ == 0) {
    *consumed += 2;
    state_ = State::kDone;
    return Event{EventKind::kEnd, {}};
  }
  if (!input.starts_with("\r\n"))
    return Malformed("a boundary is followed by neither CRLF nor \"--\"");
  *consumed += 2;
  state_ = State::kHeaders;
  return Event();
}

Result<FormDataParser::Event> FormDataParser::Headers(std::string_view input, size_t* consumed) {
  std::string_view block;
  if (input.starts_with("\r\n")) {
    *consumed = 2;  // an empty header section
  } else if (size_t end = input.find("\r\n\r\n"); end != std::string_view::npos) {
    if (end > kMaxPartHeaderBytes) return Malformed("a part's headers are too large");
    block = input.substr(0, end);
    *consumed = end + 4;
  } else {
    if (input.size() > kMaxPartHeaderBytes) return Malformed("a part's headers are too large");
    return Event();
  }
  if (Status s = ParsePartHeaders(block, &part_); !s.ok()) return s.error();
  state_ = State::kBody;
  return Event{EventKind::kPartStart, {}};
}

FormDataParser::Event FormDataParser::Body(std::string_view input, size_t* consumed) {
  const size_t found = input.find(delimiter_);
  if (found == 0) {
    *consumed = delimiter_.size();
    state_ = State::kAfterBoundary;
    padding_ = 0;
    return Event{EventKind::kPartEnd, {}};
  }
  const size_t safe = found != std::string_view::npos ? found : HoldBackFrom(input);
  *consumed = safe;
  if (safe == 0) return Event();
  return Event{EventKind::kPartData, input.substr(0, safe)};
}

Result<FormDataParser::Event> FormDataParser::Next(std::string_view input, size_t* consumed) {
  *consumed = 0;
  // A step that changes state without producing an event consumes bytes and returns kNeedInput;
  // parsing then goes on with the rest. kNeedInput with nothing consumed really needs input.
  for (;;) {
    const std::string_view rest = input.substr(*consumed);
    size_t used = 0;
    Result<Event> event = Event();
    switch (state_) {
      case State::kStart: {
        // The first boundary may open the body without a CRLF before it.
        const std::string_view first = std::string_view(delimiter_).substr(2);
        const size_t n = std::min(rest.size(), first.size());
        if (rest.substr(0, n) != first.substr(0, n)) {
          state_ = State::kPreamble;
          continue;
        }
        if (n == first.size()) {
          used = n;
          state_ = State::kAfterBoundary;
          padding_ = 0;
        }
        break;
      }
      case State::kPreamble: {
        const size_t found = rest.find(delimiter_);
        if (found != std::string_view::npos) {
          used = found + delimiter_.size();
          state_ = State::kAfterBoundary;
          padding_ = 0;
        } else {
          used = HoldBackFrom(rest);  // the preamble is discarded
        }
        break;
      }
      case State::kAfterBoundary:
        event = AfterBoundary(rest, &used);
        break;
      case State::kHeaders:
        event = Headers(rest, &used);
        break;
      case State::kBody:
        event = Body(rest, &used);
        break;
      case State::kDone:
        used = rest.size();
        break;  // the epilogue
    }
    if (!event.ok()) return event.error();
    *consumed += used;
    if (event->kind != EventKind::kNeedInput || used == 0) return event;
  }
}

Status FormDataParser::Finish() const {
  if (state_ == State::kDone) return Status::Ok();
  return Malformed("the body ends before the closing boundary");
}

}  // namespace cairn::s3
