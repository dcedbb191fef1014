// SigV4 authentication of a request: the Authorization header form and the presigned query form,
// with one known key and a fixed clock (2013-05-24, the date of the S3 reference's examples).
// Input: "METHOD target" on the first line, then one "name: value" header per line.
#include <chrono>

#include "auth/request_auth.h"
#include "common/ascii.h"
#include "fuzz/fuzz_input.h"

namespace {

using cairn::fuzz::Check;

cairn::auth::SignableRequest ToRequest(std::string_view input) {
  cairn::auth::SignableRequest request;
  const size_t lf = input.find('\n');
  const std::string_view line = input.substr(0, lf);
  const size_t space = line.find(' ');
  request.method = std::string(line.substr(0, space));
  const std::string_view target =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  const size_t q = target.find('?');
  request.raw_path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request.raw_query = std::string(target.substr(q + 1));
  std::string_view rest = lf == std::string_view::npos ? std::string_view() : input.substr(lf + 1);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view header = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    // As the server hands them over: names lowercased, values without surrounding white space.
    request.headers.emplace_back(cairn::AsciiLowercase(header.substr(0, colon)),
                                 std::string(cairn::TrimOws(header.substr(colon + 1))));
  }
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cairn::auth::SignableRequest request = ToRequest(cairn::fuzz::AsText(data, size));
  const cairn::auth::SecretLookup lookup =
      [](std::string_view id) -> std::optional<std::string> {
    if (id == "AKIAIOSFODNN7EXAMPLE") return std::string("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    return std::nullopt;
  };
  // 2013-05-24T00:00:00Z
  const cairn::TimePoint now{std::chrono::seconds(1369353600)};
  auto result = cairn::auth::Authenticate(request, lookup, now);
  if (result.ok()) {
    Check(result->access_key_id == "AKIAIOSFODNN7EXAMPLE", "an unknown key authenticated");
    Check(result->signing_key.size() == 32, "a signing key that is not 32 bytes");
  }
  return 0;
}
