// The bytes `cairn bench` sends and what it does with the bytes it receives. Every request body is
// cut from one block of pseudo-random (incompressible) bytes made once at start and repeated as
// needed, so that a 1 GiB PUT costs the generator a memcpy per 256 KiB piece and no allocation; a
// response body is counted and dropped. Both count the bytes they move into a Meter, for the
// progress line and for throughput that includes partial transfers, and both give up (throw
// BenchCancelled) once the run's cancel flag is raised: that is how --cancel-at-end cuts requests
// in flight without reaching into the connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "cairn/body.h"
#include "client/http_connection.h"

namespace cairn::cli {

// Bytes moved by one worker, read by the progress thread.
struct alignas(64) Meter {
  std::atomic<uint64_t> bytes{0};
};

class BenchCancelled : public std::runtime_error {
 public:
  BenchCancelled() : std::runtime_error("cancelled at the end of the run") {}
};

class Payload {
 public:
  static constexpr size_t kBlockSize = 1 << 20;
  Payload();

  // A body of `size` bytes (the block repeated). `meter` and `cancel` may be null.
  Body MakeBody(uint64_t size, Meter* meter, const std::atomic<bool>* cancel) const;

  // The hex SHA-256 of a body of `size` bytes, computed once per size (for --sign-payload).
  std::string Sha256Hex(uint64_t size) const;

 private:
  std::string block_;
  mutable std::mutex mu_;
  mutable std::map<uint64_t, std::string> sha256_;
};

// A sink for response bodies that counts into `meter` and honours `cancel` (both may be null).
// `received`, when given, is set to the number of body bytes.
client::BodySink CountingSink(Meter* meter, const std::atomic<bool>* cancel, uint64_t* received);

}  // namespace cairn::cli
