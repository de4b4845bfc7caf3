#include "services/gateway/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/gateway/beast_requests.h"

namespace grassroots::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Longest a client may take to accept an answer.
constexpr auto kWriteTimeout = std::chrono::seconds(30);
// Longest a closing connection is drained of what the client still sends.
constexpr auto kLingerTimeout = std::chrono::seconds(2);

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions o, ConnectHandler& h, Logger& l)
      : options(std::move(o)),
        handler(h),
        log(l),
        ioc(options.threads),
        acceptor(ioc),
        tls(net::ssl::context::tls_server) {}

  void Accept();
  absl::Status SetUpTls();

  HttpServerOptions options;
  ConnectHandler& handler;
  Logger& log;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<int> answering{0};  // requests read and not yet fully answered
  net::ssl::context tls;
  int port = 0;
  bool started = false;
};

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// The common name of the client certificate a TLS peer presented and the CA
// verified; empty otherwise.
std::string PeerCommonName(TlsStream& stream) {
  X509* cert = SSL_get_peer_certificate(stream.native_handle());
  if (cert == nullptr) return "";
  std::string name;
  if (SSL_get_verify_result(stream.native_handle()) == X509_V_OK) {
    char buffer[256];
    const int size = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buffer,
                                               sizeof buffer);
    if (size > 0) name.assign(buffer, static_cast<size_t>(size));
  }
  X509_free(cert);
  return name;
}

// One connection; Stream is plain TCP or TLS over TCP.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server)
      : stream_(Make(std::move(socket), server)), server_(server) {}

  void Start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Handshake(); });
  }

 private:
  static Stream Make(tcp::socket socket, HttpServer::Impl& server) {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      return Stream(std::move(socket), server.tls);
    } else {
      (void)server;
      return Stream(std::move(socket));
    }
  }

  void Handshake() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      Lowest().expires_after(std::chrono::seconds(10));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Lowest().close();
                                self->peer_name_ = PeerCommonName(self->stream_);
                                self->Read();
                              });
    } else {
      Read();
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Read() {
    parser_.emplace();
    LimitParser(*parser_, server_.options.max_body_bytes);
    Lowest().expires_after(
        std::chrono::milliseconds(absl::ToInt64Milliseconds(server_.options.idle_timeout)));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof || ec == net::ssl::error::stream_truncated) {
      return Close();
    }
    if (ec) {
      // The request cannot be read: say why once, then hang up.
      version_ = 11;
      server_.answering.fetch_add(1);
      return Write(ReadFailureResponse(ec, server_.options.max_body_bytes));
    }
    http::request<http::string_body> message = parser_->release();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    HttpRequest request = ToHttpRequest(std::move(message), peer_name_);
    server_.answering.fetch_add(1);
    server_.handler.Handle(
        std::move(request), [self = this->shared_from_this()](HttpResponse response) {
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
    Lowest().expires_after(kWriteTimeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
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
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().expires_after(kLingerTimeout);
    Discard();
  }

  // Reads the raw socket: past shutdown_send a TLS layer has nothing to add.
  void Discard() {
    Lowest().async_read_some(net::buffer(discard_),
                             [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) return self->Lowest().close();
                               self->Discard();
                             });
  }

  void Close() {
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().close();
  }

  Stream stream_;
  std::string peer_name_;
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
      if (options.tls.enabled()) {
        std::make_shared<Session<TlsStream>>(std::move(socket), *this)->Start();
      } else {
        std::make_shared<Session<PlainStream>>(std::move(socket), *this)->Start();
      }
    }
    Accept();
  });
}

absl::Status HttpServer::Impl::SetUpTls() {
  if (!options.tls.enabled()) return absl::OkStatus();
  beast::error_code ec;
  tls.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                  net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                  net::ssl::context::no_tlsv1_1);
  tls.use_certificate_chain(net::buffer(options.tls.cert_chain_pem), ec);
  if (!ec)
    tls.use_private_key(net::buffer(options.tls.private_key_pem), net::ssl::context::pem, ec);
  if (!ec && options.tls.mutual()) {
    tls.add_certificate_authority(net::buffer(options.tls.client_ca_pem), ec);
    // A client certificate is optional (API keys and tokens still work) but
    // must chain to the CA when presented.
    if (!ec) tls.set_verify_mode(net::ssl::verify_peer, ec);
  }
  if (ec)
    return absl::InvalidArgumentError("configuration: TLS certificate or key: " + ec.message());
  return absl::OkStatus();
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
  if (auto tls = impl_->SetUpTls(); !tls.ok()) return tls;
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
  impl_->log.Info(
      "http edge listening",
      {{"address", ip.to_string()},
       {"http_port", absl::StrCat(impl_->port)},
       {"tls",
        impl_->options.tls.enabled() ? (impl_->options.tls.mutual() ? "mutual" : "on") : "off"}});
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
