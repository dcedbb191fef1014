// Shared by the harnesses: how one fuzz input becomes the several pieces a parser takes, and how
// a streaming parser's input is cut into reads. The text forms keep every seed file readable and
// writable by hand (fuzz/make_corpus.py writes them from the unit tests' inputs).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>
#include <vector>

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

}  // namespace cairn::fuzz
