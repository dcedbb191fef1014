// Client-side SigV4. The canonical request, string to sign and key derivation are the server's
// own (auth/sigv4.h), so a request the client signs is checked by the very code that built it;
// what is added here is the choice of signed headers and the two places a signature goes.
#include "client/signer.h"

#include <algorithm>
#include <array>

#include "common/encoding.h"

namespace cairn::client {
namespace {

constexpr std::array<std::string_view, 6> kUnsignedHeaders = {
    "authorization", "connection", "content-length", "expect", "transfer-encoding", "user-agent"};

auth::CredentialScope ScopeOf(const Credentials& credentials, std::string_view amz_date) {
  return auth::CredentialScope{std::string(amz_date.substr(0, 8)), credentials.region,
                               credentials.service};
}

std::string Join(const std::vector<std::string>& names, char separator) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += separator;
    out += name;
  }
  return out;
}

std::string SignatureOf(const auth::SignableRequest& request,
                        const std::vector<std::string>& signed_headers,
                        const Credentials& credentials, std::string_view amz_date,
                        std::string_view payload_hash, bool normalize_path) {
  const auth::CredentialScope scope = ScopeOf(credentials, amz_date);
  const std::string canonical =
      auth::CanonicalRequest(request, signed_headers, payload_hash, normalize_path);
  return auth::Signature(auth::SigningKey(credentials.secret_access_key, scope),
                         auth::StringToSign(amz_date, scope, canonical));
}

}  // namespace

std::vector<std::string> SignedHeaderNames(const auth::SignableRequest& request) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers) {
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), name) !=
        kUnsignedHeaders.end()) {
      continue;
    }
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string AuthorizationValue(const auth::SignableRequest& request, const Credentials& credentials,
                               std::string_view amz_date, std::string_view payload_hash,
                               bool normalize_path) {
  const std::vector<std::string> names = SignedHeaderNames(request);
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
         ScopeOf(credentials, amz_date).ToString() + ", SignedHeaders=" + Join(names, ';') +
         ", Signature=" +
         SignatureOf(request, names, credentials, amz_date, payload_hash, normalize_path);
}

void SignRequest(auth::SignableRequest& request, const Credentials& credentials,
                 std::string_view amz_date, std::string_view payload_hash) {
  request.headers.emplace_back("x-amz-date", std::string(amz_date));
  request.headers.emplace_back("x-amz-content-sha256", std::string(payload_hash));
  if (!credentials.session_token.empty()) {
    request.headers.emplace_back("x-amz-security-token", credentials.session_token);
  }
  std::string authorization = AuthorizationValue(request, credentials, amz_date, payload_hash);
  request.headers.emplace_back("authorization", std::move(authorization));
}

std::string PresignQuery(const auth::SignableRequest& request, const Credentials& credentials,
                         std::string_view amz_date, std::chrono::seconds expires) {
  const std::vector<std::string> names = SignedHeaderNames(request);
  auth::SignableRequest signable = request;
  std::string& query = signable.raw_query;
  auto add = [&query](std::string_view name, std::string_view value) {
    if (!query.empty()) query += '&';
    query += std::string(name) + "=" + UriEncode(value, /*keep_slash=*/false);
  };
  add("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  add("X-Amz-Credential",
      credentials.access_key_id + "/" + ScopeOf(credentials, amz_date).ToString());
  add("X-Amz-Date", amz_date);
  add("X-Amz-Expires", std::to_string(expires.count()));
  add("X-Amz-SignedHeaders", Join(names, ';'));
  if (!credentials.session_token.empty()) add("X-Amz-Security-Token", credentials.session_token);
  add("X-Amz-Signature", SignatureOf(signable, names, credentials, amz_date, kUnsignedPayload,
                                     /*normalize_path=*/false));
  return query;
}

}  // namespace cairn::client
