#include "s3/r2_binding/verified_body.h"

#include "common/encoding.h"

namespace cairn::s3::binding {

VerifiedBody::VerifiedBody(core::BodySource& inner, std::unique_ptr<Hasher> hasher,
                           std::string name, std::string expected)
    : inner_(inner),
      hasher_(std::move(hasher)),
      name_(std::move(name)),
      expected_(std::move(expected)) {}

Awaitable<Result<std::string_view>> VerifiedBody::Next() {
  Result<std::string_view> piece = co_await inner_.Next();
  if (!piece.ok() || !piece->empty()) {
    if (piece.ok()) hasher_->Update(*piece);
    co_return piece;
  }
  const std::string actual = hasher_->Finish();
  actual_hex_ = HexEncode(actual);
  if (actual != expected_) {
    // R2's wording (its BadDigest message names the algorithm and both values).
    co_return Error(ErrorCode::kBadDigest,
                    "The " + name_ + " checksum you specified did not match what we received.\n" +
                        "You provided a " + name_ + " checksum with value: " +
                        HexEncode(expected_) + "\nActual " + name_ + " was: " + actual_hex_);
  }
  co_return piece;
}

}  // namespace cairn::s3::binding
