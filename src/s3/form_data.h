// multipart/form-data (RFC 7578 over RFC 2046's multipart framing), parsed incrementally so that a
// browser's form upload streams: the caller owns the bytes, the parser says how many it used and
// what they were (a part's headers, a run of a part's body, a part's end). A part's body never
// includes its closing delimiter ("\r\n--boundary"), even when a read ends inside it: bytes that
// could still turn out to be the delimiter are held back until the next read decides.
//
// Strict where framing is ambiguous (CRLF line ends, Content-Disposition on every part), lenient
// where RFCs allow variety (a preamble and epilogue, transport padding after a boundary, folded
// header lines, quoted or token parameters, RFC 5987 `filename*`).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace cairn::s3 {

// The boundary of a `Content-Type: multipart/form-data; boundary=...` header (quoted or not).
// Errors: PreconditionFailed for another media type (S3: "Bucket POST must be of the
// enclosure-type multipart/form-data"), MalformedPOSTRequest for a missing or invalid boundary
// (RFC 2046: 1 to 70 characters, not ending in a space).
Result<std::string> FormDataBoundary(std::string_view content_type);

// The headers of one part, from its Content-Disposition (RFC 7578 section 4.2).
struct FormPart {
  std::string name;                     // the field name as sent (case kept)
  std::optional<std::string> filename;  // present for file inputs; `filename*` wins when decodable
  std::string content_type;             // the part's Content-Type, empty when absent
  std::vector<std::pair<std::string, std::string>> headers;  // lowercase names, unfolded values
};

class FormDataParser {
 public:
  // A part's header section larger than this is refused (it is text a browser writes: a name,
  // a filename and a type).
  static constexpr size_t kMaxPartHeaderBytes = 16 * 1024;

  explicit FormDataParser(std::string boundary);

  enum class EventKind {
    kNeedInput,  // nothing more can be decided without more bytes (keep the unconsumed rest)
    kPartStart,  // part() holds the headers of a new part
    kPartData,   // `data` is a run of the current part's body
    kPartEnd,    // the current part's body ended
    kEnd,        // the close delimiter was seen; what follows is the epilogue, ignored
  };
  struct Event {
    EventKind kind = EventKind::kNeedInput;
    std::string_view data;  // kPartData only: a view into the input given to Next()
  };

  // Parses from the start of `input` and returns the next event. `*consumed` is how many bytes
  // of `input` were used up; the caller drops them and passes the rest, with further bytes
  // appended, to the next call. After kEnd, every byte is consumed (the epilogue).
  // Errors: MalformedPOSTRequest, naming what was wrong.
  Result<Event> Next(std::string_view input, size_t* consumed);

  // The input has ended: MalformedPOSTRequest unless the close delimiter was seen.
  Status Finish() const;

  const FormPart& part() const { return part_; }
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kStart, kPreamble, kAfterBoundary, kHeaders, kBody, kDone };

  Result<Event> AfterBoundary(std::string_view input, size_t* consumed);
  Result<Event> Headers(std::string_view input, size_t* consumed);
  Event Body(std::string_view input, size_t* consumed);
  // Where in `input` the bytes start that may be the beginning of `delimiter_` (input.size()
  // when none may).
  size_t HoldBackFrom(std::string_view input) const;

  std::string delimiter_;  // "\r\n--" + boundary
  State state_ = State::kStart;
  size_t padding_ = 0;  // transport padding seen after the current boundary
  FormPart part_;
};

}  // namespace cairn::s3
