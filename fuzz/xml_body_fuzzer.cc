// Every XML request body cairn reads: DeleteObjects, CompleteMultipartUpload, CreateBucket's
// configuration, lifecycle and CORS configurations. Each parser gets the same bytes (the root
// element decides which one gets far). A configuration that parses must render to XML that
// parses back to the same configuration, and so must its stored form, since GET returns what PUT
// stored; the lifecycle worker's and CORS matching's use of a parsed configuration come along.
#include <chrono>
#include <cstdio>

#include "core/cors.h"
#include "core/lifecycle.h"
#include "fuzz/fuzz_input.h"
#include "s3/xml.h"

namespace {

using cairn::fuzz::Check;

// What PUT stores (JSON in the metadata store), GET renders: both must give back the same
// configuration. `decode(encode(x))` and `parse(render(x))` are compared by their rendering.
template <typename Config, typename Parse, typename Render, typename Encode, typename Decode>
void CheckRoundTrips(const Config& config, Parse parse, Render render, Encode encode,
                     Decode decode) {
  const std::string rendered = render(config);
  auto again = parse(rendered);
  if (!again.ok()) {
    std::fprintf(stderr, "rendered:\n%s\nis refused: %s\n", rendered.c_str(),
                 std::string(again.error().Message()).c_str());
    cairn::fuzz::Fail("a stored configuration does not parse back");
  }
  Check(render(*again) == rendered, "a configuration changes on its way back");
  auto stored = decode(encode(config));
  Check(stored.ok(), "a stored configuration does not decode");
  Check(render(*stored) == rendered, "a configuration changes in the metadata store");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view xml = cairn::fuzz::AsText(data, size);
  auto request = cairn::s3::ParseDeleteRequest(xml);
  cairn::fuzz::CheckMessage(request);
  if (request.ok()) {
    Check(request->keys.size() <= 1000, "DeleteObjects with more than 1000 keys");
  }
  cairn::fuzz::CheckMessage(cairn::s3::ParseCompleteMultipartUpload(xml));
  cairn::fuzz::CheckMessage(cairn::s3::ParseCreateBucketConfiguration(xml));

  auto lifecycle = cairn::s3::ParseLifecycleConfiguration(xml);
  cairn::fuzz::CheckMessage(lifecycle);
  if (lifecycle.ok()) {
    CheckRoundTrips(*lifecycle, cairn::s3::ParseLifecycleConfiguration,
                    cairn::s3::RenderLifecycleConfiguration, cairn::core::EncodeLifecycle,
                    cairn::core::DecodeLifecycle);
    // The lifecycle worker's date arithmetic, for the extreme days and dates a rule may hold.
    const cairn::TimePoint t{std::chrono::seconds(1440938160)};
    for (std::string_view key : {"", "logs/a", "tmp/x"}) {
      (void)cairn::core::ObjectActionAt(*lifecycle, key, t, "STANDARD", t);
      (void)cairn::core::AbortScheduleFor(&*lifecycle, key, t);
    }
  }
  auto cors = cairn::s3::ParseCorsConfiguration(xml);
  cairn::fuzz::CheckMessage(cors);
  if (cors.ok()) {
    CheckRoundTrips(*cors, cairn::s3::ParseCorsConfiguration, cairn::s3::RenderCorsConfiguration,
                    cairn::core::EncodeCors, cairn::core::DecodeCors);
    (void)cairn::core::MatchCors(*cors, "https://app.example.com", "PUT", "content-type, x-a");
  }
  return 0;
}
