// The aws-chunked decoder on a 1 MiB body in 64 KiB chunks (the AWS SDKs' default chunk size), fed
// 256 KiB at a time as the server's socket reads would: signed chunks (one HMAC and one SHA-256 of
// each chunk to verify its signature) and the unsigned-trailer form the SDKs send by default.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "auth/aws_chunked.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::auth {
namespace {

constexpr size_t kBodySize = 1 << 20;
constexpr size_t kChunkSize = 64 << 10;
constexpr size_t kFeedSize = 256 << 10;
constexpr char kDate[] = "20250101T000000Z";
const CredentialScope kScope{"20250101", "auto", "s3"};
const std::string kSeed(64, 'a');

std::string Payload() {
  std::string data(kBodySize, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + (i >> 11));
  return data;
}

std::string HexSize(size_t n) {
  char text[20];
  std::snprintf(text, sizeof text, "%zx", n);
  return text;
}

// The signed framing of `data`, each chunk's signature chained from the previous one (the
// "Signature Calculations for the Authorization Header: Transferring Payload in Multiple Chunks"
// page of the S3 API reference).
std::string SignedBody(const std::string& data, const std::string& signing_key) {
  const std::string empty_hash = HexEncode(Sha256(""));
  std::string previous = kSeed;
  std::string body;
  auto chunk = [&](std::string_view piece) {
    const std::string to_sign = "AWS4-HMAC-SHA256-PAYLOAD\n" + std::string(kDate) + "\n" +
                                kScope.ToString() + "\n" + previous + "\n" + empty_hash + "\n" +
                                HexEncode(Sha256(piece));
    previous = Signature(signing_key, to_sign);
    body += HexSize(piece.size()) + ";chunk-signature=" + previous + "\r\n";
    body += piece;
    body += "\r\n";
  };
  for (size_t at = 0; at < data.size(); at += kChunkSize) {
    chunk(std::string_view(data).substr(at, kChunkSize));
  }
  chunk("");
  return body;
}

std::string UnsignedTrailerBody(const std::string& data) {
  std::string body;
  for (size_t at = 0; at < data.size(); at += kChunkSize) {
    const size_t n = std::min(kChunkSize, data.size() - at);
    body += HexSize(n) + "\r\n" + data.substr(at, n) + "\r\n";
  }
  const uint32_t crc = Crc32cUpdate(0, data.data(), data.size());
  const std::string raw = {static_cast<char>(crc >> 24), static_cast<char>(crc >> 16),
                           static_cast<char>(crc >> 8), static_cast<char>(crc)};
  body += "0\r\nx-amz-checksum-crc32c:" + Base64Encode(raw) + "\r\n\r\n";
  return body;
}

void Decode(benchmark::State& state, const AwsChunkedDecoder::Options& options,
            const std::string& body) {
  for (auto _ : state) {
    AwsChunkedDecoder decoder(options);
    uint64_t decoded = 0;
    auto sink = [&decoded](std::string_view piece) { decoded += piece.size(); };
    for (size_t at = 0; at < body.size(); at += kFeedSize) {
      if (!decoder.Feed(std::string_view(body).substr(at, kFeedSize), sink).ok()) {
        state.SkipWithError("the body did not decode");
        return;
      }
    }
    if (!decoder.Finish().ok() || decoded != kBodySize) state.SkipWithError("incomplete body");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * kBodySize);
}

void BM_AwsChunkedSigned1MiB(benchmark::State& state) {
  AwsChunkedDecoder::Options options;
  options.signed_chunks = true;
  options.signing_key = SigningKey("benchmark-secret", kScope);
  options.seed_signature = kSeed;
  options.amz_date = kDate;
  options.scope = kScope;
  Decode(state, options, SignedBody(Payload(), options.signing_key));
}
BENCHMARK(BM_AwsChunkedSigned1MiB);

void BM_AwsChunkedUnsignedTrailer1MiB(benchmark::State& state) {
  AwsChunkedDecoder::Options options;
  options.trailer = true;
  Decode(state, options, UnsignedTrailerBody(Payload()));
}
BENCHMARK(BM_AwsChunkedUnsignedTrailer1MiB);

}  // namespace
}  // namespace cairn::auth
