// Listener and per-connection session. A session reads a request head (Beast parser with a header
// limit), wraps the connection in an Exchange and awaits the handler; the handler decides whether
// and how the body is read (authentication first, then 100-continue, then streaming). Responses are
// written as raw bytes so GET can follow its head with sendfile(2). Each connection is registered
// with its server so that Stop can close the idle ones and CloseAll the rest.
#include "http/server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <type_traits>
#include <unordered_set>

#include "common/ascii.h"
#include "common/header_field.h"
#include "common/log_text.h"
#include "http/request_head.h"
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
// Beast keeps a chunk-size line (with its extensions) or a whole trailer section in the session's
// buffer until it ends: without a ceiling a client that never ends one grows the buffer for as
// long as it sends. At the ceiling the read fails with buffer_overflow. It is the chunked bodies'
// buffer size, so their reads are as large as before.
constexpr size_t kSessionBufferLimit = kChunkedReadBuffer;

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

// A connection as Server::Stop and CloseAll reach it from another thread: they post to its
// executor, and the fields are touched only on that executor's (single) thread.
struct Connection {
  explicit Connection(asio::any_io_executor e) : executor(std::move(e)) {}
  const asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;  // set while the session runs
  bool idle = false;                    // waiting for a request head
};

// sendfile(2) on a full socket waits for it to become writable outside the stream's timer; this
// bounds each such wait by the I/O timeout. One timer serves a whole SendFile: made at the first
// wait (a send that never waits has none), armed then and re-armed only when it fires early, so a
// fast client's many short waits cost no timer call each. Its handler may run after the send is
// over, hence the shared state.
class WritableWait {
 public:
  WritableWait(tcp::socket& socket, std::chrono::steady_clock::duration timeout)
      : socket_(socket), timeout_(timeout) {}
  WritableWait(const WritableWait&) = delete;
  WritableWait& operator=(const WritableWait&) = delete;
  ~WritableWait() {
    if (!state_) return;
    state_->socket = nullptr;
    if (state_->armed) state_->timer.cancel();
  }

  // Throws beast::error::timeout when the socket stays full for the whole timeout.
  Awaitable<void> operator()() {
    if (!state_) state_ = std::make_shared<State>(socket_, timeout_);
    State& s = *state_;
    s.waiting_since = std::chrono::steady_clock::now();
    if (!s.armed) Arm(state_, *s.waiting_since + s.timeout);
    beast::error_code ec;
    co_await s.socket->async_wait(tcp::socket::wait_write, asio::redirect_error(use_awaitable, ec));
    s.waiting_since.reset();
    if (s.timed_out) throw beast::system_error(beast::error::timeout);
    if (ec) throw beast::system_error(ec);
  }

 private:
  struct State {
    State(tcp::socket& s, std::chrono::steady_clock::duration t)
        : socket(&s), timeout(t), timer(s.get_executor()) {}
    tcp::socket* socket;  // null once the send is over
    const std::chrono::steady_clock::duration timeout;
    asio::steady_timer timer;
    std::optional<std::chrono::steady_clock::time_point> waiting_since;
    bool armed = false;
    bool timed_out = false;
  };

  static void Arm(const std::shared_ptr<State>& state, std::chrono::steady_clock::time_point at) {
    state->armed = true;
    state->timer.expires_at(at);
    state->timer.async_wait([state](beast::error_code ec) {
      state->armed = false;
      if (ec || state->socket == nullptr || !state->waiting_since) return;
      const auto due = *state->waiting_since + state->timeout;
      if (std::chrono::steady_clock::now() < due) return Arm(state, due);  // a later wait's
      state->timed_out = true;
      beast::error_code ignored;
      state->socket->cancel(ignored);
    });
  }

  tcp::socket& socket_;
  const std::chrono::steady_clock::duration timeout_;
  std::shared_ptr<State> state_;
};

template <typename Stream>
class BasicExchange final : public Exchange {
 public:
  BasicExchange(Stream& stream, beast::flat_buffer& buffer, RequestParser& parser, RequestHead head,
                const ServerOptions& options, const std::atomic<bool>& stopping)
      : stream_(stream),
        buffer_(buffer),
        parser_(parser),
        head_(std::move(head)),
        options_(options),
        stopping_(stopping) {}

  const RequestHead& request() const override { return head_; }
  // A stopping server ends each connection after its exchange in flight.
  bool keep_alive() const {
    return head_.keep_alive && !close_ && !stopping_.load(std::memory_order_relaxed);
  }
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
    const std::string_view interim = PrepareToRespond(head.status);
    const std::string serialized = SerializeHead(head, body.size(), keep_alive());
    if (head_.method == "HEAD") body = {};
    const std::array<asio::const_buffer, 3> pieces{asio::buffer(interim), asio::buffer(serialized),
                                                   asio::buffer(body.data(), body.size())};
    co_await WriteBuffers(pieces);
  }

  Awaitable<void> RespondHead(ResponseHead head, uint64_t content_length) override {
    const std::string_view interim = PrepareToRespond(head.status);
    const std::string serialized = SerializeHead(head, content_length, keep_alive());
    const std::array<asio::const_buffer, 2> pieces{asio::buffer(interim), asio::buffer(serialized)};
    co_await WriteBuffers(pieces);
  }

  Awaitable<void> WriteBody(std::string_view bytes) override { co_await Write(bytes); }

  bool sends_files() const override { return std::is_same_v<Stream, PlainStream>; }

  Awaitable<void> SendFile(int fd, uint64_t offset, uint64_t length) override {
    if constexpr (std::is_same_v<Stream, PlainStream>) {
      co_await SendFileZeroCopy(fd, offset, length);
    } else {
      throw std::logic_error("SendFile over TLS: the caller must check sends_files()");
    }
  }

 private:
  static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

  // An unread body is drained before the next request when small; a large one closes the
  // connection instead (the client is told with Connection: close). Returns what must go before
  // the response: 100 Continue for an empty body that was expected to need one, as S3 sends it.
  // botocore otherwise keeps that response's status line for the next response on the connection
  // and waits for ever (boto3 sends Expect: 100-continue with an empty PutObject).
  std::string_view PrepareToRespond(int status) {
    response_started_ = true;
    status_ = status;
    if (body_done()) {
      if (!head_.expects_continue || continue_sent_ || head_.chunked) return {};
      continue_sent_ = true;
      return kContinue;
    }
    // A client that waits for 100 Continue will not send the body after a final response.
    if (head_.expects_continue && !continue_sent_) close_ = true;
    if (head_.chunked || sized_body_left_ > kMaxDrainBytes) close_ = true;
    return {};
  }

  Awaitable<void> Write(std::string_view bytes) {
    co_await WriteBuffers(asio::buffer(bytes.data(), bytes.size()));
  }

  // Any sequence of buffers, in one gather write (taken by value: it outlives the suspension).
  template <typename ConstBufferSequence>
  Awaitable<void> WriteBuffers(ConstBufferSequence buffers) {
    if (peer_gone_) co_return;
    beast::error_code ec;
    Lowest(stream_).expires_after(options_.io_timeout);
    sent_ += co_await asio::async_write(stream_, buffers, asio::redirect_error(use_awaitable, ec));
    if (ec) SendFailed(ec);
  }

  // A peer that reset or closed its end (a closed browser tab) ends this connection and nothing
  // more: the rest of the response is dropped without telling the handler, which could not
  // answer anyway, so that it is not reported as a server error. Other failures throw.
  void SendFailed(beast::error_code ec) {
    close_ = true;
    if (ec != asio::error::broken_pipe && ec != asio::error::connection_reset) {
      throw beast::system_error(ec);
    }
    peer_gone_ = true;
    spdlog::debug("connection from {} went away during a response: {}", head_.remote_address,
                  ec.message());
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
    WritableWait wait_writable(socket, options_.io_timeout);
    while (length > 0 && !peer_gone_) {
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
        co_await wait_writable();
      } else if (n == 0) {
        close_ = true;
        throw std::runtime_error("blob file is shorter than its extent");
      } else {
        SendFailed(beast::error_code(errno, boost::system::system_category()));
      }
    }
  }

  Stream& stream_;
  beast::flat_buffer& buffer_;
  RequestParser& parser_;
  RequestHead head_;
  const ServerOptions& options_;
  const std::atomic<bool>& stopping_;
  uint64_t sized_body_left_ = head_.content_length.value_or(0);
  bool continue_sent_ = false;
  bool response_started_ = false;
  int status_ = 0;
  uint64_t received_ = 0;
  uint64_t sent_ = 0;
  bool close_ = false;
  bool peer_gone_ = false;  // a send found the connection reset or closed by the peer
};

// RFC 9112 6.1: chunked is the only transfer coding cairn decodes. Beast decodes the chunks of
// "gzip, chunked" and would hand on the gzip bytes as the body, and takes a request with only
// "gzip" as bodiless, reading its body as the next request.
bool TransferCodingSupported(const RequestHead& head) {
  size_t codings = 0;
  for (const auto& [name, value] : head.headers) {
    if (name != "transfer-encoding") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      const std::string_view coding = TrimOws(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (coding.empty()) continue;  // an empty list element
      if (++codings > 1 || !EqualsIgnoreCase(coding, "chunked")) return false;
    }
  }
  return true;
}

// RFC 9112 3.2: an HTTP/1.1 request carries exactly one Host header, an HTTP/1.0 one at most (1.0
// predates the header, and its clients may leave it out). Two could name different hosts to a
// proxy and to cairn, which chooses the bucket by host. Returns why the request is refused.
std::optional<std::string_view> HostProblem(const RequestHead& head, unsigned version) {
  const auto hosts = std::count_if(head.headers.begin(), head.headers.end(),
                                   [](const auto& header) { return header.first == "host"; });
  if (hosts > 1) return "The request has more than one Host header.";
  if (hosts == 0 && version >= 11) return "Missing required header for this request: Host";
  return std::nullopt;
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

// Writes a connection's last response (a protocol error's, with Connection: close), under the I/O
// timeout like every other write; a failure only ends the connection sooner.
template <typename Stream>
Awaitable<void> WriteLast(Stream& stream, const ServerOptions& options, std::string out) {
  beast::error_code ec;
  Lowest(stream).expires_after(options.io_timeout);
  co_await asio::async_write(stream, asio::buffer(out), asio::redirect_error(use_awaitable, ec));
}

template <typename Stream>
Awaitable<void> RunSession(Stream& stream, const ServerOptions& options, const Handler& handler,
                           std::string remote, Connection& connection,
                           const std::atomic<bool>& stopping) {
  beast::flat_buffer buffer(kSessionBufferLimit);
  for (;;) {
    if (stopping.load(std::memory_order_relaxed)) co_return;
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    // The S3 layer enforces object size limits itself. (Not boost::none: Beast 1.74 compares the
    // Content-Length against the optional and treats none as smaller than any length.)
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    Lowest(stream).expires_after(options.idle_timeout);
    beast::error_code ec;
    connection.idle = true;  // Server::Stop cancels this read
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(use_awaitable, ec));
    connection.idle = false;
    // A buffer_body parser reports need_buffer once the head is complete but before any body
    // buffer was given: that is success here.
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec && stopping.load(std::memory_order_relaxed)) co_return;
    if (ec == bhttp::error::header_limit) {
      co_await WriteLast(
          stream, options,
          ProtocolError(431, "RequestHeaderSectionTooLarge",
                        "Your request header section exceeds the maximum allowed size."));
      co_return;
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted) {
      co_return;
    }
    if (ec) {
      spdlog::warn("unparseable request from {}: {}", remote, ec.message());
      co_await WriteLast(
          stream, options,
          ProtocolError(400, "BadRequest", "The request could not be parsed as HTTP/1.1."));
      co_return;
    }
    RequestHead head = MakeHead(parser, remote, options.tls != nullptr);
    if (!TransferCodingSupported(head)) {
      // The body's framing is unknown, so the connection cannot go on.
      co_await WriteLast(
          stream, options,
          ProtocolError(501, "NotImplemented",
                        "A header you provided implies functionality that is not implemented."));
      co_return;
    }
    if (auto problem = HostProblem(head, parser.get().version())) {
      co_await WriteLast(stream, options, ProtocolError(400, "InvalidRequest", *problem));
      co_return;
    }
    BasicExchange<Stream> exchange(stream, buffer, parser, std::move(head), options, stopping);
    co_await handler(exchange);
    if (!exchange.keep_alive()) co_return;
    // Drain what the handler left unread (bounded by PrepareToRespond's decision).
    char sink[16 * 1024];
    while (!exchange.body_done()) co_await exchange.ReadBody(sink, sizeof sink);
  }
}

// A server's open connections, shared by its accept loop, its sessions and Stop/CloseAll.
struct ConnectionSet {
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  std::unordered_set<std::shared_ptr<Connection>> connections;  // guarded by mu
};

// Keeps a connection in its server's set for as long as its session (coroutine frame) lives, and
// tells Stop and CloseAll which stream to reach.
class Registration {
 public:
  Registration(std::shared_ptr<ConnectionSet> set, std::shared_ptr<Connection> connection)
      : set_(std::move(set)), connection_(std::move(connection)) {}
  Registration(Registration&& other) = default;
  ~Registration() {
    if (!connection_) return;
    connection_->stream = nullptr;
    std::lock_guard lock(set_->mu);
    set_->connections.erase(connection_);
  }
  Connection& connection() { return *connection_; }

 private:
  std::shared_ptr<ConnectionSet> set_;
  std::shared_ptr<Connection> connection_;
};

// Accept errors (out of file descriptors, mostly) wait before the next accept, 10 ms doubling to
// 1 s, and are logged at most once a second: accepting again at once would spin on the same error.
constexpr auto kFirstAcceptPause = std::chrono::milliseconds(10);
constexpr auto kLastAcceptPause = std::chrono::seconds(1);

// A warning that a flood of connections could repeat without end: logged at most once a second,
// with the count of those left out.
class OncePerSecond {
 public:
  void Warn(std::string_view what) {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_) {
      ++suppressed_;
      return;
    }
    if (suppressed_ > 0) {
      spdlog::warn("{} ({} more in the last second)", what, suppressed_);
    } else {
      spdlog::warn("{}", what);
    }
    suppressed_ = 0;
    next_ = now + std::chrono::seconds(1);
  }

 private:
  std::chrono::steady_clock::time_point next_{};
  size_t suppressed_ = 0;
};

// Past the connection cap a plain connection gets a 503 SlowDown (which every S3 SDK retries with
// back-off) and is closed at once: keeping it open to read its request would spend the file
// descriptors the cap is there to save. What already arrived is discarded first so that the close
// sends FIN, not a RST that could destroy the 503 before the client reads it. A TLS connection is
// closed without a word: a handshake is not worth it for a refusal.
void Refuse(tcp::socket& socket, bool tls) {
  static const std::string kSlowDown =
      ProtocolError(503, "SlowDown", "Please reduce your request rate.");
  beast::error_code ignored;
  if (!tls) {
    const int fd = socket.native_handle();
    (void)::send(fd, kSlowDown.data(), kSlowDown.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    char sink[4096];
    while (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {
    }
  }
  socket.close(ignored);
}

}  // namespace

struct Server::Impl : ConnectionSet {
  explicit Impl(asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
};

size_t DefaultMaxConnections() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
  const rlim_t files = limit.rlim_cur;
  return std::max<size_t>(16, files > 64 ? static_cast<size_t>((files - 64) / 2) : 0);
}

Server::Server(EventLoops& loops, ServerOptions options, Handler handler)
    : loops_(loops),
      options_(std::move(options)),
      handler_(std::move(handler)),
      impl_(std::make_shared<Impl>(loops.primary())) {}

unsigned short Server::Start() {
  // A peer that resets its connection makes a send fail with EPIPE; with SIGPIPE's default action
  // that would end the process instead of the one connection. Asio sends with MSG_NOSIGNAL, but
  // sendfile(2) has no such flag. The sockets are the process's, so the disposition is too.
  ::signal(SIGPIPE, SIG_IGN);
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
  impl_->stopping = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
  std::lock_guard lock(impl_->mu);
  for (const auto& connection : impl_->connections) {
    asio::post(connection->executor, [connection] {
      if (connection->idle && connection->stream != nullptr) connection->stream->cancel();
    });
  }
}

void Server::CloseAll() {
  std::lock_guard lock(impl_->mu);
  for (const auto& connection : impl_->connections) {
    asio::post(connection->executor, [connection] {
      if (connection->stream != nullptr) connection->stream->close();
    });
  }
}

size_t Server::connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->connections.size();
}

Awaitable<void> Server::AcceptLoop() {
  auto impl = impl_;
  asio::steady_timer pause(loops_.primary());
  auto pause_for = std::chrono::steady_clock::duration(kFirstAcceptPause);
  OncePerSecond error_log;
  OncePerSecond refusal_log;
  for (;;) {
    beast::error_code ec;
    // No strand: a connection's loop is run by one thread.
    tcp::socket socket = co_await impl->acceptor.async_accept(
        loops_.NextForConnection(), asio::redirect_error(use_awaitable, ec));
    if (ec == asio::error::operation_aborted || impl->stopping) co_return;
    if (ec) {
      error_log.Warn("accept failed: " + ec.message());
      pause.expires_after(pause_for);
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
      pause_for = std::min<std::chrono::steady_clock::duration>(pause_for * 2, kLastAcceptPause);
      if (impl->stopping) co_return;
      continue;
    }
    pause_for = kFirstAcceptPause;
    auto executor = socket.get_executor();
    auto connection = std::make_shared<Connection>(executor);
    {
      std::lock_guard lock(impl->mu);
      if (options_.max_connections == 0 || impl->connections.size() < options_.max_connections) {
        impl->connections.insert(connection);
      } else {
        connection.reset();
      }
    }
    if (!connection) {
      refusal_log.Warn("refused a connection: " + std::to_string(options_.max_connections) +
                       " are open, the most allowed");
      Refuse(socket, options_.tls != nullptr);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::string remote;
    if (auto ep = socket.remote_endpoint(ec); !ec) remote = ep.address().to_string();
    auto session = [this, impl, registration = Registration(impl, connection),
                    socket = std::move(socket), remote]() mutable -> Awaitable<void> {
      Connection& connection = registration.connection();
      try {
        if (options_.tls) {
          TlsStream stream(beast::tcp_stream(std::move(socket)), *options_.tls);
          connection.stream = &Lowest(stream);
          Lowest(stream).expires_after(options_.io_timeout);
          co_await stream.async_handshake(asio::ssl::stream_base::server, use_awaitable);
          co_await RunSession(stream, options_, handler_, remote, connection, impl->stopping);
          // The TLS close waits for the peer's close_notify, which an idle client may never
          // send: not while the server stops.
          if (!impl->stopping) {
            beast::error_code ignored;
            Lowest(stream).expires_after(std::chrono::seconds(5));
            co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ignored));
          }
        } else {
          PlainStream stream(std::move(socket));
          connection.stream = &stream;
          co_await RunSession(stream, options_, handler_, remote, connection, impl->stopping);
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
      } catch (const std::exception& e) {
        spdlog::debug("connection from {} ended: {}", remote, LogSafe(e.what()));
      }
      connection.stream = nullptr;  // the stream is gone; the registration ends with the frame
    };
    asio::co_spawn(executor, std::move(session), asio::detached);
  }
}

}  // namespace cairn::http
