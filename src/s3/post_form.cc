#include "s3/post_form.h"

#include "common/ascii.h"

namespace cairn::s3 {
namespace {

// Room in a form's body for what is not the file: the fields before it (64 KiB at most) and
// the framing and ignored fields after it.
constexpr uint64_t kFormOverhead = 1 << 20;

constexpr std::string_view kFileField = "file";

Error TooMuchBeforeFile() {
  return Error(ErrorCode::kMaxPostPreDataLengthExceededError,
               "Your POST request fields preceding the upload file were too large (at most " +
                   std::to_string(PostFormReader::kMaxFieldBytes / 1024) + " KiB a field, " +
                   std::to_string(PostFormReader::kMaxBytesBeforeFile / 1024) + " KiB in all).");
}

}  // namespace

Result<std::unique_ptr<PostFormReader>> PostFormReader::Open(RequestContext& ctx,
                                                             uint64_t max_file_size) {
  Result<std::string> boundary = FormDataBoundary(ctx.Header("content-type").value_or(""));
  if (!boundary.ok()) return boundary.error();
  auto payload = PayloadReader::Open(ctx, max_file_size + kFormOverhead,
                                     PayloadReader::Framing::kLengthRequired);
  if (!payload.ok()) return payload.error();
  return std::unique_ptr<PostFormReader>(
      new PostFormReader(std::move(*payload), std::move(*boundary), max_file_size));
}

std::optional<std::string_view> PostFormReader::Field(std::string_view lowercase_name) const {
  for (const auto& [name, value] : fields_) {
    if (name == lowercase_name) return std::string_view(value);
  }
  return std::nullopt;
}

Awaitable<Result<FormDataParser::Event>> PostFormReader::NextEvent() {
  for (;;) {
    size_t used = 0;
    Result<FormDataParser::Event> event = parser_.Next(input_, &used);
    if (!event.ok()) co_return event.error();
    input_.remove_prefix(used);
    consumed_ += used;
    if (event->kind == FormDataParser::EventKind::kEnd) continue;  // skip the epilogue
    if (event->kind != FormDataParser::EventKind::kNeedInput) co_return event;

    if (body_ended_) {
      if (Status s = parser_.Finish(); !s.ok()) co_return s.error();
      co_return FormDataParser::Event{FormDataParser::EventKind::kEnd, {}};
    }
    // Keep what the parser could not decide on yet (at most a part's headers or a partial
    // delimiter), then read on: parse straight from the payload's buffer when nothing is kept.
    std::string kept(input_);
    carry_.swap(kept);
    Result<std::string_view> piece = co_await payload_->Next();
    if (!piece.ok()) co_return piece.error();
    if (piece->empty()) {
      body_ended_ = true;
    } else if (carry_.empty()) {
      input_ = *piece;
      continue;
    } else {
      carry_.append(*piece);
    }
    input_ = carry_;
  }
}

Awaitable<Status> PostFormReader::ReadFields() {
  for (;;) {
    Result<FormDataParser::Event> event = co_await NextEvent();
    if (!event.ok()) co_return event.error();
    if (consumed_ > kMaxBytesBeforeFile) co_return TooMuchBeforeFile();
    switch (event->kind) {
      case FormDataParser::EventKind::kPartStart: {
        std::string name = AsciiLowercase(parser_.part().name);
        if (name == kFileField) {
          filename_ = parser_.part().filename;
          co_return Status::Ok();
        }
        if (Field(name)) {
          co_return Error(ErrorCode::kInvalidArgument,
                          "The form has the field '" + name + "' more than once.");
        }
        fields_.emplace_back(std::move(name), std::string());
        break;
      }
      case FormDataParser::EventKind::kPartData: {
        std::string& value = fields_.back().second;
        if (value.size() + event->data.size() > kMaxFieldBytes) co_return TooMuchBeforeFile();
        value.append(event->data);
        break;
      }
      case FormDataParser::EventKind::kPartEnd:
        break;
      case FormDataParser::EventKind::kEnd:
      case FormDataParser::EventKind::kNeedInput:
        co_return Error(ErrorCode::kIncorrectNumberOfFilesInPostRequest,
                        "POST requires exactly one file upload per request: the form has no "
                        "'file' field.");
    }
  }
}

Awaitable<Result<std::string_view>> PostFormReader::Next() {
  while (!file_ended_) {
    Result<FormDataParser::Event> event = co_await NextEvent();
    if (!event.ok()) co_return event.error();
    if (event->kind == FormDataParser::EventKind::kPartData) {
      file_size_ += event->data.size();
      if (file_size_ > max_file_size_) co_return Error(ErrorCode::kEntityTooLarge);
      if (Status s = core::CheckContentLength(range_, file_size_, false); !s.ok()) {
        co_return s.error();
      }
      co_return event->data;
    }
    // The parser ends a part before anything else can happen: this is the file's end.
    file_ended_ = true;
    if (Status s = core::CheckContentLength(range_, file_size_, true); !s.ok()) co_return s.error();
  }
  if (Status s = co_await SkipRest(); !s.ok()) co_return s.error();
  co_return std::string_view();
}

Awaitable<Status> PostFormReader::SkipRest() {
  for (;;) {
    Result<FormDataParser::Event> event = co_await NextEvent();
    if (!event.ok()) co_return event.error();
    if (event->kind == FormDataParser::EventKind::kEnd) co_return Status::Ok();
  }
}

}  // namespace cairn::s3
