// A plain HTTP(S) client for the examples, on Boost.Beast (synchronous, one request per
// connection). It sends exactly the headers it is given and no credentials: what a browser or a
// mobile app does with a presigned URL, or what an application sends to the upload service.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>

namespace examples {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;
  std::string port;
  std::string target;  // path and query, as given (already percent-encoded)
};

inline Url ParseUrl(const std::string& url) {
  Url u;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw std::invalid_argument("not a URL: " + url);
  u.scheme = url.substr(0, scheme_end);
  if (u.scheme != "http" && u.scheme != "https") {
    throw std::invalid_argument("only http and https URLs: " + url);
  }
  size_t host_start = scheme_end + 3;
  size_t path_start = url.find_first_of("/?", host_start);
  std::string authority = url.substr(host_start, path_start - host_start);
  u.target = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (u.target.front() == '?') u.target.insert(0, "/");
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  } else {
    u.host = authority;
    u.port = u.scheme == "https" ? "443" : "80";
  }
  if (u.host.size() > 1 && u.host.front() == '[') u.host = u.host.substr(1, u.host.size() - 2);
  return u;
}

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lowercase
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

namespace detail {

template <class Stream>
HttpResult Exchange(Stream& stream, const Url& url, const std::string& method,
                    const std::map<std::string, std::string>& headers, const std::string& body) {
  namespace http = boost::beast::http;
  http::request<http::string_body> request{http::string_to_verb(method), url.target, 11};
  bool default_port =
      (url.scheme == "http" && url.port == "80") || (url.scheme == "https" && url.port == "443");
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(http::field::host, default_port ? host : host + ":" + url.port);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  // A PUT or POST says its length even when empty; a GET without a body says nothing.
  if (!body.empty() || method == "PUT" || method == "POST") request.prepare_payload();
  http::write(stream, request);

  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);  // the examples read back whole objects
  if (method == "HEAD") parser.skip(true);
  http::read(stream, buffer, parser);
  const auto& response = parser.get();
  HttpResult result;
  result.status = response.result_int();
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = std::string(field.value());
  }
  result.body = response.body();
  return result;
}

}  // namespace detail

// One request to `url`; throws boost::system::system_error when no answer came.
inline HttpResult HttpRequest(const std::string& method, const std::string& url,
                              const std::map<std::string, std::string>& headers = {},
                              const std::string& body = {}) {
  namespace beast = boost::beast;
  namespace net = boost::asio;
  using tcp = net::ip::tcp;
  Url u = ParseUrl(url);
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(u.host, u.port);
  if (u.scheme == "http") {
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(120));
    stream.connect(endpoints);
    HttpResult result = detail::Exchange(stream, u, method, headers, body);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return result;
  }
  net::ssl::context tls(net::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(net::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {
    throw std::runtime_error("cannot set the TLS server name");
  }
  stream.set_verify_callback(net::ssl::host_name_verification(u.host));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(120));
  beast::get_lowest_layer(stream).connect(endpoints);
  stream.handshake(net::ssl::stream_base::client);
  HttpResult result = detail::Exchange(stream, u, method, headers, body);
  beast::error_code ignored;
  stream.shutdown(ignored);  // servers often close without a TLS close_notify: not an error here
  return result;
}

}  // namespace examples
