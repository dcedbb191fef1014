#include "core/multipart_completion.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "common/ascii.h"
#include "common/encoding.h"
#include "core/integrity_checker.h"

namespace cairn::core {
namespace {

// At most a week of completions is remembered: S3 forgets a completed upload within hours to a
// day (an Abort of it answers 204 at first, NoSuchUpload later: minio/minio#2250,
// beyondstorage/go-storage#963), and R2's default abort of incomplete uploads is 7 days.
constexpr auto kLongestRetention = std::chrono::days(kDefaultAbortDays);

// The checksum part of a COMPOSITE value ("<base64>-<N>"); a FULL_OBJECT value as it is.
std::string_view WithoutPartCount(std::string_view value) {
  const size_t dash = value.rfind('-');
  return dash == std::string_view::npos ? value : value.substr(0, dash);
}

}  // namespace

Status CheckExpectedChecksum(const ExpectedChecksum& expected, std::string_view upload_algorithm,
                             const std::map<std::string, std::string>& object_checksums) {
  const std::string name(ChecksumAlgorithmName(expected.algorithm));
  if (upload_algorithm != name) {
    // S3's words for a part sent with another algorithm than the upload's (UploadPart says the
    // same in multipart_service.cc).
    return Status(
        ErrorCode::kInvalidRequest,
        "Checksum Type mismatch occurred, expected checksum Type: " +
            (upload_algorithm.empty() ? std::string("null") : AsciiLowercase(upload_algorithm)) +
            ", actual checksum Type: " + AsciiLowercase(name));
  }
  const std::string_view sent_checksum = WithoutPartCount(expected.value);
  if (Status s = CheckChecksumValue(expected.algorithm, sent_checksum); !s.ok()) return s;
  const auto combined = object_checksums.find(name);
  const std::string combined_value = combined == object_checksums.end() ? "" : combined->second;
  const bool matches =
      expected.value == combined_value ||
      (sent_checksum == expected.value && sent_checksum == WithoutPartCount(combined_value));
  if (matches) return Status::Ok();
  return Status(ErrorCode::kBadDigest, "The " + name +
                                           " you specified did not match the calculated checksum: "
                                           "x-amz-checksum-" +
                                           AsciiLowercase(name) + " expects " + expected.value +
                                           ", the parts combine to " + combined_value + ".");
}

std::string PartListDigest(const std::vector<RequestedPart>& requested) {
  std::unique_ptr<Hasher> hasher = MakeSha256Hasher();
  for (const RequestedPart& part : requested) {
    // With or without its quotes, in either case, an ETag names the same part.
    std::string etag = AsciiLowercase(TrimOws(part.etag));
    std::erase(etag, '"');
    hasher->Update(std::to_string(part.part_number) + " " + etag + "\n");
  }
  return HexEncode(hasher->Finish());
}

TimePoint CompletionKeptUntil(const LifecycleConfiguration* config, std::string_view key,
                              TimePoint completed) {
  // An upload's abort date is its initiation plus the rule's days; counted from the completion
  // instead, the record outlives the upload's own abort date, and the lifecycle sweeper deletes
  // it once that passes.
  const TimePoint abort_at = AbortScheduleFor(config, key, completed).abort_at;
  return std::min(abort_at, completed + std::chrono::duration_cast<std::chrono::milliseconds>(
                                            kLongestRetention));
}

}  // namespace cairn::core
