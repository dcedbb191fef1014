// R2's multipart rules and the arithmetic of a completed upload. The checks run in the order R2
// and S3 answer them, so a client that breaks two rules sees the same error from cairn as from R2.
// The sources: R2's "Upload objects" guide (part sizes, equal parts, ETags), the CompleteMultipart
// Upload page of the Amazon S3 API reference (errors, part order, checksums) and the S3 user
// guide's "Checking object integrity" (COMPOSITE and FULL_OBJECT checksums).
#include "core/multipart_rules.h"

#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "common/ascii.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::core {
namespace {

// R2 "Upload objects": objects up to 5 TiB. Ten thousand equal parts of 5 GiB would make 50 TiB,
// so the total is checked on its own.
constexpr uint64_t kMaxObjectSize = 5ull << 40;

// Clients send the ETag as the server returned it, in quotes, but some strip them; both name
// the same part.
std::string_view Unquoted(std::string_view etag) {
  etag = TrimOws(etag);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

std::string Bytes(uint64_t n) { return std::to_string(n) + " bytes"; }

// The big-endian bytes S3 base64-encodes for a CRC of `size` bytes (4 or 8).
std::string BigEndian(uint64_t v, size_t size) {
  std::string out(size, '\0');
  for (size_t i = size; i-- > 0; v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

uint64_t FromBigEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

// The CRC of A then B from theirs, for the algorithms that can be FULL_OBJECT.
uint64_t CombineCrc(ChecksumAlgorithm algorithm, uint64_t crc_a, uint64_t crc_b, uint64_t size_b) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return Crc32Combine(static_cast<uint32_t>(crc_a), static_cast<uint32_t>(crc_b), size_b);
    case ChecksumAlgorithm::kCrc32c:
      return Crc32cCombine(static_cast<uint32_t>(crc_a), static_cast<uint32_t>(crc_b), size_b);
    default:
      return Crc64NvmeCombine(crc_a, crc_b, size_b);
  }
}

// A part's stored checksum, decoded. A part without one cannot join a checksummed object
// (InvalidPart); a stored value that does not decode to the algorithm's length means a damaged
// record (InternalError).
Result<std::string> RawPartChecksum(const core::PartRecord& part, ChecksumAlgorithm algorithm) {
  const std::string name(ChecksumAlgorithmName(algorithm));
  auto it = part.checksums.find(name);
  if (it == part.checksums.end()) {
    return Error(ErrorCode::kInvalidPart, "Part " + std::to_string(part.part_number) +
                                              " was uploaded without a " + name + " checksum.");
  }
  std::optional<std::string> raw = Base64Decode(it->second);
  if (!raw || raw->size() != ChecksumDigestSize(algorithm)) {
    return Error(ErrorCode::kInternalError, "the stored " + name + " checksum of part " +
                                                std::to_string(part.part_number) + " is damaged");
  }
  return *std::move(raw);
}

}  // namespace

Result<std::vector<const core::PartRecord*>> SelectParts(
    const core::UploadRecord& upload, const std::vector<RequestedPart>& requested,
    const std::vector<core::PartRecord>& uploaded) {
  // S3 CompleteMultipartUpload: "You must include at least one part".
  if (requested.empty()) return Error(ErrorCode::kMalformedXML);

  for (size_t i = 1; i < requested.size(); ++i) {
    if (requested[i].part_number <= requested[i - 1].part_number) {
      return Error(ErrorCode::kInvalidPartOrder);
    }
  }

  std::unordered_map<uint32_t, const core::PartRecord*> by_number;
  by_number.reserve(uploaded.size());
  for (const core::PartRecord& part : uploaded) by_number[part.part_number] = &part;

  std::vector<const core::PartRecord*> chosen;
  chosen.reserve(requested.size());
  for (const RequestedPart& want : requested) {
    auto it = by_number.find(want.part_number);
    // Part ETags are lowercase hex, but a client may have uppercased one; it names the same part.
    if (it == by_number.end() || !EqualsIgnoreCase(Unquoted(want.etag), it->second->etag)) {
      return Error(ErrorCode::kInvalidPart);
    }
    chosen.push_back(it->second);
  }

  // S3 CompleteMultipartUpload: an upload created with x-amz-checksum-algorithm needs each part's
  // checksum in the request, with S3's own wording when one is missing. A checksum that disagrees
  // with the stored one means the client's part is not the server's: InvalidPart, as for an ETag.
  const std::optional<ChecksumAlgorithm> algorithm =
      upload.checksum_algorithm.empty() ? std::nullopt
                                        : ParseChecksumAlgorithm(upload.checksum_algorithm);
  // The checksum every part must name ("CRC32", ...); empty when the upload chose none.
  const std::string required_name = algorithm ? std::string(ChecksumAlgorithmName(*algorithm)) : "";
  for (size_t i = 0; i < requested.size(); ++i) {
    const RequestedPart& want = requested[i];
    if (!required_name.empty()) {
      if (!want.checksums.contains(required_name)) {
        return Error(ErrorCode::kInvalidRequest,
                     "The upload was created using a " + AsciiLowercase(required_name) +
                         " checksum. The complete request must include the checksum for each "
                         "part. It was missing for part " +
                         std::to_string(want.part_number) + " in the request.");
      }
    }
    // Any checksum the client names is compared when the part has one of that algorithm.
    for (const auto& [name, value] : want.checksums) {
      auto stored = chosen[i]->checksums.find(name);
      const bool required = name == required_name;
      if (stored == chosen[i]->checksums.end() ? required : stored->second != value) {
        return Error(ErrorCode::kInvalidPart);
      }
    }
  }

  // R2 "Upload objects", multipart limits: every part but the last at least 5 MiB.
  for (size_t i = 0; i + 1 < chosen.size(); ++i) {
    if (chosen[i]->size < kMinPartSize) {
      return Error(ErrorCode::kEntityTooSmall,
                   std::string(LookupError(ErrorCode::kEntityTooSmall).message) + " Part " +
                       std::to_string(chosen[i]->part_number) + " is " + Bytes(chosen[i]->size) +
                       "; every part but the last must be at least " + Bytes(kMinPartSize) + ".");
    }
  }

  // R2: "All parts except the last must be the same size", and the last no larger than them.
  // R2's message is the first sentence; the rest names the part, as the issue asks.
  if (chosen.size() >= 2) {
    const uint64_t expected = chosen.front()->size;
    for (size_t i = 1; i < chosen.size(); ++i) {
      const bool last = i + 1 == chosen.size();
      const uint64_t found = chosen[i]->size;
      if (last ? found > expected : found != expected) {
        return Error(ErrorCode::kInvalidPart,
                     "All non-trailing parts must have the same length. Part " +
                         std::to_string(chosen[i]->part_number) + " was expected to be " +
                         (last ? "at most " : "") + Bytes(expected) + " but is " + Bytes(found) +
                         ".");
      }
    }
  }

  uint64_t total = 0;
  for (const core::PartRecord* part : chosen) total += part->size;
  if (total > kMaxObjectSize) {
    return Error(ErrorCode::kEntityTooLarge,
                 std::string(LookupError(ErrorCode::kEntityTooLarge).message) + " The parts make " +
                     Bytes(total) + "; the maximum is " + Bytes(kMaxObjectSize) + ".");
  }
  return chosen;
}

// R2 "Upload objects", ETags: the MD5 of the concatenated binary MD5s, "-", the part count.
std::string MultipartEtag(const std::vector<const core::PartRecord*>& parts) {
  std::string md5s;
  md5s.reserve(parts.size() * 16);
  for (const core::PartRecord* part : parts) {
    // Stored part ETags are always hex MD5s; anything else would be a damaged record, and its
    // text still makes the result depend on it rather than silently on nothing.
    std::optional<std::string> raw = HexDecode(Unquoted(part->etag));
    md5s += raw ? *raw : part->etag;
  }
  return HexEncode(Md5(md5s)) + "-" + std::to_string(parts.size());
}

// S3 "Checking object integrity", "Using full object checksums for multipart upload": CRC64NVME
// is FULL_OBJECT only, CRC32 and CRC32C are either (COMPOSITE unless FULL_OBJECT is asked for),
// SHA1 and SHA256 COMPOSITE only. The messages are S3's, as observed by other S3 servers' tests
// against AWS (e.g. floci-io/floci#3093): "The FULL_OBJECT checksum type cannot be used with the
// sha256 checksum algorithm.", "Value for x-amz-checksum-type header is invalid."
Result<std::string> UploadChecksumType(ChecksumAlgorithm algorithm, std::string_view requested) {
  const bool crc32 =
      algorithm == ChecksumAlgorithm::kCrc32 || algorithm == ChecksumAlgorithm::kCrc32c;
  const bool full_only = algorithm == ChecksumAlgorithm::kCrc64Nvme;
  if (requested.empty()) return std::string(full_only ? "FULL_OBJECT" : "COMPOSITE");
  if (requested != "FULL_OBJECT" && requested != "COMPOSITE") {
    return Error(ErrorCode::kInvalidRequest, "Value for x-amz-checksum-type header is invalid.");
  }
  const bool fits = crc32 || (requested == "FULL_OBJECT") == full_only;
  if (!fits) {
    return Error(ErrorCode::kInvalidRequest,
                 "The " + std::string(requested) + " checksum type cannot be used with the " +
                     AsciiLowercase(ChecksumAlgorithmName(algorithm)) + " checksum algorithm.");
  }
  return std::string(requested);
}

Result<ObjectChecksum> CombinePartChecksums(const core::UploadRecord& upload,
                                            const std::vector<const core::PartRecord*>& parts) {
  ObjectChecksum out;
  if (upload.checksum_algorithm.empty()) return out;
  const std::optional<ChecksumAlgorithm> algorithm =
      ParseChecksumAlgorithm(upload.checksum_algorithm);
  if (!algorithm) {
    return Error(ErrorCode::kInternalError,
                 "the upload names an unknown checksum algorithm " + upload.checksum_algorithm);
  }
  Result<std::string> type = UploadChecksumType(*algorithm, upload.checksum_type);
  if (!type.ok()) return type.error();
  const std::string name(ChecksumAlgorithmName(*algorithm));

  if (*type == "FULL_OBJECT") {
    // The CRC of the whole object, derived from the parts' CRCs and sizes without reading a byte;
    // no "-N", since it is the same value a single PUT of the bytes would give.
    uint64_t crc = 0;
    for (const core::PartRecord* part : parts) {
      Result<std::string> raw = RawPartChecksum(*part, *algorithm);
      if (!raw.ok()) return raw.error();
      crc = CombineCrc(*algorithm, crc, FromBigEndian(*raw), part->size);
    }
    out.checksums[name] = Base64Encode(BigEndian(crc, ChecksumDigestSize(*algorithm)));
  } else {
    // COMPOSITE: the checksum of the concatenated binary part checksums, then "-N".
    std::unique_ptr<Hasher> hasher = MakeChecksumHasher(*algorithm);
    for (const core::PartRecord* part : parts) {
      Result<std::string> raw = RawPartChecksum(*part, *algorithm);
      if (!raw.ok()) return raw.error();
      hasher->Update(*raw);
    }
    out.checksums[name] = Base64Encode(hasher->Finish()) + "-" + std::to_string(parts.size());
  }
  out.type = *std::move(type);
  return out;
}

// S3 UploadPart: "Part number must be an integer between 1 and 10000, inclusive."
Status ValidatePartNumber(int64_t part_number) {
  if (part_number < 1 || part_number > kMaxPartNumber) {
    return Status(ErrorCode::kInvalidArgument,
                  "Part number must be an integer between 1 and 10000, inclusive");
  }
  return Status::Ok();
}

// R2 "Upload objects": a part is at most 5 GiB.
Status ValidatePartSize(uint64_t size) {
  if (size > kMaxPartSize) {
    return Status(ErrorCode::kEntityTooLarge,
                  std::string(LookupError(ErrorCode::kEntityTooLarge).message) + " A part is " +
                      Bytes(size) + "; the maximum is " + Bytes(kMaxPartSize) + ".");
  }
  return Status::Ok();
}

}  // namespace cairn::core
