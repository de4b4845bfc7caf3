#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/log/logger.h"
#include "common/server/tls_files.h"
#include "services/gateway/connect_handler.h"

namespace grassroots::gateway {

struct HttpServerOptions {
  std::string address = "127.0.0.1:8100";  // host:port; port 0 picks one
  int threads = 2;
  // Larger bodies are answered 413 and the connection closed.
  size_t max_body_bytes = 1 << 20;
  // A keep-alive connection with no request for this long is closed.
  absl::Duration idle_timeout = absl::Seconds(60);
  // HTTPS when a certificate is set; client certificates when a CA is.
  TlsFiles tls;
};

// HTTP/1.1 with keep-alive on Boost.Beast, over TLS when configured (the
// same certificate as the gRPC edge), handing each request to the
// ConnectHandler with the verified client certificate's common name. Bodies over the limit get 413;
// malformed requests get 400 and the connection is closed.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, ConnectHandler& handler, Logger& log);
  ~HttpServer();

  // Binds and starts serving; an address in use is an error.
  absl::Status Start();
  int port() const;
  // Stops accepting, lets requests under way answer (up to `grace`), then
  // closes every connection.
  void Stop(absl::Duration grace);

  // Defined in the .cc only, so Beast stays out of this header.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace grassroots::gateway
