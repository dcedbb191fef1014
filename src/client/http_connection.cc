// The HTTP/1.1 exchange over Beast. Every socket operation is started asynchronously and its
// io_context run on the calling thread until it completes: this gives a synchronous call with a
// deadline, which blocking Asio calls cannot have (Asio retries a blocking read after SO_RCVTIMEO
// expires). A request body is sent through Beast's buffer_body in 256 KiB pieces, with chunked
// transfer encoding when its size is unknown.
#include "client/http_connection.h"

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <limits>

#include "cairn/errors.h"

namespace cairn::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kChunkSize = 256 << 10;
constexpr size_t kMaxErrorBody = 1 << 20;

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIpLiteral(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

class TlsContext {
 public:
  explicit TlsContext(const TlsSettings& settings) : context(ssl::context::tls_client) {
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    verify = settings.verify;
    if (!verify) {
      context.set_verify_mode(ssl::verify_none);
      return;
    }
    context.set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (settings.ca_file.empty()) {
      context.set_default_verify_paths(ec);
    } else {
      context.load_verify_file(settings.ca_file, ec);
    }
    if (ec) {
      throw TransportError("cannot load the TLS trust store " +
                           (settings.ca_file.empty() ? std::string("(system)") : settings.ca_file) +
                           ": " + ec.message());
    }
  }
  ssl::context context;
  bool verify = true;
};

std::shared_ptr<TlsContext> MakeTlsContext(const TlsSettings& settings) {
  return std::make_shared<TlsContext>(settings);
}

std::string Endpoint::Display() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

Endpoint ParseEndpoint(std::string_view url) {
  Endpoint out;
  const std::string original(url);
  if (url.starts_with("https://")) {
    out.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    throw std::invalid_argument("the endpoint must start with http:// or https://: '" + original +
                                "'");
  }
  if (size_t slash = url.find('/'); slash != std::string_view::npos) {
    if (url.substr(slash) != "/") {
      throw std::invalid_argument("the endpoint may not have a path: '" + original + "'");
    }
    url = url.substr(0, slash);
  }
  std::string_view port_text;
  if (url.starts_with("[")) {  // [::1]:9000
    size_t close = url.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("bad endpoint: " + original);
    out.host = std::string(url.substr(1, close - 1));
    std::string_view rest = url.substr(close + 1);
    if (rest.starts_with(":")) {
      port_text = rest.substr(1);
    } else if (!rest.empty()) {
      throw std::invalid_argument("bad endpoint: " + original);
    }
  } else {
    size_t colon = url.rfind(':');
    out.host = std::string(url.substr(0, colon));
    if (colon != std::string_view::npos) port_text = url.substr(colon + 1);
  }
  if (out.host.empty()) throw std::invalid_argument("the endpoint has no host: '" + original + "'");
  const uint16_t default_port = out.tls ? 443 : 80;
  out.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      throw std::invalid_argument("bad port in endpoint: '" + original + "'");
    }
    out.port = static_cast<uint16_t>(value);
  }
  const std::string bracketed =
      out.host.find(':') != std::string::npos ? "[" + out.host + "]" : out.host;
  out.host_header =
      out.port == default_port ? bracketed : bracketed + ":" + std::to_string(out.port);
  out.base_url = std::string(out.tls ? "https://" : "http://") + out.host_header;
  return out;
}

std::optional<std::string> HttpResponse::Header(std::string_view lowercase_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lowercase_name) return value;
  }
  return std::nullopt;
}

struct Connection::State {
  asio::io_context io;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  // Beast reads at most the buffer's free capacity (and never less than 512 bytes): an empty
  // flat_buffer would read a response body 512 bytes per syscall, which made a 1 MiB download cost
  // 2,048 reads (and as many timer updates and epoll waits). Reserving 64 KiB, Beast's own cap on
  // one read, lets it take what the socket has.
  beast::flat_buffer buffer = [] {
    beast::flat_buffer b;
    b.reserve(64 << 10);
    return b;
  }();
  std::chrono::seconds timeout;
  std::string where;
  std::vector<char> chunk = std::vector<char>(kChunkSize);
  bool reusable = false;

  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Starts one asynchronous operation and runs this connection's io_context until it completes;
  // the stream's deadline cancels it after `timeout`.
  template <class Start>
  error_code Run(Start&& start) {
    error_code result = asio::error::would_block;
    Lowest().expires_after(timeout);
    start([&result](error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  // Run() for an operation on the stream, plain or TLS.
  template <class Op>
  error_code RunOnStream(Op&& op) {
    return Run([&](auto handler) {
      if (tls) {
        op(*tls, std::move(handler));
      } else {
        op(*plain, std::move(handler));
      }
    });
  }

  std::string Describe(const error_code& ec) const {
    if (ec == beast::error::timeout)
      return "timed out after " + std::to_string(timeout.count()) + "s";
    return ec.message();
  }
};

Connection::Connection(const Endpoint& endpoint, std::shared_ptr<TlsContext> tls,
                       std::chrono::seconds timeout)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.timeout = timeout;
  s.where = endpoint.Display();
  tcp::resolver resolver(s.io);
  error_code ec;
  auto results = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
  if (ec) throw TransportError("cannot resolve " + endpoint.host + ": " + ec.message());
  if (endpoint.tls) {
    if (!tls) throw TransportError("no TLS context for " + endpoint.base_url);
    s.tls.emplace(s.io, tls->context);
  } else {
    s.plain.emplace(s.io);
  }
  ec = s.Run([&](auto handler) { s.Lowest().async_connect(results, std::move(handler)); });
  if (ec) throw TransportError("cannot connect to " + s.where + ": " + s.Describe(ec));
  s.Lowest().socket().set_option(tcp::no_delay(true), ec);
  if (s.tls) {
    if (!IsIpLiteral(endpoint.host)) {
      SSL_set_tlsext_host_name(s.tls->native_handle(), endpoint.host.c_str());
    }
    if (tls->verify) s.tls->set_verify_callback(ssl::host_name_verification(endpoint.host));
    ec = s.Run([&](auto handler) {
      s.tls->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) throw TransportError("TLS handshake with " + s.where + " failed: " + s.Describe(ec));
  }
  s.reusable = true;
  last_used = std::chrono::steady_clock::now();
}

Connection::~Connection() = default;

bool Connection::reusable() const { return state_->reusable; }

bool Connection::Stale() const {
  pollfd p{state_->Lowest().socket().native_handle(), POLLIN, 0};
  // Readable while idle means end of stream, a reset, or bytes nobody asked for: all unusable.
  return ::poll(&p, 1, 0) != 0 || state_->buffer.size() != 0;
}

HttpResponse Connection::RoundTrip(const HttpRequest& request, const BodySink& sink,
                                   bool head_request) {
  State& s = *state_;
  s.reusable = false;
  HttpResponse response;

  http::request<http::buffer_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  for (const auto& [name, value] : request.headers) req.insert(name, value);
  std::optional<uint64_t> size;
  if (request.body) {
    size = request.body->size();
    if (size) {
      req.content_length(*size);
    } else {
      req.chunked(true);
    }
  } else if (request.method == "PUT" || request.method == "POST") {
    req.content_length(0);
  }
  req.body().data = nullptr;
  req.body().size = 0;
  req.body().more = false;
  http::request_serializer<http::buffer_body> serializer(req);

  // Send. A server may answer before it has read the whole body (a refused signature, a failed
  // precondition) and close: a failed write is then followed by an attempt to read that answer.
  error_code write_error;
  if (!request.body) {
    write_error = s.RunOnStream([&](auto& stream, auto handler) {
      http::async_write(stream, serializer, std::move(handler));
    });
  } else {
    write_error = s.RunOnStream([&](auto& stream, auto handler) {
      http::async_write_header(stream, serializer, std::move(handler));
    });
    while (!write_error) {
      const size_t n = request.body->Read(s.chunk.data(), s.chunk.size());
      if (n == 0 && size && response.bytes_sent != *size) {
        throw std::runtime_error("the request body ended after " +
                                 std::to_string(response.bytes_sent) + " of " +
                                 std::to_string(*size) + " bytes");
      }
      response.bytes_sent += n;
      req.body().data = n ? s.chunk.data() : nullptr;
      req.body().size = n;
      req.body().more = n != 0;
      write_error = s.RunOnStream([&](auto& stream, auto handler) {
        http::async_write(stream, serializer, std::move(handler));
      });
      if (write_error == http::error::need_buffer) write_error = {};
      if (n == 0 || serializer.is_done()) break;
    }
  }

  // Receive the head, skipping interim 1xx responses.
  std::optional<http::response_parser<http::buffer_body>> parser;
  for (;;) {
    parser.emplace();
    // Not boost::none: Beast 1.74 compares a Content-Length against the optional and takes none
    // as smaller than any length.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (head_request) parser->skip(true);
    error_code ec = s.RunOnStream([&](auto& stream, auto handler) {
      http::async_read_header(stream, s.buffer, *parser, std::move(handler));
    });
    if (ec) {
      const error_code cause = write_error ? write_error : ec;
      throw ConnectionError(
          "connection to " + s.where + " failed " +
              (write_error ? "while sending the request: " : "before the response arrived: ") +
              s.Describe(cause),
          !parser->got_some());
    }
    if (parser->get().result_int() / 100 != 1) break;
  }
  const auto& message = parser->get();
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(
        Lowercase(std::string_view(field.name_string().data(), field.name_string().size())),
        std::string(field.value().data(), field.value().size()));
  }

  // Receive the body.
  const bool to_sink = sink && response.status / 100 == 2;
  while (!parser->is_done()) {
    parser->get().body().data = s.chunk.data();
    parser->get().body().size = s.chunk.size();
    error_code ec = s.RunOnStream([&](auto& stream, auto handler) {
      http::async_read(stream, s.buffer, *parser, std::move(handler));
    });
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      throw ConnectionError(
          "connection to " + s.where + " failed while receiving the response: " + s.Describe(ec),
          false);
    }
    const size_t got = s.chunk.size() - parser->get().body().size;
    if (to_sink) {
      sink(s.chunk.data(), got);
    } else if (!sink || response.body.size() < kMaxErrorBody) {
      response.body.append(s.chunk.data(), got);
    }
  }
  s.reusable = !write_error && parser->keep_alive();
  last_used = std::chrono::steady_clock::now();
  return response;
}

}  // namespace cairn::client
