// One HTTP request/response exchange as the S3 layer sees it: the request head, a body read in
// pieces, and a response written either whole or as a header followed by streamed bytes. The
// session implements it for plain TCP and for TLS; the S3 layer never names Beast types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/awaitable.h"

namespace cairn::http {

struct RequestHead {
  std::string method;  // "GET"
  std::string target;  // raw request target: "/bucket/key?query"
  // Every header, name lowercased, value as received, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  bool keep_alive = true;
  bool expects_continue = false;           // Expect: 100-continue
  std::optional<uint64_t> content_length;  // absent when not sent (and with chunked)
  bool chunked = false;                    // Transfer-Encoding: chunked
  std::string remote_address;
  bool secure = false;  // arrived over TLS

  // The first value of a header (name in lowercase), or nullopt.
  std::optional<std::string_view> Header(std::string_view lowercase_name) const;
};

struct ResponseHead {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  void Set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

class Exchange {
 public:
  virtual ~Exchange() = default;

  virtual const RequestHead& request() const = 0;

  // Sends "100 Continue" if the client asked for it and it was not sent yet. Reading the body
  // sends it implicitly; call it explicitly only to be explicit.
  virtual Awaitable<void> SendContinue() = 0;

  // Reads up to `size` bytes of the (transfer-decoded) request body. Returns 0 at the end of the
  // body. Throws boost::system::system_error on a broken connection or malformed framing.
  virtual Awaitable<size_t> ReadBody(char* buffer, size_t size) = 0;
  // True once the whole body was read.
  virtual bool body_done() const = 0;

  // The writes below throw on a timeout or another failure; a peer that reset or closed its end is
  // no failure of the server's: what is left of the response is dropped without a word and the
  // connection ends after the exchange.
  // Writes a complete response with `body` (Content-Length is added).
  virtual Awaitable<void> Respond(ResponseHead head, std::string_view body) = 0;
  // Writes the head of a response whose body of `content_length` bytes follows through
  // WriteBody/SendFile calls.
  virtual Awaitable<void> RespondHead(ResponseHead head, uint64_t content_length) = 0;
  virtual Awaitable<void> WriteBody(std::string_view bytes) = 0;
  // Whether SendFile may be called: the connection sends a file's bytes without copying them
  // (plain TCP, sendfile(2)). Over TLS the bytes must pass through user space anyway, so callers
  // read them into buffers off the event loop and WriteBody them instead.
  virtual bool sends_files() const = 0;
  // Sends `length` bytes of file `fd` from `offset`, zero-copy. Only when sends_files().
  virtual Awaitable<void> SendFile(int fd, uint64_t offset, uint64_t length) = 0;
  // True once a response head was written (an error can then no longer be reported as XML).
  virtual bool response_started() const = 0;
  // Close the connection after this exchange (e.g. an unread body we refuse to drain).
  virtual void CloseAfterResponse() = 0;

  // What went over the wire so far, for metrics and the access log: the status of the response
  // (0 before one was started), body bytes received, bytes sent (heads included).
  virtual int response_status() const = 0;
  virtual uint64_t bytes_received() const = 0;
  virtual uint64_t bytes_sent() const = 0;
};

}  // namespace cairn::http
