// Shared by the harnesses: how one fuzz input becomes the several pieces a parser takes, and how
// a streaming parser's input is cut into reads. The text forms keep every seed file readable and
// writable by hand (fuzz/make_corpus.py writes them from the unit tests' inputs).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/utf8.h"
#include "s3/xml.h"

namespace cairn::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at its first `n - 1` newlines into `n` fields; the last keeps the rest, newlines
// and all. Missing fields are empty.
inline std::vector<std::string_view> Fields(std::string_view input, size_t n) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < n) {
    const size_t lf = input.find('\n');
    if (lf == std::string_view::npos) break;
    fields.push_back(input.substr(0, lf));
    input.remove_prefix(lf + 1);
  }
  fields.push_back(input);
  fields.resize(n);
  return fields;
}

// Read sizes for a streaming parser, 1 to 64 bytes each, chosen by `seed`, so that each input is
// also decoded in an awkward slicing (splits inside delimiters, CRLFs and signatures).
inline std::vector<std::string_view> Slices(std::string_view input, uint32_t seed) {
  std::vector<std::string_view> slices;
  while (!input.empty()) {
    seed = seed * 1103515245u + 12345u;
    const size_t n = std::min<size_t>(input.size(), 1 + (seed >> 16) % 64);
    slices.push_back(input.substr(0, n));
    input.remove_prefix(n);
  }
  return slices;
}

// A broken invariant: reported like a crash, so that libFuzzer saves the input.
[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

inline void Check(bool condition, const char* what) {
  if (!condition) Fail(what);
}

// An error's message goes into the XML <Error> body and may quote what the client sent: the body
// must stay UTF-8 text that XML 1.0 can carry (no &#N; references to control characters), or
// the client cannot read why it was refused.
inline void CheckMessage(const Error& error) {
  const std::string body = s3::RenderError(error, "/bucket/key", "REQUESTID");
  if (!IsValidUtf8(body) || body.find("&#") != std::string::npos) {
    std::fprintf(stderr, "error body: %s\n", body.c_str());
    Fail("an error body that is not XML text");
  }
}

template <typename T>
void CheckMessage(const Result<T>& result) {
  if (!result.ok()) CheckMessage(result.error());
}

inline void CheckMessage(const Status& status) {
  if (!status.ok()) CheckMessage(status.error());
}

}  // namespace cairn::fuzz
