// The body of a POST Object request as the handler reads it, front to back and never whole: the
// text fields before the file (small, kept, bounded as S3 bounds them), then the file's bytes as
// a core::BodySource that IngestBody streams into a blob, then the rest of the body, whose fields
// S3 ignores. The file's source ends only once the body ended with its close delimiter, so a blob
// is never committed from a malformed body.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/body_source.h"
#include "core/post_policy.h"
#include "s3/context.h"
#include "s3/form_data.h"
#include "s3/payload.h"

namespace cairn::s3 {

class PostFormReader final : public core::BodySource {
 public:
  // What the fields before the file may hold: one value at most 20 KiB, and everything before
  // the file's bytes (framing included) at most 64 KiB.
  static constexpr size_t kMaxFieldBytes = 20 * 1024;
  static constexpr size_t kMaxBytesBeforeFile = 64 * 1024;

  // Checks the Content-Type (PreconditionFailed, MalformedPOSTRequest) and the body's framing
  // (MissingContentLength; EntityTooLarge when it cannot fit a file of `max_file_size`).
  static Result<std::unique_ptr<PostFormReader>> Open(RequestContext& ctx, uint64_t max_file_size);

  // Reads the fields up to the file part's headers. Errors: MalformedPOSTRequest,
  // MaxPostPreDataLengthExceededError, InvalidArgument (a field given twice),
  // IncorrectNumberOfFilesInPostRequest (the form has no `file` field).
  Awaitable<Status> ReadFields();

  // The fields before the file, names lowercased, in form order.
  const core::FormFields& fields() const { return fields_; }
  std::optional<std::string_view> Field(std::string_view lowercase_name) const;
  // The file part's filename parameter, when it has one.
  const std::optional<std::string>& filename() const { return filename_; }

  // The file must fit `range` (the policy's content-length-range): checked as its bytes arrive
  // (EntityTooLarge) and when it ends (EntityTooSmall).
  void LimitFileSize(core::ContentLengthRange range) { range_ = range; }

  // core::BodySource: the file's bytes, after ReadFields() succeeded. Next() is empty once the file
  // ended, fitted its limits, and the rest of the body was read to the close delimiter.
  std::optional<uint64_t> declared_size() const override { return payload_->declared_size(); }
  Awaitable<Result<std::string_view>> Next() override;
  const core::Trailers& trailers() const override { return no_trailers_; }

 private:
  PostFormReader(std::unique_ptr<PayloadReader> payload, std::string boundary,
                 uint64_t max_file_size)
      : payload_(std::move(payload)), parser_(std::move(boundary)), max_file_size_(max_file_size) {}

  // The next parser event, reading the body as needed. kEnd only once the body has ended after
  // its close delimiter; the epilogue is skipped.
  Awaitable<Result<FormDataParser::Event>> NextEvent();
  // Reads and discards everything after the file (S3 ignores fields after it).
  Awaitable<Status> SkipRest();

  std::unique_ptr<PayloadReader> payload_;
  FormDataParser parser_;
  uint64_t max_file_size_;
  std::string carry_;       // bytes the parser has not consumed yet, kept across body reads
  std::string_view input_;  // what the parser has yet to consume: in carry_ or the payload's buffer
  bool body_ended_ = false;
  uint64_t consumed_ = 0;  // bytes of the body the parser consumed
  core::FormFields fields_;
  std::optional<std::string> filename_;
  core::ContentLengthRange range_;
  uint64_t file_size_ = 0;
  bool file_ended_ = false;
  const core::Trailers no_trailers_;
};

}  // namespace cairn::s3
