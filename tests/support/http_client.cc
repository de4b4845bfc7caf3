#include "tests/support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "absl/strings/ascii.h"

namespace grassroots::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpResult FromResponse(const http::response<http::string_body>& response) {
  HttpResult result;
  result.status = static_cast<int>(response.result_int());
  result.body = response.body();
  for (const auto& field : response) {
    result.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  return result;
}

}  // namespace

struct HttpClient::Impl {
  int port;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  bool Connect() {
    stream.emplace(ioc);
    beast::error_code ec;
    stream->connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
    buffer.clear();
    if (ec) stream.reset();
    return !ec;
  }

  HttpResult Exchange(http::request<http::string_body>& request) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!stream && !Connect()) return {};
      beast::error_code ec;
      stream->expires_after(std::chrono::seconds(30));
      http::write(*stream, request, ec);
      // Read even when writing failed: a server may answer (413) and close
      // before taking the whole body.
      http::response<http::string_body> response;
      beast::error_code read_ec;
      http::read(*stream, buffer, response, read_ec);
      if (!read_ec) ec = {};
      if (!ec) {
        if (!response.keep_alive()) stream.reset();
        return FromResponse(response);
      }
      stream.reset();  // the server closed a kept-alive connection: once more
    }
    return {};
  }
};

HttpClient::HttpClient(int port) : impl_(std::make_unique<Impl>()) { impl_->port = port; }
HttpClient::~HttpClient() = default;

HttpResult HttpClient::Post(const std::string& target, const std::string& body,
                            const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> request(http::verb::post, target, 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  return impl_->Exchange(request);
}

HttpResult HttpClient::Get(const std::string& target) {
  http::request<http::string_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1");
  return impl_->Exchange(request);
}

HttpResult HttpClient::Raw(const std::string& bytes) {
  impl_->stream.reset();
  if (!impl_->Connect()) return {};
  beast::error_code ec;
  impl_->stream->expires_after(std::chrono::seconds(30));
  net::write(impl_->stream->socket(), net::buffer(bytes), ec);
  http::response<http::string_body> response;
  if (!ec) http::read(*impl_->stream, impl_->buffer, response, ec);
  impl_->stream.reset();
  if (ec) return {};
  return FromResponse(response);
}

}  // namespace grassroots::testing
