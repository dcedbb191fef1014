// Decoder of `Content-Encoding: aws-chunked` bodies: a small state machine fed the raw bytes in
// any slicing. It verifies each chunk signature (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) and
// the trailer signature, and collects trailing headers (x-amz-checksum-*).
//
// Framing:  hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n
//           [trailer-name:value\r\n ... [x-amz-trailer-signature:sig\r\n]] \r\n
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "common/status.h"

namespace cairn::auth {

class AwsChunkedDecoder {
 public:
  struct Options {
    bool signed_chunks = false;  // chunk-signature= required and verified
    bool trailer = false;        // trailing headers follow the last chunk
    // For signed chunks and signed trailers:
    std::string signing_key;     // raw 32 bytes
    std::string seed_signature;  // the request's own signature
    std::string amz_date;
    CredentialScope scope;
  };
  using DataSink = std::function<void(std::string_view)>;

  explicit AwsChunkedDecoder(Options options);

  // Consumes `input`, calling `sink` with each run of decoded payload bytes (slices of `input`,
  // no copy). Errors: IncompleteBody / InvalidRequest-class framing errors (malformed size line,
  // missing CRLF, oversized chunk header, data after the end), SignatureDoesNotMatch for a bad
  // chunk or trailer signature. After an error the decoder stays failed.
  Status Feed(std::string_view input, const DataSink& sink);

  // True once the final chunk and the trailer section (if any) were read.
  bool done() const;
  // Called at end of input: IncompleteBody unless done(), or the error Feed() returned. A body
  // that stops exactly before its closing empty line (every chunk, trailer line and signature
  // read) is accepted too. Which trailers are required (x-amz-trailer) is the caller's check.
  Status Finish() const;

  // Trailing headers, names lowercased (without x-amz-trailer-signature).
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }
  uint64_t decoded_size() const { return decoded_size_; }

 private:
  struct State;
  Options options_;
  std::vector<std::pair<std::string, std::string>> trailers_;
  uint64_t decoded_size_ = 0;
  // Implementation state (owned by the .cc): parsing position, current chunk remaining,
  // running SHA-256 of the chunk, previous signature, line buffer.
  std::shared_ptr<State> state_;
};

}  // namespace cairn::auth
