// Listener and per-connection session. A session reads a request head (Beast parser with a header
// limit), wraps the connection in an Exchange and awaits the handler; the handler decides whether
// and how the body is read (authentication first, then 100-continue, then streaming). Responses are
// written as raw bytes so GET can follow its head with sendfile(2).
#include "http/server.h"

#include <spdlog/spdlog.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <type_traits>

#include "common/ascii.h"
#include "common/header_field.h"
#include "common/log_text.h"
#include "http/status_text.h"

namespace cairn::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr size_t kMaxDrainBytes = 1 << 20;  // unread bodies larger than this close the connection
constexpr size_t kChunkedReadBuffer = 256 * 1024;  // Beast reads at most this much per read

std::string SerializeHead(const ResponseHead& head, uint64_t content_length, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(head.status) + " ";
  out += StatusText(head.status);
  out += "\r\n";
  for (const auto& [name, value] : head.headers) {
    // The last line of defence against response splitting: the layers above refuse such values
    // where they come in. Here the response's status and framing are already decided (a GET's
    // body may follow by sendfile), so the header is left out rather than the answer changed.
    if (!IsHeaderToken(name) || !IsHeaderValueSafe(value)) {
      spdlog::error("response header '{}: {}' left out: not a valid HTTP header", LogSafe(name),
                    LogSafe(value));
      continue;
    }
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  // 304 and 1xx carry no body and no Content-Length of their own.
  if (head.status != 304) out += "Content-Length: " + std::to_string(content_length) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

template <typename Stream>
beast::tcp_stream& Lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

template <typename Stream>
class BasicExchange final : public Exchange {
 public:
  BasicExchange(Stream& stream, beast::flat_buffer& buffer,
                bhttp::request_parser<bhttp::buffer_body>& parser, RequestHead head,
                const ServerOptions& options)
      : stream_(stream),
        buffer_(buffer),
        parser_(parser),
        head_(std::move(head)),
        options_(options) {}

  const RequestHead& request() const override { return head_; }
  bool keep_alive() const { return head_.keep_alive && !close_; }
  bool body_done() const override {
    return head_.chunked ? parser_.is_done() : sized_body_left_ == 0;
  }
  bool response_started() const override { return response_started_; }
  void CloseAfterResponse() override { close_ = true; }
  int response_status() const override { return status_; }
  uint64_t bytes_received() const override { return received_; }
  uint64_t bytes_sent() const override { return sent_; }

  Awaitable<void> SendContinue() override {
    if (!head_.expects_continue || continue_sent_ || response_started_) co_return;
    continue_sent_ = true;
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    co_await Write(kContinue);
  }

  // A body with a Content-Length is read straight into the caller's buffer (bytes the head's
  // read already buffered first), in reads as large as the buffer: no copy through Beast's
  // buffer, and no 512-byte reads while Beast's buffer is small. Chunked bodies go through the
  // parser, which removes the framing.
  Awaitable<size_t> ReadBody(char* data, size_t size) override {
    if (body_done() || size == 0) co_return 0;
    co_await SendContinue();
    if (!head_.chunked) {
      const size_t n = co_await ReadSized(data, size);
      received_ += n;
      co_return n;
    }
    if (buffer_.capacity() < kChunkedReadBuffer) buffer_.reserve(kChunkedReadBuffer);
    auto& body = parser_.get().body();
    body.data = data;
    body.size = size;
    beast::error_code ec;
    Lowest(stream_).expires_after(options_.io_timeout);
    co_await bhttp::async_read(stream_, buffer_, parser_, asio::redirect_error(use_awaitable, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) {
      close_ = true;
      throw beast::system_error(ec);
    }
    received_ += size - body.size;
    co_return size - body.size;
  }

  // The head and the body leave in one gather write: the body is not copied behind the head.
  Awaitable<void> Respond(ResponseHead head, std::string_view body) override {
    PrepareToRespond(head.status);
    const std::string serialized = SerializeHead(head, body.size(), keep_alive());
    if (head_.method == "HEAD") body = {};
    const std::array<asio::const_buffer, 2> pieces{asio::buffer(serialized),
                                                  asio::buffer(body.data(), body.size())};
    co_await WriteBuffers(pieces);
  }

  Awaitable<void> RespondHead(ResponseHead head, uint64_t content_length) override {
    PrepareToRespond(head.status);
    co_await Write(SerializeHead(head, content_length, keep_alive()));
  }

  Awaitable<void> WriteBody(std::string_view bytes) override { co_await Write(bytes); }

  Awaitable<void> SendFile(int fd, uint64_t offset, uint64_t length) override {
    if constexpr (std::is_same_v<Stream, PlainStream>) {
      co_await SendFileZeroCopy(fd, offset, length);
    } else {
      co_await SendFileCopying(fd, offset, length);
    }
  }

 private:
  // An unread body is drained before the next request when small; a large one closes the
  // connection instead (the client is told with Connection: close).
  void PrepareToRespond(int status) {
    response_started_ = true;
    status_ = status;
    if (body_done()) return;
    // A client that waits for 100 Continue will not send the body after a final response.
    if (head_.expects_continue && !continue_sent_) close_ = true;
    if (head_.chunked || sized_body_left_ > kMaxDrainBytes) close_ = true;
  }

  Awaitable<void> Write(std::string_view bytes) {
    co_await WriteBuffers(asio::buffer(bytes.data(), bytes.size()));
  }

  // Any sequence of buffers, in one gather write (taken by value: it outlives the suspension).
  template <typename ConstBufferSequence>
  Awaitable<void> WriteBuffers(ConstBufferSequence buffers) {
    Lowest(stream_).expires_after(options_.io_timeout);
    co_await asio::async_write(stream_, buffers, use_awaitable);
    sent_ += asio::buffer_size(buffers);
  }

  Awaitable<size_t> ReadSized(char* data, size_t size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(size, sized_body_left_));
    size_t got = 0;
    if (buffer_.size() > 0) {
      got = asio::buffer_copy(asio::buffer(data, want), buffer_.data());
      buffer_.consume(got);
    }
    if (got < want) {
      beast::error_code ec;
      Lowest(stream_).expires_after(options_.io_timeout);
      size_t n = co_await asio::async_read(stream_, asio::buffer(data + got, want - got),
                                           asio::redirect_error(use_awaitable, ec));
      got += n;
      if (ec) {
        close_ = true;
        sized_body_left_ -= got;
        throw beast::system_error(ec);
      }
    }
    sized_body_left_ -= got;
    co_return got;
  }

  Awaitable<void> SendFileZeroCopy(int fd, uint64_t offset, uint64_t length) {
    auto& socket = stream_.socket();
    socket.native_non_blocking(true);
    while (length > 0) {
      off_t off = static_cast<off_t>(offset);
      size_t count = static_cast<size_t>(std::min<uint64_t>(length, 1ull << 30));
      ssize_t n = ::sendfile(socket.native_handle(), fd, &off, count);
      if (n > 0) {
        offset += static_cast<uint64_t>(n);
        length -= static_cast<uint64_t>(n);
        sent_ += static_cast<uint64_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        co_await socket.async_wait(tcp::socket::wait_write, use_awaitable);
      } else if (n == 0) {
        close_ = true;
        throw std::runtime_error("blob file is shorter than its extent");
      } else {
        close_ = true;
        throw beast::system_error(beast::error_code(errno, boost::system::system_category()));
      }
    }
  }

  Awaitable<void> SendFileCopying(int fd, uint64_t offset, uint64_t length) {
    std::string buffer(256 * 1024, '\0');
    while (length > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(length, buffer.size()));
      ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close_ = true;
        throw std::runtime_error("blob read failed");
      }
      co_await Write(std::string_view(buffer.data(), static_cast<size_t>(n)));
      offset += static_cast<uint64_t>(n);
      length -= static_cast<uint64_t>(n);
    }
  }

  Stream& stream_;
  beast::flat_buffer& buffer_;
  bhttp::request_parser<bhttp::buffer_body>& parser_;
  RequestHead head_;
  const ServerOptions& options_;
  uint64_t sized_body_left_ = head_.content_length.value_or(0);
  bool continue_sent_ = false;
  bool response_started_ = false;
  int status_ = 0;
  uint64_t received_ = 0;
  uint64_t sent_ = 0;
  bool close_ = false;
};

RequestHead MakeHead(const bhttp::request_parser<bhttp::buffer_body>& parser,
                     const std::string& remote, bool secure) {
  const auto& req = parser.get();
  RequestHead head;
  head.method = std::string(req.method_string());
  head.target = std::string(req.target());
  head.keep_alive = req.keep_alive();
  head.remote_address = remote;
  head.secure = secure;
  for (const auto& field : req) {
    auto name = field.name_string();
    auto value = field.value();
    head.headers.emplace_back(AsciiLowercase(std::string_view(name.data(), name.size())),
                              std::string(value.data(), value.size()));
  }
  if (auto expect = head.Header("expect"); expect && AsciiLowercase(*expect) == "100-continue") {
    head.expects_continue = true;
  }
  head.chunked = parser.chunked();
  if (auto len = parser.content_length()) head.content_length = *len;
  return head;
}

// A response for requests the HTTP layer rejects before any handler sees them.
std::string ProtocolError(int status, std::string_view code, std::string_view message) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" +
                     std::string(code) + "</Code><Message>" + std::string(message) +
                     "</Message></Error>";
  ResponseHead head;
  head.status = status;
  head.Set("Content-Type", "application/xml");
  return SerializeHead(head, body.size(), false) + body;
}

template <typename Stream>
Awaitable<void> RunSession(Stream& stream, const ServerOptions& options, const Handler& handler,
                           std::string remote) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::buffer_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // The S3 layer enforces object size limits itself. (Not boost::none: Beast 1.74 compares the
    // Content-Length against the optional and treats none as smaller than any length.)
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    Lowest(stream).expires_after(options.idle_timeout);
    beast::error_code ec;
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    // A buffer_body parser reports need_buffer once the head is complete but before any body
    // buffer was given: that is success here.
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec == bhttp::error::header_limit) {
      std::string out =
          ProtocolError(431, "RequestHeaderSectionTooLarge",
                        "Your request header section exceeds the maximum allowed size.");
      co_await asio::async_write(stream, asio::buffer(out),
                                 asio::redirect_error(use_awaitable, ec));
      co_return;
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      spdlog::warn("unparseable request from {}: {}", remote, ec.message());
      std::string out =
          ProtocolError(400, "BadRequest", "The request could not be parsed as HTTP/1.1.");
      co_await asio::async_write(stream, asio::buffer(out),
                                 asio::redirect_error(use_awaitable, ec));
      co_return;
    }
    BasicExchange<Stream> exchange(stream, buffer, parser,
                                   MakeHead(parser, remote, options.tls != nullptr), options);
    co_await handler(exchange);
    if (!exchange.keep_alive()) co_return;
    // Drain what the handler left unread (bounded by PrepareToRespond's decision).
    char sink[16 * 1024];
    while (!exchange.body_done()) co_await exchange.ReadBody(sink, sizeof sink);
  }
}

}  // namespace

struct Server::Impl {
  explicit Impl(asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
};

Server::Server(EventLoops& loops, ServerOptions options, Handler handler)
    : loops_(loops),
      options_(std::move(options)),
      handler_(std::move(handler)),
      impl_(std::make_shared<Impl>(loops.primary())) {}

unsigned short Server::Start() {
  tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(loops_.primary(), AcceptLoop(), asio::detached);
  return acceptor.local_endpoint().port();
}

void Server::Stop() {
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

Awaitable<void> Server::AcceptLoop() {
  auto impl = impl_;
  for (;;) {
    beast::error_code ec;
    // No strand: a connection's loop is run by one thread.
    tcp::socket socket = co_await impl->acceptor.async_accept(
        loops_.NextForConnection(), asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::string remote;
    if (auto ep = socket.remote_endpoint(ec); !ec) remote = ep.address().to_string();
    auto executor = socket.get_executor();
    auto session = [this, socket = std::move(socket), remote]() mutable -> Awaitable<void> {
      try {
        if (options_.tls) {
          TlsStream stream(beast::tcp_stream(std::move(socket)), *options_.tls);
          Lowest(stream).expires_after(options_.io_timeout);
          co_await stream.async_handshake(asio::ssl::stream_base::server, use_awaitable);
          co_await RunSession(stream, options_, handler_, remote);
          beast::error_code ignored;
          Lowest(stream).expires_after(std::chrono::seconds(5));
          co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ignored));
        } else {
          PlainStream stream(std::move(socket));
          co_await RunSession(stream, options_, handler_, remote);
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
      } catch (const std::exception& e) {
        spdlog::debug("connection from {} ended: {}", remote, LogSafe(e.what()));
      }
    };
    asio::co_spawn(executor, std::move(session), asio::detached);
  }
}

std::optional<std::string_view> RequestHead::Header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace cairn::http
