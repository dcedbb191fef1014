// The aws-chunked decoder: AWS's published streaming examples (signed chunks; signed chunks with a
// signed trailer) fed in every slicing, the unsigned-trailer form the SDKs send by default, and a
// table of malformed bodies, each of which must fail the same way however it is sliced.
#include "auth/aws_chunked.h"

#include <gtest/gtest.h>

#include <random>

#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::auth {
namespace {

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kDate[] = "20130524T000000Z";
const CredentialScope kScope{"20130524", "us-east-1", "s3"};

AwsChunkedDecoder::Options SignedOptions(const std::string& seed, bool trailer) {
  AwsChunkedDecoder::Options options;
  options.signed_chunks = true;
  options.trailer = trailer;
  options.signing_key = SigningKey(kSecret, kScope);
  options.seed_signature = seed;
  options.amz_date = kDate;
  options.scope = kScope;
  return options;
}

AwsChunkedDecoder::Options UnsignedOptions(bool trailer) {
  AwsChunkedDecoder::Options options;
  options.trailer = trailer;
  return options;
}

struct Outcome {
  Status status;  // the first error of Feed(), else Finish()
  std::string data;
  std::vector<std::pair<std::string, std::string>> trailers;
  uint64_t decoded_size = 0;
  bool done = false;
};

// Feeds `body` cut at `cuts` (ascending offsets) and reports what came out.
Outcome Decode(const AwsChunkedDecoder::Options& options, std::string_view body,
               const std::vector<size_t>& cuts) {
  AwsChunkedDecoder decoder(options);
  Outcome out;
  auto sink = [&](std::string_view piece) { out.data.append(piece); };
  size_t from = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(body.size());
  for (size_t end : ends) {
    out.status = decoder.Feed(body.substr(from, end - from), sink);
    from = end;
    if (!out.status.ok()) break;
  }
  if (out.status.ok()) out.status = decoder.Finish();
  out.trailers = decoder.trailers();
  out.decoded_size = decoder.decoded_size();
  out.done = decoder.done();
  return out;
}

std::vector<size_t> EveryByte(size_t size) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < size; ++i) cuts.push_back(i);
  return cuts;
}

std::vector<size_t> RandomCuts(size_t size, std::mt19937* rng) {
  std::uniform_int_distribution<size_t> step(1, 97);
  std::vector<size_t> cuts;
  for (size_t at = step(*rng); at < size; at += step(*rng)) cuts.push_back(at);
  return cuts;
}

// Whole, one byte at a time, and a few random slicings: all must give the same outcome.
std::vector<std::vector<size_t>> Slicings(size_t size) {
  std::mt19937 rng(20130524);
  std::vector<std::vector<size_t>> all = {{}, EveryByte(size)};
  for (int i = 0; i < 5; ++i) all.push_back(RandomCuts(size, &rng));
  return all;
}

// Signs bodies for cases AWS has no example of, with the same rules the decoder checks (the
// published examples below pin those rules).
class ChunkSigner {
 public:
  explicit ChunkSigner(std::string seed) : previous_(std::move(seed)) {}

  std::string Chunk(std::string_view data) {
    previous_ = Signature(SigningKey(kSecret, kScope),
                          std::string("AWS4-HMAC-SHA256-PAYLOAD\n") + kDate + "\n" +
                              kScope.ToString() + "\n" + previous_ + "\n" + HexEncode(Sha256("")) +
                              "\n" + HexEncode(Sha256(data)));
    char size[32];
    std::snprintf(size, sizeof(size), "%zx", data.size());
    return std::string(size) + ";chunk-signature=" + previous_ + "\r\n" + std::string(data) +
           (data.empty() ? "" : "\r\n");
  }

  std::string TrailerSignature(std::string_view canonical_trailers) {
    previous_ =
        Signature(SigningKey(kSecret, kScope), std::string("AWS4-HMAC-SHA256-TRAILER\n") + kDate +
                                                   "\n" + kScope.ToString() + "\n" + previous_ +
                                                   "\n" + HexEncode(Sha256(canonical_trailers)));
    return previous_;
  }

 private:
  std::string previous_;
};

// --- "Transferring Payload in Multiple Chunks": 64 KiB of 'a', 1 KiB of 'a', the final chunk ----

constexpr char kStreamingSeed[] =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

std::string StreamingExampleBody() {
  return "10000;chunk-signature="
         "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature="
         "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n"
         "\r\n";
}

TEST(AwsChunkedSigned, DecodesTheAwsExampleInAnySlicing) {
  std::string body = StreamingExampleBody();
  for (const auto& cuts : Slicings(body.size())) {
    Outcome out = Decode(SignedOptions(kStreamingSeed, false), body, cuts);
    ASSERT_TRUE(out.status.ok()) << cuts.size() << " cuts: " << out.status.error().Message();
    EXPECT_TRUE(out.done);
    EXPECT_EQ(out.data, std::string(66560, 'a'));
    EXPECT_EQ(out.decoded_size, 66560u);
    EXPECT_TRUE(out.trailers.empty());
  }
}

TEST(AwsChunkedSigned, RejectsAlteredData) {
  std::string body = StreamingExampleBody();
  body[body.size() - 200] = 'b';  // inside the 1 KiB chunk
  for (const auto& cuts : {std::vector<size_t>{}, EveryByte(body.size())}) {
    Outcome out = Decode(SignedOptions(kStreamingSeed, false), body, cuts);
    EXPECT_EQ(out.status.code(), ErrorCode::kSignatureDoesNotMatch);
  }
}

TEST(AwsChunkedSigned, RejectsAWrongSeed) {
  std::string seed(kStreamingSeed);
  seed[0] = '5';
  Outcome out = Decode(SignedOptions(seed, false), StreamingExampleBody(), {});
  EXPECT_EQ(out.status.code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_TRUE(out.data.size() <= 65536u);  // the first chunk's data may have gone out, no more
}

TEST(AwsChunkedSigned, RejectsReorderedAndDroppedChunks) {
  ChunkSigner signer(kStreamingSeed);
  std::string one = signer.Chunk(std::string(8192, 'x'));
  std::string two = signer.Chunk(std::string(100, 'y'));
  std::string last = signer.Chunk("") + "\r\n";
  EXPECT_TRUE(Decode(SignedOptions(kStreamingSeed, false), one + two + last, {}).status.ok());
  EXPECT_EQ(Decode(SignedOptions(kStreamingSeed, false), two + one + last, {}).status.code(),
            ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(Decode(SignedOptions(kStreamingSeed, false), one + last, {}).status.code(),
            ErrorCode::kSignatureDoesNotMatch);
  // Without its signed final chunk the body is incomplete, not accepted.
  EXPECT_EQ(Decode(SignedOptions(kStreamingSeed, false), one + two, {}).status.code(),
            ErrorCode::kIncompleteBody);
}

TEST(AwsChunkedSigned, StaysFailedAfterAnError) {
  AwsChunkedDecoder decoder(SignedOptions(kStreamingSeed, false));
  auto sink = [](std::string_view) {};
  Status first = decoder.Feed("5;chunk-signature=" + std::string(64, '0') + "\r\nhello\r\n", sink);
  EXPECT_EQ(first.code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(decoder.Feed("0\r\n\r\n", sink).code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(decoder.Finish().code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_FALSE(decoder.done());
}

// --- "Signature calculations for trailing headers": the same payload and a CRC32C trailer -------

constexpr char kTrailerSeed[] = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";

std::string TrailerExampleBody(const std::string& checksum = "sOO8/Q==", bool with_signature = true,
                               bool with_final_crlf = true) {
  std::string body =
      "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" +
      std::string(65536, 'a') +
      "\r\n400;chunk-signature="
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" +
      std::string(1024, 'a') +
      "\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
      "x-amz-checksum-crc32c:" +
      checksum + "\r\n";
  if (with_signature) {
    body +=
        "x-amz-trailer-signature:"
        "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n";
  }
  if (with_final_crlf) body += "\r\n";
  return body;
}

TEST(AwsChunkedSignedTrailer, DecodesTheAwsExampleInAnySlicing) {
  std::string body = TrailerExampleBody();
  for (const auto& cuts : Slicings(body.size())) {
    Outcome out = Decode(SignedOptions(kTrailerSeed, true), body, cuts);
    ASSERT_TRUE(out.status.ok()) << cuts.size() << " cuts: " << out.status.error().Message();
    EXPECT_TRUE(out.done);
    EXPECT_EQ(out.data, std::string(66560, 'a'));
    ASSERT_EQ(out.trailers.size(), 1u);
    EXPECT_EQ(out.trailers[0].first, "x-amz-checksum-crc32c");
    EXPECT_EQ(out.trailers[0].second, "sOO8/Q==");
  }
}

TEST(AwsChunkedSignedTrailer, RejectsAnAlteredTrailer) {
  Outcome out = Decode(SignedOptions(kTrailerSeed, true), TrailerExampleBody("sOO8/R=="), {});
  EXPECT_EQ(out.status.code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST(AwsChunkedSignedTrailer, RequiresTheTrailerSignature) {
  Outcome out =
      Decode(SignedOptions(kTrailerSeed, true), TrailerExampleBody("sOO8/Q==", false), {});
  EXPECT_EQ(out.status.code(), ErrorCode::kInvalidRequest);
  // Cut before the closing empty line, an unsigned trailer is not complete either.
  out = Decode(SignedOptions(kTrailerSeed, true), TrailerExampleBody("sOO8/Q==", false, false), {});
  EXPECT_EQ(out.status.code(), ErrorCode::kIncompleteBody);
}

TEST(AwsChunkedSignedTrailer, ToleratesAMissingFinalCrlf) {
  Outcome out =
      Decode(SignedOptions(kTrailerSeed, true), TrailerExampleBody("sOO8/Q==", true, false), {});
  EXPECT_TRUE(out.status.ok()) << out.status.error().Message();
  EXPECT_EQ(out.trailers.size(), 1u);
}

TEST(AwsChunkedSignedTrailer, SignsSeveralTrailersInOrder) {
  ChunkSigner signer("seed");
  std::string body = signer.Chunk("hello");  // one statement each: the chain is ordered
  body += signer.Chunk("");
  body += "x-amz-checksum-crc32:NhCmhg==\r\nx-amz-checksum-sha1 : qvTGHdzF6KLavt4PO0gs2a6pQ00=\r\n";
  body += "x-amz-trailer-signature:" +
          signer.TrailerSignature(
              "x-amz-checksum-crc32:NhCmhg==\nx-amz-checksum-sha1:qvTGHdzF6KLavt4PO0gs2a6pQ00=\n") +
          "\r\n\r\n";
  Outcome out = Decode(SignedOptions("seed", true), body, EveryByte(body.size()));
  ASSERT_TRUE(out.status.ok()) << out.status.error().Message();
  EXPECT_EQ(out.data, "hello");
  ASSERT_EQ(out.trailers.size(), 2u);
  EXPECT_EQ(out.trailers[1].first, "x-amz-checksum-sha1");
  EXPECT_EQ(out.trailers[1].second, "qvTGHdzF6KLavt4PO0gs2a6pQ00=");
}

TEST(AwsChunkedSignedTrailer, NothingMayFollowTheSignature) {
  ChunkSigner signer("seed");
  std::string body = signer.Chunk("hello");  // one statement each: the chain is ordered
  body += signer.Chunk("");
  body += "x-amz-checksum-crc32:NhCmhg==\r\n";
  body += "x-amz-trailer-signature:" + signer.TrailerSignature("x-amz-checksum-crc32:NhCmhg==\n") +
          "\r\nx-amz-meta-late:1\r\n\r\n";
  EXPECT_EQ(Decode(SignedOptions("seed", true), body, {}).status.code(),
            ErrorCode::kInvalidRequest);
}

// --- STREAMING-UNSIGNED-PAYLOAD-TRAILER: what botocore and the other SDKs send by default --------

TEST(AwsChunkedUnsignedTrailer, DecodesTheSdkForm) {
  std::string body = "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
  for (const auto& cuts : Slicings(body.size())) {
    Outcome out = Decode(UnsignedOptions(true), body, cuts);
    ASSERT_TRUE(out.status.ok()) << out.status.error().Message();
    EXPECT_TRUE(out.done);
    EXPECT_EQ(out.data, "hello world");
    ASSERT_EQ(out.trailers.size(), 1u);
    EXPECT_EQ(out.trailers[0].first, "x-amz-checksum-crc32");
    EXPECT_EQ(out.trailers[0].second, "DUoRhQ==");
  }
}

TEST(AwsChunkedUnsignedTrailer, NamesLowercasedAndValuesTrimmed) {
  Outcome out = Decode(UnsignedOptions(true), "0\r\nX-Amz-Checksum-CRC32 :  AAAAAA== \r\n\r\n", {});
  ASSERT_TRUE(out.status.ok()) << out.status.error().Message();
  ASSERT_EQ(out.trailers.size(), 1u);
  EXPECT_EQ(out.trailers[0].first, "x-amz-checksum-crc32");
  EXPECT_EQ(out.trailers[0].second, "AAAAAA==");
}

TEST(AwsChunkedUnsignedTrailer, TrailerMayBeAbsent) {
  Outcome out = Decode(UnsignedOptions(true), "3\r\nabc\r\n0\r\n\r\n", {});
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(out.trailers.empty());
  EXPECT_EQ(out.data, "abc");
}

TEST(AwsChunkedUnsignedTrailer, ToleratesAMissingFinalCrlf) {
  std::string body = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n";
  Outcome out = Decode(UnsignedOptions(true), body, EveryByte(body.size()));
  ASSERT_TRUE(out.status.ok()) << out.status.error().Message();
  EXPECT_FALSE(out.done);
  EXPECT_EQ(out.trailers.size(), 1u);
}

TEST(AwsChunkedUnsignedTrailer, IgnoresExtensionsAndAnUnverifiableSignature) {
  Outcome out = Decode(UnsignedOptions(true),
                       "A;name=value\r\n0123456789\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n"
                       "x-amz-trailer-signature:abc\r\n\r\n",
                       {});
  ASSERT_TRUE(out.status.ok()) << out.status.error().Message();
  EXPECT_EQ(out.data, "0123456789");
  ASSERT_EQ(out.trailers.size(), 1u);  // the signature is not a trailer
}

TEST(AwsChunked, EmptyPayload) {
  Outcome out = Decode(UnsignedOptions(false), "0\r\n\r\n", {});
  EXPECT_TRUE(out.status.ok());
  EXPECT_TRUE(out.done);
  EXPECT_EQ(out.decoded_size, 0u);
}

TEST(AwsChunked, DataIsPassedWithoutCopying) {
  AwsChunkedDecoder decoder(UnsignedOptions(false));
  std::string body = "5\r\nhello\r\n0\r\n\r\n";
  bool inside = false;
  ASSERT_TRUE(decoder
                  .Feed(body,
                        [&](std::string_view piece) {
                          inside = piece.data() >= body.data() &&
                                   piece.data() + piece.size() <= body.data() + body.size();
                        })
                  .ok());
  EXPECT_TRUE(inside);
}

// --- Malformed framing -------------------------------------------------------------------------

struct MalformedCase {
  const char* name;
  bool signed_chunks;
  bool trailer;
  std::string body;
  ErrorCode code;
};

std::vector<MalformedCase> MalformedCases() {
  const std::string zero_signature = ";chunk-signature=" + std::string(64, '0');
  return {
      {"size not hex", false, false, "zz\r\nhello\r\n0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"size with junk", false, false, "5x\r\nhello\r\n0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"negative size", false, false, "-5\r\nhello\r\n0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"empty size line", false, false, "\r\nhello\r\n", ErrorCode::kInvalidRequest},
      {"size too many digits", false, false, "00000000000000005\r\nhello\r\n",
       ErrorCode::kInvalidRequest},
      {"size above 5 GiB", false, false, "140000001\r\n", ErrorCode::kInvalidRequest},
      {"size line too long", false, false, "1;" + std::string(5000, 'x') + "\r\n",
       ErrorCode::kInvalidRequest},
      {"size line LF only", false, false, "5\nhello\r\n0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"bare CR in size line", false, false, "5\r5\r\nhello\r\n", ErrorCode::kInvalidRequest},
      {"data longer than size", false, false, "3\r\nhello\r\n0\r\n\r\n",
       ErrorCode::kInvalidRequest},
      {"no CRLF after data", false, false, "5\r\nhello0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"LF only after data", false, false, "5\r\nhello\n0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"data after the end", false, false, "0\r\n\r\nX", ErrorCode::kInvalidRequest},
      {"second body after the end", false, true, "0\r\n\r\n0\r\n\r\n", ErrorCode::kInvalidRequest},
      {"trailer not declared", false, false, "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
       ErrorCode::kInvalidRequest},
      {"trailer without colon", false, true, "0\r\nx-amz-checksum-crc32\r\n\r\n",
       ErrorCode::kInvalidRequest},
      {"trailer without name", false, true, "0\r\n:AAAAAA==\r\n\r\n", ErrorCode::kInvalidRequest},
      {"trailer line LF only", false, true, "0\r\nx-amz-checksum-crc32:AAAAAA==\n\r\n",
       ErrorCode::kInvalidRequest},
      {"trailer line too long", false, true, "0\r\nx-amz-meta-a:" + std::string(5000, 'v'),
       ErrorCode::kInvalidRequest},
      {"empty body", false, false, "", ErrorCode::kIncompleteBody},
      {"cut in size line", false, false, "5", ErrorCode::kIncompleteBody},
      {"cut in data", false, false, "5\r\nhel", ErrorCode::kIncompleteBody},
      {"cut before CRLF", false, false, "5\r\nhello", ErrorCode::kIncompleteBody},
      {"cut inside CRLF", false, false, "5\r\nhello\r", ErrorCode::kIncompleteBody},
      {"no final chunk", false, false, "5\r\nhello\r\n", ErrorCode::kIncompleteBody},
      {"cut in final chunk line", false, false, "5\r\nhello\r\n0\r", ErrorCode::kIncompleteBody},
      {"cut in trailer line", false, true, "0\r\nx-amz-checksum-crc32:AA",
       ErrorCode::kIncompleteBody},
      {"no chunk signature", true, false, "5\r\nhello\r\n", ErrorCode::kInvalidRequest},
      {"other chunk extension", true, false, "5;foo=bar\r\nhello\r\n", ErrorCode::kInvalidRequest},
      {"short chunk signature", true, false, "5;chunk-signature=abc\r\nhello\r\n",
       ErrorCode::kInvalidRequest},
      {"wrong chunk signature", true, false, "5" + zero_signature + "\r\nhello\r\n",
       ErrorCode::kSignatureDoesNotMatch},
      {"wrong final chunk signature", true, false, "0" + zero_signature + "\r\n\r\n",
       ErrorCode::kSignatureDoesNotMatch},
  };
}

TEST(AwsChunkedMalformed, EachCaseFailsTheSameWayInEverySlicing) {
  for (const MalformedCase& c : MalformedCases()) {
    AwsChunkedDecoder::Options options =
        c.signed_chunks ? SignedOptions(kStreamingSeed, c.trailer) : UnsignedOptions(c.trailer);
    for (const auto& cuts : Slicings(c.body.size())) {
      Outcome out = Decode(options, c.body, cuts);
      ASSERT_FALSE(out.status.ok()) << c.name;
      EXPECT_EQ(out.status.code(), c.code)
          << c.name << " (" << cuts.size() << " cuts): " << out.status.error().Message();
      EXPECT_FALSE(out.done) << c.name;
    }
  }
}

TEST(AwsChunkedMalformed, AcceptsLineOfExactlyTheLimit) {
  // 4096 bytes of size line (the signature-less extension pads it) is still a chunk header.
  std::string line = "5;x=" + std::string(4096 - 4, 'p');
  Outcome out = Decode(UnsignedOptions(false), line + "\r\nhello\r\n0\r\n\r\n", {});
  EXPECT_TRUE(out.status.ok()) << out.status.error().Message();
}

}  // namespace
}  // namespace cairn::auth
