#include "services/gateway/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace grassroots::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Longest a client may take to accept an answer.
constexpr auto kWriteTimeout = std::chrono::seconds(30);
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
// Longest a closing connection is drained of what the client still sends.
constexpr auto kLingerTimeout = std::chrono::seconds(2);

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions o, ConnectHandler& h, Logger& l)
      : options(std::move(o)), handler(h), log(l), ioc(options.threads), acceptor(ioc) {}

  void Accept();

  HttpServerOptions options;
  ConnectHandler& handler;
  Logger& log;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<int> answering{0};  // requests read and not yet fully answered
  int port = 0;
  bool started = false;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server)
      : stream_(std::move(socket)), server_(server) {}

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_.options.max_body_bytes);
    parser_->header_limit(kMaxHeaderBytes);
    stream_.expires_after(
        std::chrono::milliseconds(absl::ToInt64Milliseconds(server_.options.idle_timeout)));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
    if (ec) {
      // The request cannot be read: say why once, then hang up.
      HttpResponse response;
      response.close = true;
      response.content_type = "text/plain; charset=utf-8";
      if (ec == http::error::body_limit) {
        response.status = 413;
        response.body =
            absl::StrCat("request body exceeds ", server_.options.max_body_bytes, " bytes\n");
      } else if (ec == http::error::header_limit) {
        response.status = 431;
        response.body = "request headers too large\n";
      } else {
        response.status = 400;
        response.body = "malformed HTTP request\n";
      }
      version_ = 11;
      server_.answering.fetch_add(1);
      return Write(std::move(response));
    }
    http::request<http::string_body> message = parser_->release();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers[absl::AsciiStrToLower(absl::string_view(
          field.name_string().data(), field.name_string().size()))] = std::string(field.value());
    }
    request.body = std::move(message.body());
    server_.answering.fetch_add(1);
    server_.handler.Handle(std::move(request), [self = shared_from_this()](HttpResponse response) {
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->Write(std::move(response));
      });
    });
  }

  void Write(HttpResponse answer) {
    response_.emplace(static_cast<http::status>(answer.status), version_);
    response_->set(http::field::server, "grassroots-gateway");
    response_->set(http::field::content_type, answer.content_type);
    for (auto& [name, value] : answer.headers) response_->set(name, value);
    response_->keep_alive(keep_alive_ && !answer.close && !server_.handler.draining());
    response_->body() = std::move(answer.body);
    response_->prepare_payload();
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    server_.answering.fetch_sub(1);
    if (ec) return Close();
    if (!response_->keep_alive()) return LingerThenClose();
    Read();
  }

  // After answering a request whose body was not read (413) or is still
  // arriving, closing at once would reset the connection and could destroy
  // the answer before the client reads it. So: stop sending, read and drop
  // what is still coming for a short while, then close.
  void LingerThenClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTimeout);
    Discard();
  }

  void Discard() {
    stream_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->stream_.close();
                              self->Discard();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::array<char, 16384> discard_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), *this)->Start();
    }
    Accept();
  });
}

HttpServer::HttpServer(HttpServerOptions options, ConnectHandler& handler, Logger& log)
    : impl_(std::make_unique<Impl>(std::move(options), handler, log)) {}

HttpServer::~HttpServer() { Stop(absl::ZeroDuration()); }

absl::Status HttpServer::Start() {
  const std::string& address = impl_->options.address;
  const auto colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError("configuration: http-address '" + address +
                                      "' is not host:port");
  }
  beast::error_code ec;
  const auto ip = net::ip::make_address(address.substr(0, colon), ec);
  if (ec) {
    return absl::InvalidArgumentError("configuration: http-address '" + address +
                                      "' needs an IP address");
  }
  const tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError("http: cannot listen on " + address + ": " + ec.message());
  impl_->port = acceptor.local_endpoint().port();
  impl_->Accept();
  for (int i = 0; i < impl_->options.threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->started = true;
  impl_->log.Info("http edge listening",
                  {{"address", ip.to_string()}, {"http_port", absl::StrCat(impl_->port)}});
  return absl::OkStatus();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop(absl::Duration grace) {
  if (!impl_->started) return;
  impl_->started = false;
  impl_->handler.StartDraining();
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  const absl::Time give_up = absl::Now() + grace;
  while (impl_->answering.load() > 0 && absl::Now() < give_up)
    absl::SleepFor(absl::Milliseconds(10));
  impl_->ioc.stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace grassroots::gateway
