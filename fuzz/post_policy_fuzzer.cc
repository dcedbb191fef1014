// A browser POST form's policy: the JSON document (base64-encoded by the harness, as a browser
// form carries it), checked against the form's fields at a fixed time, and the form's signature
// fields as AuthenticatePostPolicy reads them. Input: "name: value" field lines, an empty line,
// then the policy's JSON. A first line "base64" passes the policy as it is instead (to reach the
// base64 and white-space handling).
#include <chrono>

#include "auth/fixed_credentials.h"
#include "auth/request_auth.h"
#include "common/ascii.h"
#include "common/encoding.h"
#include "core/post_policy.h"
#include "fuzz/fuzz_input.h"

namespace {

using cairn::fuzz::Check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = cairn::fuzz::AsText(data, size);
  bool raw_policy = false;
  if (input.starts_with("base64\n")) {
    raw_policy = true;
    input.remove_prefix(7);
  }
  const size_t blank = input.find("\n\n");
  const std::string_view field_text = input.substr(0, blank);
  const std::string_view json =
      blank == std::string_view::npos ? std::string_view() : input.substr(blank + 2);
  const std::string policy = raw_policy ? std::string(json) : cairn::Base64Encode(json);

  cairn::core::FormFields fields;
  for (std::string_view line : cairn::fuzz::Fields(field_text, 32)) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    fields.emplace_back(cairn::AsciiLowercase(line.substr(0, colon)),
                        std::string(cairn::TrimOws(line.substr(colon + 1))));
  }
  auto field = [&fields](std::string_view name) -> std::optional<std::string_view> {
    for (const auto& [n, v] : fields) {
      if (n == name) return std::string_view(v);
    }
    return std::nullopt;
  };

  cairn::auth::PostPolicyForm form{field("x-amz-algorithm"),
                                   field("x-amz-credential"),
                                   field("x-amz-date"),
                                   field("x-amz-signature"),
                                   policy,
                                   field("x-amz-security-token")};
  static const cairn::auth::CredentialLookup lookup = cairn::auth::FixedCredentials(
      {{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}});
  cairn::fuzz::CheckMessage(cairn::auth::AuthenticatePostPolicy(form, lookup));

  auto parsed = cairn::core::ParsePostPolicy(policy);
  cairn::fuzz::CheckMessage(parsed);
  if (!parsed.ok()) return 0;
  // 2015-12-29T00:00:00Z, before the expiration of the S3 reference's example policy.
  const cairn::TimePoint now{std::chrono::seconds(1451347200)};
  auto range = cairn::core::CheckPostPolicy(*parsed, fields, "sigv4examplebucket", now);
  cairn::fuzz::CheckMessage(range);
  if (range.ok()) {
    (void)cairn::core::CheckContentLength(*range, 1024, true);
    Check(cairn::core::CheckContentLength(*range, range->max, false).ok(),
          "the largest size a policy allows is refused");
  }
  return 0;
}
