// x-amz-meta-* values: RFC 2047 encoded words decoded as R2 does, then the metadata size rule.
#include "core/metadata_rules.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value = cairn::fuzz::AsText(data, size);
  const std::string decoded = cairn::core::DecodeRfc2047(value);
  // Latin-1 to UTF-8 at most doubles a byte; nothing else makes text longer.
  cairn::fuzz::Check(decoded.size() <= 2 * value.size(), "decoding made the value grow");
  cairn::fuzz::CheckMessage(cairn::core::ValidateUserMetadata({{"x-amz-meta-fuzz", decoded}}));
  cairn::fuzz::CheckMessage(cairn::core::NormalizeStorageClass(value));
  return 0;
}
