// x-amz-meta-* values: RFC 2047 encoded words decoded as R2 does, then the metadata size rule, and
// the encoding cairn answers with: printable ASCII that decodes back to the value.
#include "common/metadata_encoding.h"
#include "common/utf8.h"
#include "core/metadata_rules.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view value = cairn::fuzz::AsText(data, size);
  const std::string decoded = cairn::DecodeMetadataValue(value);
  // Latin-1 to UTF-8 at most doubles a byte; nothing else makes text longer.
  cairn::fuzz::Check(decoded.size() <= 2 * value.size(), "decoding made the value grow");
  cairn::fuzz::CheckMessage(cairn::core::ValidateUserMetadata({{"x-amz-meta-fuzz", decoded}}));
  cairn::fuzz::CheckMessage(cairn::core::NormalizeStorageClass(value));
  if (cairn::IsValidUtf8(value)) {
    const std::string sent = cairn::EncodeMetadataValue(value);
    for (unsigned char c : sent) {
      cairn::fuzz::Check(c >= 0x20 && c < 0x7f, "an encoded value that is not printable ASCII");
    }
    cairn::fuzz::Check(
        cairn::DecodeMetadataValue(sent) == value || !cairn::NeedsEncodedWords(value),
        "an encoded value that does not decode back");
  }
  return 0;
}
