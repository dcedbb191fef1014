// A put's value checked against a SHA-384 or SHA-512 digest the Worker promised. S3 has no such
// checksums, so the core's integrity checker does not know them: the digest is computed here as
// the bytes pass on to be stored, and a mismatch ends the body with BadDigest, so that nothing of
// it is kept.
#pragma once

#include <memory>
#include <string>

#include "common/hashing.h"
#include "core/body_source.h"

namespace cairn::s3::binding {

class VerifiedBody final : public core::BodySource {
 public:
  // `name` is the algorithm as R2's message names it ("SHA-384"); `expected` the raw digest.
  VerifiedBody(core::BodySource& inner, std::unique_ptr<Hasher> hasher, std::string name,
               std::string expected);

  std::optional<uint64_t> declared_size() const override { return inner_.declared_size(); }
  Awaitable<Result<std::string_view>> Next() override;
  size_t pieces_kept() const override { return inner_.pieces_kept(); }
  const core::Trailers& trailers() const override { return inner_.trailers(); }

  // The digest of the whole body (hex), once Next() returned its end.
  const std::string& actual_hex() const { return actual_hex_; }

 private:
  core::BodySource& inner_;
  std::unique_ptr<Hasher> hasher_;
  std::string name_;
  std::string expected_;
  std::string actual_hex_;
};

}  // namespace cairn::s3::binding
