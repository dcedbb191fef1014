// The digests every uploaded byte goes through: MD5 (the ETag, always), SHA-256 (a signed
// payload), the S3 checksums, and the server's tee that runs the ones a request asks for
// (core::IntegrityChecker). Fed 256 KiB at a time, as the body arrives. MD5 is the floor of a PUT's
// CPU cost per byte: compare it with `openssl speed -evp md5` (bench/run.sh reports both).
#include <benchmark/benchmark.h>

#include "common/hashing.h"
#include "core/integrity_checker.h"

namespace cairn {
namespace {

constexpr size_t kPiece = 256 << 10;

const std::string& Data() {
  static const std::string data = [] {
    std::string d(1 << 20, '\0');
    for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<char>(i * 2654435761u >> 13);
    return d;
  }();
  return data;
}

void Feed(Hasher& hasher) {
  const std::string& data = Data();
  for (size_t at = 0; at < data.size(); at += kPiece) hasher.Update(data.data() + at, kPiece);
}

void Hash(benchmark::State& state, std::unique_ptr<Hasher> (*make)()) {
  for (auto _ : state) {
    std::unique_ptr<Hasher> hasher = make();
    Feed(*hasher);
    benchmark::DoNotOptimize(hasher->Finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * Data().size());
}

void BM_Md5(benchmark::State& state) { Hash(state, MakeMd5Hasher); }
BENCHMARK(BM_Md5);

void BM_Sha256(benchmark::State& state) { Hash(state, MakeSha256Hasher); }
BENCHMARK(BM_Sha256);

void BM_Checksum(benchmark::State& state) {
  const ChecksumAlgorithm algorithm = kAllChecksumAlgorithms[state.range(0)];
  state.SetLabel(std::string(ChecksumAlgorithmName(algorithm)));
  for (auto _ : state) {
    std::unique_ptr<Hasher> hasher = MakeChecksumHasher(algorithm);
    Feed(*hasher);
    benchmark::DoNotOptimize(hasher->Finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * Data().size());
}
BENCHMARK(BM_Checksum)->DenseRange(0, std::size(kAllChecksumAlgorithms) - 1);

// The tee as a PUT runs it: 0 UNSIGNED-PAYLOAD (MD5 alone), 1 a signed payload (MD5 + SHA-256),
// 2 the SDKs' default CRC32 checksum, 3 CRC64NVME.
void BM_IntegrityChecker(benchmark::State& state) {
  core::IntegrityExpectations expect;
  switch (state.range(0)) {
    case 0:
      state.SetLabel("md5");
      break;
    case 1:
      state.SetLabel("md5+sha256");
      expect.payload_sha256_hex = std::string(64, '0');  // a mismatch, found only at Finish
      break;
    case 2:
      state.SetLabel("md5+crc32");
      expect.algorithm = ChecksumAlgorithm::kCrc32;
      break;
    case 3:
      state.SetLabel("md5+crc64nvme");
      expect.algorithm = ChecksumAlgorithm::kCrc64Nvme;
      break;
  }
  const std::string& data = Data();
  for (auto _ : state) {
    core::IntegrityChecker checker(expect);
    for (size_t at = 0; at < data.size(); at += kPiece) {
      checker.Update(std::string_view(data).substr(at, kPiece));
    }
    benchmark::DoNotOptimize(checker.Finish({}));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * data.size());
}
BENCHMARK(BM_IntegrityChecker)->DenseRange(0, 3);

}  // namespace
}  // namespace cairn
