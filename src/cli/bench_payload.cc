// The payload block and the body source over it. The source hides its bytes from the library
// (Memory() is null), so requests are signed UNSIGNED-PAYLOAD unless --sign-payload gives the
// precomputed SHA-256: hashing every body again would make the generator, not the server, the
// bottleneck for MiB objects.
#include "cli/bench_payload.h"

#include <algorithm>
#include <cstring>
#include <random>

#include "client/body_source.h"
#include "common/encoding.h"
#include "common/hashing.h"

namespace cairn::cli {
namespace {

class PayloadSource : public Body::Source {
 public:
  PayloadSource(const std::string* block, uint64_t size, Meter* meter,
                const std::atomic<bool>* cancel)
      : block_(block), size_(size), meter_(meter), cancel_(cancel) {}

  std::optional<uint64_t> Size() const override { return size_; }
  size_t Read(char* out, size_t n) override {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) throw BenchCancelled();
    size_t done = 0;
    while (done < n && position_ < size_) {
      const size_t offset = static_cast<size_t>(position_ % block_->size());
      const size_t take = static_cast<size_t>(
          std::min<uint64_t>({n - done, size_ - position_, block_->size() - offset}));
      std::memcpy(out + done, block_->data() + offset, take);
      done += take;
      position_ += take;
    }
    if (meter_) meter_->bytes.fetch_add(done, std::memory_order_relaxed);
    return done;
  }
  bool Rewindable() const override { return true; }
  void Rewind() override { position_ = 0; }

 private:
  const std::string* block_;
  uint64_t size_;
  uint64_t position_ = 0;
  Meter* meter_;
  const std::atomic<bool>* cancel_;
};

}  // namespace

Payload::Payload() : block_(kBlockSize, '\0') {
  std::mt19937_64 random(42);  // a fixed seed: every run sends the same bytes
  for (size_t i = 0; i + 8 <= block_.size(); i += 8) {
    const uint64_t word = random();
    std::memcpy(block_.data() + i, &word, 8);
  }
}

Body Payload::MakeBody(uint64_t size, Meter* meter, const std::atomic<bool>* cancel) const {
  return BodyAccess::Make(std::make_shared<PayloadSource>(&block_, size, meter, cancel));
}

std::string Payload::Sha256Hex(uint64_t size) const {
  std::lock_guard lock(mu_);
  auto it = sha256_.find(size);
  if (it != sha256_.end()) return it->second;
  std::unique_ptr<Hasher> hasher = MakeSha256Hasher();
  for (uint64_t done = 0; done < size;) {
    const size_t take = static_cast<size_t>(std::min<uint64_t>(block_.size(), size - done));
    hasher->Update(block_.data(), take);
    done += take;
  }
  return sha256_[size] = HexEncode(hasher->Finish());
}

client::BodySink CountingSink(Meter* meter, const std::atomic<bool>* cancel, uint64_t* received) {
  if (received) *received = 0;
  return [meter, cancel, received](const char*, size_t size) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw BenchCancelled();
    if (meter) meter->bytes.fetch_add(size, std::memory_order_relaxed);
    if (received) *received += size;
  };
}

}  // namespace cairn::cli
