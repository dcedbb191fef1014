// The aws-chunked decoder in its three modes (signed chunks, signed chunks with a signed trailer,
// unsigned chunks with a trailer, and plain unsigned chunks). The first input byte picks the mode
// and whether the rest is fed as it is or first turned into a correctly signed body (so that the
// fuzzer gets past the signatures): then the payload and the trailers must come out unchanged.
// Every body is decoded whole and in small reads, which must agree.
#include <string>

#include "auth/aws_chunked.h"
#include "common/encoding.h"
#include "common/hashing.h"
#include "fuzz/fuzz_input.h"

namespace {

using cairn::auth::AwsChunkedDecoder;
using cairn::fuzz::Check;

constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kDate[] = "20130524T000000Z";
constexpr char kSeed[] = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
const cairn::auth::CredentialScope kScope{"20130524", "us-east-1", "s3"};

AwsChunkedDecoder::Options MakeOptions(bool signed_chunks, bool trailer) {
  AwsChunkedDecoder::Options options;
  options.signed_chunks = signed_chunks;
  options.trailer = trailer;
  if (signed_chunks) {
    options.signing_key = cairn::auth::SigningKey(kSecret, kScope);
    options.seed_signature = kSeed;
    options.amz_date = kDate;
    options.scope = kScope;
  }
  return options;
}

struct Outcome {
  bool ok = false;
  std::string data;
  std::vector<std::pair<std::string, std::string>> trailers;
  uint64_t decoded_size = 0;
};

Outcome Decode(const AwsChunkedDecoder::Options& options,
               const std::vector<std::string_view>& slices) {
  AwsChunkedDecoder decoder(options);
  Outcome out;
  auto sink = [&out](std::string_view piece) { out.data.append(piece); };
  cairn::Status status;
  for (std::string_view slice : slices) {
    status = decoder.Feed(slice, sink);
    if (!status.ok()) break;
  }
  if (status.ok()) status = decoder.Finish();
  cairn::fuzz::CheckMessage(status);
  out.ok = status.ok();
  out.trailers = decoder.trailers();
  out.decoded_size = decoder.decoded_size();
  Check(out.decoded_size == out.data.size(), "decoded_size differs from the bytes given out");
  return out;
}

// A body the decoder must accept: `spec` is cut into chunk payloads at '|' and, after a line
// "--", into "name:value" trailer lines. Signed as the S3 reference describes when `sign`.
struct Body {
  std::string wire;
  std::string payload;
  std::vector<std::pair<std::string, std::string>> trailers;
};

std::string Hex(uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[n % 16]);
    n /= 16;
  } while (n != 0);
  return out;
}

Body Encode(std::string_view spec, bool sign, bool trailer) {
  const std::string key = cairn::auth::SigningKey(kSecret, kScope);
  const std::string empty_hash = cairn::HexEncode(cairn::Sha256(""));
  std::string previous = kSeed;
  Body body;
  const size_t split = spec.find("\n--\n");
  std::string_view chunks = spec.substr(0, split);
  std::string_view trailer_text =
      split == std::string_view::npos ? std::string_view() : spec.substr(split + 4);
  auto add_chunk = [&](std::string_view data) {
    body.wire += Hex(data.size());
    if (sign) {
      previous = cairn::auth::Signature(
          key, std::string("AWS4-HMAC-SHA256-PAYLOAD\n") + kDate + "\n" + kScope.ToString() + "\n" +
                   previous + "\n" + empty_hash + "\n" + cairn::HexEncode(cairn::Sha256(data)));
      body.wire += ";chunk-signature=" + previous;
    }
    body.wire += "\r\n";
    body.wire += data;
    if (!data.empty()) body.wire += "\r\n";
    body.payload += data;
  };
  while (!chunks.empty()) {
    const size_t bar = chunks.find('|');
    if (bar != 0) add_chunk(chunks.substr(0, bar));
    chunks = bar == std::string_view::npos ? std::string_view() : chunks.substr(bar + 1);
  }
  add_chunk("");
  if (trailer) {
    std::string canonical;
    for (std::string_view line : cairn::fuzz::Fields(trailer_text, 8)) {
      const size_t colon = line.find(':');
      // Only lines the decoder reads back unchanged: a lowercase token name and a plain value.
      if (colon == 0 || colon == std::string_view::npos) continue;
      std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
      bool plain = name != "x-amz-trailer-signature" && line.size() < 4000;
      for (char c : name) plain = plain && ((c >= 'a' && c <= 'z') || c == '-');
      for (char c : value) plain = plain && c > ' ' && c < 0x7f;
      if (!plain) continue;
      body.wire.append(name).append(":").append(value).append("\r\n");
      canonical.append(name).append(":").append(value).append("\n");
      body.trailers.emplace_back(name, value);
    }
    if (sign) {
      const std::string signature = cairn::auth::Signature(
          key, std::string("AWS4-HMAC-SHA256-TRAILER\n") + kDate + "\n" + kScope.ToString() + "\n" +
                   previous + "\n" + cairn::HexEncode(cairn::Sha256(canonical)));
      body.wire += "x-amz-trailer-signature:" + signature + "\r\n";
    }
  }
  body.wire += "\r\n";
  return body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool signed_chunks = data[0] & 1;
  const bool trailer = data[0] & 2;
  const bool encode = data[0] & 4;
  const uint32_t seed = data[1];
  const std::string_view rest = cairn::fuzz::AsText(data + 2, size - 2);
  const AwsChunkedDecoder::Options options = MakeOptions(signed_chunks, trailer);

  Body body;
  if (encode) body = Encode(rest, signed_chunks, trailer);
  const std::string_view wire = encode ? std::string_view(body.wire) : rest;

  const Outcome whole = Decode(options, {wire});
  const Outcome sliced = Decode(options, cairn::fuzz::Slices(wire, seed));
  Check(whole.ok == sliced.ok, "the outcome depends on the slicing");
  if (whole.ok) {
    Check(whole.data == sliced.data && whole.trailers == sliced.trailers,
          "the decoded body depends on the slicing");
  }
  if (encode) {
    Check(whole.ok, "a well-formed body is refused");
    Check(whole.data == body.payload, "the payload does not come out as it went in");
    Check(whole.trailers == body.trailers, "the trailers do not come out as they went in");
  }
  return 0;
}
