// SigV4's building blocks, written once for both directions: the server recomputes what the client
// signed, and cairn's client signs with the same functions, so the two cannot drift apart.
// The rules follow "Create a canonical request for Signature Version 4" (IAM user guide) and, for
// the S3 differences, "Signature Calculations for the Authorization Header" (S3 API reference).
#include "auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <optional>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::auth {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Decodes %XX escapes; a malformed escape leaves the text as it is. The HTTP layer rejects such
// targets before authentication, and keeping these functions total means a bad escape can only
// make the signature differ, never crash or skip a parameter.
std::string DecodeLenient(std::string_view text) {
  std::optional<std::string> decoded = UrlDecode(text, /*plus_is_space=*/false);
  return decoded ? std::move(*decoded) : std::string(text);
}

// RFC 3986 dot-segment removal plus the collapsing of empty segments that the generic SigV4 test
// suite expects ("//example//" -> "/example/"). A final "." or ".." leaves a trailing slash, as
// RFC 3986 does ("/a/b/.." -> "/a/").
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  bool trailing_slash = !path.empty() && path.back() == '/';
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(pos, end - pos);
    bool last = end == path.size();
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      if (last) trailing_slash = true;
    } else if (segment == ".") {
      if (last) trailing_slash = true;
    } else if (!segment.empty()) {
      segments.push_back(segment);
    }
    pos = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (trailing_slash && !segments.empty()) out.push_back('/');
  return out;
}

// Trims the value and folds each inner run of whitespace to one space ("a   b" -> "a b").
void AppendHeaderValue(std::string_view value, std::string* out) {
  size_t begin = 0, end = value.size();
  while (begin < end && IsSpace(value[begin])) ++begin;
  while (end > begin && IsSpace(value[end - 1])) --end;
  bool in_space = false;
  for (size_t i = begin; i < end; ++i) {
    if (IsSpace(value[i])) {
      in_space = true;
      continue;
    }
    if (in_space) out->push_back(' ');
    in_space = false;
    out->push_back(value[i]);
  }
}

}  // namespace

std::string CredentialScope::ToString() const {
  return date + "/" + region + "/" + service + "/aws4_request";
}

std::string CanonicalUri(std::string_view raw_path, bool normalize_path) {
  // S3 signs the key as the client meant it: decoding first makes "/a%20b" and a client that
  // encodes differently ("/a b" from a lenient HTTP stack) agree, and re-encoding once gives
  // the form every SDK signs.
  std::string path = DecodeLenient(raw_path);
  if (normalize_path) path = NormalizePath(path);
  if (path.empty()) path = "/";
  return UriEncode(path, /*keep_slash=*/true);
}

std::string CanonicalQueryString(std::string_view raw_query, std::string_view exclude) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t pos = 0;
  while (pos <= raw_query.size()) {
    size_t end = raw_query.find('&', pos);
    if (end == std::string_view::npos) end = raw_query.size();
    std::string_view piece = raw_query.substr(pos, end - pos);
    pos = end + 1;
    if (piece.empty()) continue;  // "a=1&&b=2" or a trailing '&'
    size_t eq = piece.find('=');
    std::string name = DecodeLenient(piece.substr(0, eq));
    // A parameter without '=' ("?uploads") is signed with an empty value ("uploads=").
    std::string value = eq == std::string_view::npos ? "" : DecodeLenient(piece.substr(eq + 1));
    if (!exclude.empty() && name == exclude) continue;
    params.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

std::string CanonicalRequest(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash, bool normalize_path) {
  std::vector<std::string> names;
  names.reserve(signed_headers.size());
  for (const std::string& name : signed_headers) names.push_back(AsciiLowercase(name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  std::string out;
  out.append(request.method).append("\n");
  out.append(CanonicalUri(request.raw_path, normalize_path)).append("\n");
  out.append(CanonicalQueryString(request.raw_query)).append("\n");
  for (const std::string& name : names) {
    out.append(name).append(":");
    bool first = true;
    for (const auto& [header, value] : request.headers) {
      if (!EqualsIgnoreCase(header, name)) continue;
      if (!first) out.push_back(',');
      first = false;
      AppendHeaderValue(value, &out);
    }
    out.append("\n");
  }
  out.append("\n");
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(';');
    out.append(names[i]);
  }
  out.append("\n");
  out.append(payload_hash);
  return out;
}

std::string StringToSign(std::string_view amz_date, const CredentialScope& scope,
                         std::string_view canonical_request) {
  std::string out = "AWS4-HMAC-SHA256\n";
  out.append(amz_date).append("\n");
  out.append(scope.ToString()).append("\n");
  out.append(HexEncode(Sha256(canonical_request)));
  return out;
}

std::string SigningKey(std::string_view secret_access_key, const CredentialScope& scope) {
  // The key changes once a day per secret and region, and every request needs it: each thread
  // remembers the last few instead of running four HMACs per request.
  struct Remembered {
    std::string secret;
    std::string scope;
    std::string key;
  };
  thread_local std::array<Remembered, 4> remembered;
  thread_local size_t next = 0;
  const std::string scope_text = scope.ToString();
  for (const Remembered& r : remembered) {
    if (!r.key.empty() && r.scope == scope_text && r.secret == secret_access_key) return r.key;
  }
  std::string key = HmacSha256("AWS4" + std::string(secret_access_key), scope.date);
  key = HmacSha256(key, scope.region);
  key = HmacSha256(key, scope.service);
  key = HmacSha256(key, "aws4_request");
  remembered[next++ % remembered.size()] =
      Remembered{std::string(secret_access_key), scope_text, key};
  return key;
}

std::string Signature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexEncode(HmacSha256(signing_key, string_to_sign));
}

bool SignaturesEqual(std::string_view a, std::string_view b) {
  // The length of a signature is public (always 64 hex digits); only the contents must not leak
  // through timing.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cairn::auth
