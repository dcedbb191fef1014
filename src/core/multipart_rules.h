// R2's multipart rules (R2 "Upload objects" guide, "Multipart upload" limits) and the arithmetic of
// a completed upload: which parts make the object, its md5-of-md5s ETag, and its checksum.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/hashing.h"
#include "common/status.h"
#include "core/records.h"

namespace cairn::core {

inline constexpr uint64_t kMinPartSize = 5ull << 20;  // every part but the last
inline constexpr uint64_t kMaxPartSize = 5ull << 30;
inline constexpr uint32_t kMaxPartNumber = 10000;

// One <Part> of a CompleteMultipartUpload request.
struct RequestedPart {
  uint32_t part_number = 0;
  std::string etag;                              // as sent: quoted or not
  std::map<std::string, std::string> checksums;  // "CRC32" -> base64, from <ChecksumCRC32> etc.
};

// Checks the client's list against the uploaded parts, in this order, with the error a client of
// R2 sees:
// - empty list: MalformedXML;
// - part numbers not strictly ascending: InvalidPartOrder;
// - a part never uploaded, or an ETag that differs: InvalidPart;
// - the upload has a checksum algorithm and a part lacks its checksum in the request:
//   InvalidRequest ("The upload was created using a crc32 checksum. The complete request must
//   include the checksum for each part. It was missing for part 1 in the request.");
// - a checksum in the request that differs from the part's stored one: InvalidPart;
// - a part other than the last under 5 MiB: EntityTooSmall;
// - a non-trailing part of another size than the first, or a last part larger than the others:
//   InvalidPart with "All non-trailing parts must have the same length." naming the first part
//   that differs, the expected and the found size;
// - parts adding up to more than 5 TiB: EntityTooLarge.
// ETags compare without their quotes and case-insensitively. Returns the chosen parts in order
// (pointers into `uploaded`).
Result<std::vector<const core::PartRecord*>> SelectParts(
    const core::UploadRecord& upload, const std::vector<RequestedPart>& requested,
    const std::vector<core::PartRecord>& uploaded);

// Hex MD5 of the concatenated binary MD5s of the parts, "-", the number of parts.
std::string MultipartEtag(const std::vector<const core::PartRecord*>& parts);

// The checksum type an upload with `algorithm` keeps: `requested` (x-amz-checksum-type as sent,
// empty when absent) or the algorithm's default. CRC32 and CRC32C are COMPOSITE or FULL_OBJECT
// (COMPOSITE by default), CRC64NVME FULL_OBJECT only, SHA1 and SHA256 COMPOSITE only. Errors:
// InvalidRequest for a type that is neither or does not fit the algorithm.
Result<std::string> UploadChecksumType(ChecksumAlgorithm algorithm, std::string_view requested);

// The checksum of the completed object under the upload's algorithm and type: FULL_OBJECT (CRC32,
// CRC32C, CRC64NVME) the parts' CRCs combined into the CRC of the whole; COMPOSITE (CRC32, CRC32C,
// SHA1, SHA256) the checksum of the concatenated binary part checksums, then "-N". Returns the
// object's checksums map and type; both empty when the upload has no algorithm. InvalidPart when
// a part has no stored checksum of the algorithm; InvalidRequest when the upload's checksum type
// does not fit the algorithm.
struct ObjectChecksum {
  std::map<std::string, std::string> checksums;
  std::string type;
};
Result<ObjectChecksum> CombinePartChecksums(const core::UploadRecord& upload,
                                            const std::vector<const core::PartRecord*>& parts);

// UploadPart's part-number and size checks: InvalidArgument for a number outside 1..10000,
// EntityTooLarge for a part over 5 GiB.
Status ValidatePartNumber(int64_t part_number);
Status ValidatePartSize(uint64_t size);

}  // namespace cairn::core
