// R2's multipart rules, each with the error a client sees, in the order they are checked; the
// multipart ETag of R2's guide; COMPOSITE and FULL_OBJECT checksums recomputed from part data.
#include "core/multipart_rules.h"

#include <gtest/gtest.h>

#include <cctype>

#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::core {
namespace {

constexpr uint64_t kMiB = 1 << 20;

core::PartRecord Part(uint32_t number, uint64_t size, std::string etag = "") {
  core::PartRecord part;
  part.part_number = number;
  part.size = size;
  part.etag = etag.empty() ? HexEncode(Md5("part " + std::to_string(number))) : std::move(etag);
  return part;
}

RequestedPart Want(const core::PartRecord& part, bool quoted = true) {
  return {part.part_number, quoted ? "\"" + part.etag + "\"" : part.etag, {}};
}

std::vector<RequestedPart> WantAll(const std::vector<core::PartRecord>& parts) {
  std::vector<RequestedPart> out;
  for (const core::PartRecord& part : parts) out.push_back(Want(part));
  return out;
}

std::string Base64Checksum(ChecksumAlgorithm algorithm, std::string_view data) {
  std::unique_ptr<Hasher> hasher = MakeChecksumHasher(algorithm);
  hasher->Update(data);
  return Base64Encode(hasher->Finish());
}

const core::UploadRecord kPlainUpload;

TEST(MultipartEtag, R2GuideExample) {
  core::PartRecord a = Part(1, 5 * kMiB, "bce6bf66aeb76c7040fdd5f4eccb78e6");
  core::PartRecord b = Part(2, 1024, "8165449fc15bbf43d3b674595cbcc406");
  EXPECT_EQ(MultipartEtag({&a, &b}), "f77dc0eecdebcd774a2a22cb393ad2ff-2");
}

TEST(MultipartEtag, OnePart) {
  core::PartRecord a = Part(7, 10);
  EXPECT_EQ(MultipartEtag({&a}), HexEncode(Md5(*HexDecode(a.etag))) + "-1");
}

TEST(SelectParts, EmptyListIsMalformedXml) {
  std::vector<core::PartRecord> uploaded = {Part(1, 10)};
  EXPECT_EQ(SelectParts(kPlainUpload, {}, uploaded).error().code, ErrorCode::kMalformedXML);
}

TEST(SelectParts, PartsMustAscendStrictly) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB), Part(2, 5 * kMiB)};
  EXPECT_EQ(
      SelectParts(kPlainUpload, {Want(uploaded[1]), Want(uploaded[0])}, uploaded).error().code,
      ErrorCode::kInvalidPartOrder);
  EXPECT_EQ(
      SelectParts(kPlainUpload, {Want(uploaded[0]), Want(uploaded[0])}, uploaded).error().code,
      ErrorCode::kInvalidPartOrder);
}

// The order is checked over the whole list before any part is looked up.
TEST(SelectParts, OrderIsCheckedBeforeExistence) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB)};
  std::vector<RequestedPart> requested = {{9, "\"nope\"", {}}, Want(uploaded[0])};
  EXPECT_EQ(SelectParts(kPlainUpload, requested, uploaded).error().code,
            ErrorCode::kInvalidPartOrder);
}

TEST(SelectParts, UnknownPartOrWrongEtagIsInvalidPart) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB), Part(2, 1)};
  std::vector<RequestedPart> unknown = {Want(uploaded[0]), {3, "\"" + uploaded[1].etag + "\"", {}}};
  EXPECT_EQ(SelectParts(kPlainUpload, unknown, uploaded).error().code, ErrorCode::kInvalidPart);
  std::vector<RequestedPart> wrong = {Want(uploaded[0]), {2, "\"" + uploaded[0].etag + "\"", {}}};
  EXPECT_EQ(SelectParts(kPlainUpload, wrong, uploaded).error().code, ErrorCode::kInvalidPart);
}

TEST(SelectParts, EtagsMayBeQuotedOrNotAndAnyCase) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB), Part(2, 3)};
  std::string upper = uploaded[1].etag;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<RequestedPart> requested = {Want(uploaded[0], /*quoted=*/false), {2, upper, {}}};
  auto chosen = SelectParts(kPlainUpload, requested, uploaded);
  ASSERT_TRUE(chosen.ok()) << chosen.error().Message();
  EXPECT_EQ(*chosen, (std::vector<const core::PartRecord*>{&uploaded[0], &uploaded[1]}));
}

// Parts uploaded but left out of the list are not part of the object.
TEST(SelectParts, ChoosesTheListedSubsetInOrder) {
  std::vector<core::PartRecord> uploaded = {Part(4, 2), Part(1, 5 * kMiB), Part(2, 7),
                                            Part(3, 5 * kMiB)};
  auto chosen = SelectParts(kPlainUpload, {Want(uploaded[1]), Want(uploaded[3]), Want(uploaded[0])},
                            uploaded);
  ASSERT_TRUE(chosen.ok()) << chosen.error().Message();
  EXPECT_EQ(*chosen,
            (std::vector<const core::PartRecord*>{&uploaded[1], &uploaded[3], &uploaded[0]}));
}

TEST(SelectParts, GapsInPartNumbersAreAllowed) {
  std::vector<core::PartRecord> uploaded = {Part(2, 6 * kMiB), Part(10, 6 * kMiB), Part(900, 1)};
  EXPECT_TRUE(SelectParts(kPlainUpload, WantAll(uploaded), uploaded).ok());
}

TEST(SelectParts, NonTrailingPartUnderFiveMibIsEntityTooSmall) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB - 1), Part(2, 100)};
  auto r = SelectParts(kPlainUpload, WantAll(uploaded), uploaded);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kEntityTooSmall);
  EXPECT_NE(r.error().message.find("Part 1 is 5242879 bytes"), std::string::npos)
      << r.error().message;
}

TEST(SelectParts, SmallLastOrOnlyPartIsFine) {
  std::vector<core::PartRecord> one = {Part(1, 0)};
  EXPECT_TRUE(SelectParts(kPlainUpload, WantAll(one), one).ok());
  std::vector<core::PartRecord> two = {Part(1, 5 * kMiB), Part(2, 1)};
  EXPECT_TRUE(SelectParts(kPlainUpload, WantAll(two), two).ok());
}

TEST(SelectParts, UnequalNonTrailingPartIsInvalidPartWithR2Message) {
  std::vector<core::PartRecord> uploaded = {Part(1, 8 * kMiB), Part(2, 8 * kMiB), Part(3, 6 * kMiB),
                                            Part(4, 8 * kMiB), Part(5, 1)};
  auto r = SelectParts(kPlainUpload, WantAll(uploaded), uploaded);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPart);
  EXPECT_EQ(r.error().message,
            "All non-trailing parts must have the same length. Part 3 was expected to be "
            "8388608 bytes but is 6291456 bytes.");
}

// A larger part that is not last is as unequal as a smaller one: tus-style uploaders that flush
// "at least N MiB" trip on this.
TEST(SelectParts, LargerMiddlePartIsInvalidPart) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB), Part(2, 7 * kMiB),
                                            Part(3, 5 * kMiB)};
  auto r = SelectParts(kPlainUpload, WantAll(uploaded), uploaded);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPart);
  EXPECT_TRUE(r.error().message.starts_with("All non-trailing parts must have the same length."));
  EXPECT_NE(r.error().message.find("Part 2"), std::string::npos) << r.error().message;
}

TEST(SelectParts, LastPartLargerThanTheOthersIsInvalidPart) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB), Part(2, 5 * kMiB),
                                            Part(3, 5 * kMiB + 1)};
  auto r = SelectParts(kPlainUpload, WantAll(uploaded), uploaded);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidPart);
  EXPECT_EQ(r.error().message,
            "All non-trailing parts must have the same length. Part 3 was expected to be at most "
            "5242880 bytes but is 5242881 bytes.");
  uploaded[2].size = 5 * kMiB;  // equal to the others: fine
  EXPECT_TRUE(SelectParts(kPlainUpload, WantAll(uploaded), uploaded).ok());
}

// EntityTooSmall is answered before the equal-size rule when both are broken.
TEST(SelectParts, TooSmallComesBeforeUnequal) {
  std::vector<core::PartRecord> uploaded = {Part(1, 6 * kMiB), Part(2, 1 * kMiB), Part(3, 1)};
  EXPECT_EQ(SelectParts(kPlainUpload, WantAll(uploaded), uploaded).error().code,
            ErrorCode::kEntityTooSmall);
}

TEST(SelectParts, MoreThanFiveTibIsEntityTooLarge) {
  std::vector<core::PartRecord> uploaded;
  for (uint32_t n = 1; n <= 1025; ++n) uploaded.push_back(Part(n, kMaxPartSize));
  EXPECT_EQ(SelectParts(kPlainUpload, WantAll(uploaded), uploaded).error().code,
            ErrorCode::kEntityTooLarge);
  uploaded.pop_back();  // exactly 5 TiB
  EXPECT_TRUE(SelectParts(kPlainUpload, WantAll(uploaded), uploaded).ok());
}

core::UploadRecord UploadWith(std::string algorithm, std::string type = "") {
  core::UploadRecord upload;
  upload.checksum_algorithm = std::move(algorithm);
  upload.checksum_type = std::move(type);
  return upload;
}

TEST(SelectParts, MissingPartChecksumIsInvalidRequestInS3Words) {
  std::vector<core::PartRecord> uploaded = {Part(1, 5 * kMiB), Part(2, 10)};
  uploaded[0].checksums["CRC32"] = "AAAAAA==";
  uploaded[1].checksums["CRC32"] = "AAAAAQ==";
  std::vector<RequestedPart> requested = WantAll(uploaded);
  requested[0].checksums["CRC32"] = "AAAAAA==";
  auto r = SelectParts(UploadWith("CRC32"), requested, uploaded);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(r.error().message,
            "The upload was created using a crc32 checksum. The complete request must include the "
            "checksum for each part. It was missing for part 2 in the request.");

  requested[1].checksums["CRC32"] = "AAAAAQ==";
  EXPECT_TRUE(SelectParts(UploadWith("CRC32"), requested, uploaded).ok());
}

TEST(SelectParts, MissingChecksumNamesTheAlgorithmInLowercase) {
  std::vector<core::PartRecord> uploaded = {Part(1, 10)};
  auto r = SelectParts(UploadWith("CRC64NVME", "FULL_OBJECT"), WantAll(uploaded), uploaded);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("created using a crc64nvme checksum"), std::string::npos);
  EXPECT_NE(r.error().message.find("missing for part 1 in"), std::string::npos);
}

TEST(SelectParts, DifferingPartChecksumIsInvalidPart) {
  std::vector<core::PartRecord> uploaded = {Part(1, 10)};
  uploaded[0].checksums["SHA256"] = Base64Checksum(ChecksumAlgorithm::kSha256, "x");
  std::vector<RequestedPart> requested = WantAll(uploaded);
  requested[0].checksums["SHA256"] = Base64Checksum(ChecksumAlgorithm::kSha256, "y");
  EXPECT_EQ(SelectParts(UploadWith("SHA256"), requested, uploaded).error().code,
            ErrorCode::kInvalidPart);
  // Also when the upload named no algorithm but the part has the checksum the client sends.
  EXPECT_EQ(SelectParts(kPlainUpload, requested, uploaded).error().code, ErrorCode::kInvalidPart);
}

// Checksums come before sizes: an upload with both problems reports the checksum.
TEST(SelectParts, ChecksumsAreCheckedBeforeSizes) {
  std::vector<core::PartRecord> uploaded = {Part(1, 1), Part(2, 1)};
  auto r = SelectParts(UploadWith("CRC32C"), WantAll(uploaded), uploaded);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRequest);
}

TEST(CombinePartChecksums, NoAlgorithmGivesNothing) {
  core::PartRecord a = Part(1, 3);
  auto r = CombinePartChecksums(kPlainUpload, {&a});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->checksums.empty());
  EXPECT_TRUE(r->type.empty());
}

// Parts cut from real data: a FULL_OBJECT CRC (CRC64NVME always, CRC32 and CRC32C when asked for)
// must be the CRC of the whole object, the value a single PUT of the same bytes gets, without "-N".
TEST(CombinePartChecksums, FullObjectCrcsAreTheCrcOfTheWhole) {
  std::string data;
  for (int i = 0; i < 100000; ++i) data.push_back(static_cast<char>(i * 7 + i / 251));
  const size_t cuts[] = {0, 40000, 80000, 100000};
  struct Case {
    ChecksumAlgorithm algorithm;
    std::string type;  // as the upload stored it
  };
  const Case cases[] = {{ChecksumAlgorithm::kCrc64Nvme, ""},
                        {ChecksumAlgorithm::kCrc64Nvme, "FULL_OBJECT"},
                        {ChecksumAlgorithm::kCrc32, "FULL_OBJECT"},
                        {ChecksumAlgorithm::kCrc32c, "FULL_OBJECT"}};
  for (const Case& c : cases) {
    const std::string name(ChecksumAlgorithmName(c.algorithm));
    std::vector<core::PartRecord> parts;
    for (int i = 0; i < 3; ++i) {
      std::string_view piece = std::string_view(data).substr(cuts[i], cuts[i + 1] - cuts[i]);
      core::PartRecord part = Part(i + 1, piece.size());
      part.checksums[name] = Base64Checksum(c.algorithm, piece);
      parts.push_back(part);
    }
    auto r = CombinePartChecksums(UploadWith(name, c.type), {&parts[0], &parts[1], &parts[2]});
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().Message();
    EXPECT_EQ(r->type, "FULL_OBJECT") << name;
    EXPECT_EQ(r->checksums.size(), 1u) << name;
    EXPECT_EQ(r->checksums.at(name), Base64Checksum(c.algorithm, data)) << name;
  }
}

// A worked CRC32 value: parts "1234" and "56789" make the CRC32 of "123456789", the catalogue's
// check value 0xcbf43926.
TEST(CombinePartChecksums, Crc32FullObjectByHand) {
  core::PartRecord a = Part(1, 4), b = Part(2, 5);
  a.checksums["CRC32"] = Base64Checksum(ChecksumAlgorithm::kCrc32, "1234");
  b.checksums["CRC32"] = Base64Checksum(ChecksumAlgorithm::kCrc32, "56789");
  auto r = CombinePartChecksums(UploadWith("CRC32", "FULL_OBJECT"), {&a, &b});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->checksums.at("CRC32"), Base64Encode(std::string("\xcb\xf4\x39\x26", 4)));
}

// COMPOSITE: the checksum of the concatenated raw part checksums, "-N".
TEST(CombinePartChecksums, CompositeAlgorithms) {
  const std::string pieces[] = {"first part bytes", "second", "the third and last"};
  for (ChecksumAlgorithm algorithm : {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c,
                                      ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256}) {
    const std::string name(ChecksumAlgorithmName(algorithm));
    std::vector<core::PartRecord> parts;
    std::string concatenated;
    for (int i = 0; i < 3; ++i) {
      core::PartRecord part = Part(i + 1, pieces[i].size());
      part.checksums[name] = Base64Checksum(algorithm, pieces[i]);
      concatenated += *Base64Decode(part.checksums[name]);
      parts.push_back(part);
    }
    auto r = CombinePartChecksums(UploadWith(name, "COMPOSITE"), {&parts[0], &parts[1], &parts[2]});
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().Message();
    EXPECT_EQ(r->type, "COMPOSITE") << name;
    EXPECT_EQ(r->checksums.at(name), Base64Checksum(algorithm, concatenated) + "-3") << name;
  }
}

// A worked CRC32 value, independent of the hasher: the CRC32 of the two raw part CRCs.
TEST(CombinePartChecksums, Crc32CompositeByHand) {
  core::PartRecord a = Part(1, 5), b = Part(2, 5);
  a.checksums["CRC32"] = Base64Encode(std::string("\x00\x00\x00\x01", 4));
  b.checksums["CRC32"] = Base64Encode(std::string("\x00\x00\x00\x02", 4));
  const char raw[] = {0, 0, 0, 1, 0, 0, 0, 2};
  const uint32_t crc = Crc32Update(0, raw, sizeof(raw));
  const std::string be = {static_cast<char>(crc >> 24), static_cast<char>(crc >> 16),
                          static_cast<char>(crc >> 8), static_cast<char>(crc)};
  auto r = CombinePartChecksums(UploadWith("CRC32"), {&a, &b});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->checksums.at("CRC32"), Base64Encode(be) + "-2");
}

TEST(CombinePartChecksums, TypeThatDoesNotFitTheAlgorithmIsInvalidRequest) {
  core::PartRecord a = Part(1, 1);
  a.checksums["SHA1"] = Base64Checksum(ChecksumAlgorithm::kSha1, "x");
  a.checksums["CRC64NVME"] = "AAAAAAAAAAA=";
  EXPECT_EQ(CombinePartChecksums(UploadWith("SHA1", "FULL_OBJECT"), {&a}).error().code,
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(CombinePartChecksums(UploadWith("CRC64NVME", "COMPOSITE"), {&a}).error().code,
            ErrorCode::kInvalidRequest);
}

// S3's table: CRC32 and CRC32C either type (COMPOSITE by default), CRC64NVME FULL_OBJECT only, SHA
// COMPOSITE only; anything but the two names is refused with S3's message.
TEST(UploadChecksumType, FollowsS3Table) {
  using A = ChecksumAlgorithm;
  EXPECT_EQ(*UploadChecksumType(A::kCrc32, ""), "COMPOSITE");
  EXPECT_EQ(*UploadChecksumType(A::kCrc32c, ""), "COMPOSITE");
  EXPECT_EQ(*UploadChecksumType(A::kSha256, ""), "COMPOSITE");
  EXPECT_EQ(*UploadChecksumType(A::kCrc64Nvme, ""), "FULL_OBJECT");
  for (A a : {A::kCrc32, A::kCrc32c}) {
    EXPECT_EQ(*UploadChecksumType(a, "FULL_OBJECT"), "FULL_OBJECT");
    EXPECT_EQ(*UploadChecksumType(a, "COMPOSITE"), "COMPOSITE");
  }
  EXPECT_EQ(*UploadChecksumType(A::kCrc64Nvme, "FULL_OBJECT"), "FULL_OBJECT");
  EXPECT_EQ(*UploadChecksumType(A::kSha1, "COMPOSITE"), "COMPOSITE");

  auto sha = UploadChecksumType(A::kSha256, "FULL_OBJECT");
  ASSERT_FALSE(sha.ok());
  EXPECT_EQ(sha.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(sha.error().Message(),
            "The FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm.");
  EXPECT_EQ(UploadChecksumType(A::kCrc64Nvme, "COMPOSITE").error().code,
            ErrorCode::kInvalidRequest);
  auto bad = UploadChecksumType(A::kCrc32, "full_object");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().Message(), "Value for x-amz-checksum-type header is invalid.");
}

TEST(CombinePartChecksums, PartWithoutTheChecksumIsInvalidPart) {
  core::PartRecord a = Part(1, 1);
  EXPECT_EQ(CombinePartChecksums(UploadWith("SHA1"), {&a}).error().code, ErrorCode::kInvalidPart);
  a.checksums["SHA1"] = "AAAA";  // decodes, but not to 20 bytes
  EXPECT_EQ(CombinePartChecksums(UploadWith("SHA1"), {&a}).error().code, ErrorCode::kInternalError);
}

TEST(ValidatePartNumber, OneToTenThousand) {
  EXPECT_TRUE(ValidatePartNumber(1).ok());
  EXPECT_TRUE(ValidatePartNumber(10000).ok());
  for (int64_t bad : {int64_t{0}, int64_t{-1}, int64_t{10001}, int64_t{1} << 40}) {
    Status s = ValidatePartNumber(bad);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(ValidatePartSize, AtMostFiveGib) {
  EXPECT_TRUE(ValidatePartSize(0).ok());
  EXPECT_TRUE(ValidatePartSize(kMaxPartSize).ok());
  EXPECT_EQ(ValidatePartSize(kMaxPartSize + 1).code(), ErrorCode::kEntityTooLarge);
}

}  // namespace
}  // namespace cairn::core
