// An upload service that keeps no state of its own: the client application creates a multipart
// upload, sends the parts through it and completes it, carrying the upload id and the parts'
// ETags itself. The same HTTP API as the guide's Worker, on top of the cairn client library:
//
//   POST   /<key>?action=mpu-create                                  -> {"key", "uploadId"}
//   PUT    /<key>?action=mpu-uploadpart&uploadId=..&partNumber=N     -> {"partNumber", "etag"}
//   POST   /<key>?action=mpu-complete&uploadId=..  {"parts": [...]}  -> 200, ETag header
//   DELETE /<key>?action=mpu-abort&uploadId=..                       -> 204
//
// Missing parameters answer 400 with the guide's messages; a failed upload call answers 400 with
// the error. As in the guide, the method is not checked: the action decides.
//
//   mpu_service BUCKET [LISTEN]      LISTEN: 127.0.0.1:8787 by default; port 0 picks a free one
//
// Prints "listening on http://HOST:PORT" once it accepts connections. Synchronous Boost.Beast,
// one connection at a time: enough for an example, not for production traffic.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cairn/client.h"
#include "example_env.h"

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr uint64_t kMaxBody = 64ull << 20;  // one part per request; parts here stay below this

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// %XX decoding; `plus_is_space` in query strings (form encoding), not in paths.
std::string PercentDecode(std::string_view in, bool plus_is_space) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) && hex(in[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += in[i];
    }
  }
  return out;
}

struct Target {
  std::string key;
  std::map<std::string, std::string> params;
  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};

Target ParseTarget(std::string_view target) {
  Target t;
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  t.key = PercentDecode(path, /*plus_is_space=*/false);
  if (question == std::string_view::npos) return t;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
    t.params.emplace(std::move(name), std::move(value));  // the first one wins, as searchParams.get
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return t;
}

Response Text(const Request& req, http::status status, const std::string& text) {
  Response res{status, req.version()};
  res.set(http::field::content_type, "text/plain;charset=UTF-8");
  res.body() = text;
  return res;
}

Response Json(const Request& req, const nlohmann::json& value) {
  Response res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/json");
  res.body() = value.dump();
  return res;
}

// A positive part number, like the guide's `Number(...)`: anything else counts as missing.
uint32_t PartNumber(const std::string& text) {
  if (text.empty() || text.size() > 5 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return static_cast<uint32_t>(std::stoul(text));
}

Response Handle(cairn::Bucket& bucket, const Request& req) {
  Target target = ParseTarget(std::string_view(req.target().data(), req.target().size()));
  std::string action = target.param("action");
  if (target.key.empty() || action.empty()) {
    return Text(req, http::status::bad_request, "Missing key or action");
  }

  if (action == "mpu-create") {
    cairn::MultipartUpload upload = bucket.createMultipartUpload(target.key);
    return Json(req, {{"key", upload.key()}, {"uploadId", upload.uploadId()}});
  }

  if (action == "mpu-uploadpart") {
    std::string upload_id = target.param("uploadId");
    uint32_t part_number = PartNumber(target.param("partNumber"));
    if (upload_id.empty() || part_number == 0 || req.body().empty()) {
      return Text(req, http::status::bad_request, "Missing uploadId, partNumber, or body");
    }
    cairn::MultipartUpload upload = bucket.resumeMultipartUpload(target.key, upload_id);
    try {
      cairn::UploadedPart part =
          upload.uploadPart(part_number, cairn::Body::FromString(req.body()));
      return Json(req, {{"partNumber", part.partNumber}, {"etag", part.etag}});
    } catch (const std::exception& e) {
      return Text(req, http::status::bad_request, e.what());
    }
  }

  if (action == "mpu-complete") {
    std::string upload_id = target.param("uploadId");
    if (upload_id.empty()) return Text(req, http::status::bad_request, "Missing uploadId");
    cairn::MultipartUpload upload = bucket.resumeMultipartUpload(target.key, upload_id);
    try {
      nlohmann::json body = nlohmann::json::parse(req.body());
      std::vector<cairn::UploadedPart> parts;
      for (const auto& part : body.at("parts")) {
        parts.push_back(
            {part.at("partNumber").get<uint32_t>(), part.at("etag").get<std::string>()});
      }
      cairn::ObjectInfo object = upload.complete(parts);
      Response res{http::status::ok, req.version()};
      res.set(http::field::etag, object.httpEtag);
      return res;
    } catch (const std::exception& e) {
      return Text(req, http::status::bad_request, e.what());
    }
  }

  if (action == "mpu-abort") {
    std::string upload_id = target.param("uploadId");
    if (upload_id.empty()) return Text(req, http::status::bad_request, "Missing uploadId");
    cairn::MultipartUpload upload = bucket.resumeMultipartUpload(target.key, upload_id);
    try {
      upload.abort();
    } catch (const std::exception& e) {
      return Text(req, http::status::bad_request, e.what());
    }
    return Response{http::status::no_content, req.version()};
  }

  return Text(req, http::status::bad_request, "Unknown action: " + action);
}

// Serves one connection until the client closes it or an error ends it.
void Serve(cairn::Bucket& bucket, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (;;) {
    stream.expires_after(std::chrono::seconds(60));
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    http::read(stream, buffer, parser, ec);
    if (ec == http::error::end_of_stream) break;
    if (ec == http::error::body_limit) {
      Request req = parser.release();
      Response res = Text(req, http::status::payload_too_large, "Body larger than 64 MiB");
      res.keep_alive(false);
      res.prepare_payload();
      http::write(stream, res, ec);
      break;
    }
    if (ec) break;  // timeout, reset, malformed request: nothing sensible to answer
    Request req = parser.release();
    Response res;
    try {
      res = Handle(bucket, req);
    } catch (const std::exception& e) {  // what the Worker runtime does with an uncaught error
      res = Text(req, http::status::internal_server_error, e.what());
    }
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    std::cerr << req.method_string() << " " << req.target() << " -> " << res.result_int() << "\n";
    http::write(stream, res, ec);
    if (ec || !res.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: " << argv[0] << " BUCKET [LISTEN]   (LISTEN default 127.0.0.1:8787)\n";
    return 2;
  }
  const std::string listen = argc > 2 ? argv[2] : "127.0.0.1:8787";
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "LISTEN must be HOST:PORT\n";
    return 2;
  }
  try {
    cairn::Client client(examples::ConfigFromEnv());
    cairn::Bucket bucket = client.bucket(argv[1]);

    std::string host = listen.substr(0, colon);
    if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);  // [::1]
    boost::asio::io_context ioc;
    tcp::endpoint endpoint(boost::asio::ip::make_address(host),
                           static_cast<unsigned short>(std::stoi(listen.substr(colon + 1))));
    tcp::acceptor acceptor(ioc, endpoint);
    tcp::endpoint bound = acceptor.local_endpoint();
    std::cout << "listening on http://" << bound.address().to_string() << ":" << bound.port()
              << std::endl;
    for (;;) {
      tcp::socket socket(ioc);
      acceptor.accept(socket);
      Serve(bucket, std::move(socket));
    }
  } catch (const std::exception& e) {
    std::cerr << "mpu_service: " << e.what() << "\n";
    return 1;
  }
}
