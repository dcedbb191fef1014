// SigV4 on the request path: what the server spends verifying one header-signed request
// (auth::Authenticate: canonical request, string to sign, key derivation, HMAC, constant-time
// compare) and what a client spends signing it. Both run once per request, whatever its size, so
// they bound the small-object request rate one core can authenticate.
#include <benchmark/benchmark.h>

#include "auth/fixed_credentials.h"
#include "auth/request_auth.h"
#include "client/signer.h"
#include "common/time_format.h"

namespace cairn {
namespace {

constexpr char kKeyId[] = "AKIDBENCHMARK";
constexpr char kSecret[] = "benchmark-secret-access-key-0123456789";

// A PUT as the AWS SDKs send it: host, content type, a checksum header, UNSIGNED-PAYLOAD.
auth::SignableRequest SignedPut(TimePoint now) {
  auth::SignableRequest request{"PUT", "/photos/2024/holiday/IMG_0042.jpg", "", {}};
  request.headers = {{"host", "127.0.0.1:9000"},
                     {"content-type", "image/jpeg"},
                     {"x-amz-checksum-crc32c", "yZRlqg=="},
                     {"x-amz-sdk-checksum-algorithm", "CRC32C"}};
  client::Credentials credentials{kKeyId, kSecret, "auto", "s3"};
  client::SignRequest(request, credentials, FormatAmzDate(now), client::kUnsignedPayload);
  return request;
}

void BM_AuthenticateHeader(benchmark::State& state) {
  const TimePoint now = NowMillis();
  const auth::SignableRequest request = SignedPut(now);
  const auth::CredentialLookup lookup = auth::FixedCredentials({{kKeyId, kSecret}});
  for (auto _ : state) {
    Result<auth::AuthContext> context = auth::Authenticate(request, lookup, now);
    if (!context.ok()) state.SkipWithError("the signature did not verify");
    benchmark::DoNotOptimize(context);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuthenticateHeader);

void BM_SignRequest(benchmark::State& state) {
  const std::string amz_date = FormatAmzDate(NowMillis());
  client::Credentials credentials{kKeyId, kSecret, "auto", "s3"};
  for (auto _ : state) {
    auth::SignableRequest request{"GET", "/photos/2024/holiday/IMG_0042.jpg", "", {}};
    request.headers = {{"host", "127.0.0.1:9000"}};
    client::SignRequest(request, credentials, amz_date, client::kEmptyPayloadSha256);
    benchmark::DoNotOptimize(request);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SignRequest);

}  // namespace
}  // namespace cairn
