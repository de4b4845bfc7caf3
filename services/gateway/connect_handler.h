#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/gateway/access_log.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/forwarder.h"
#include "services/gateway/routes.h"

namespace grassroots::gateway {

class Open311Handler;

// One HTTP request as the HTTP server read it; header names lower-case.
struct HttpRequest {
  std::string method;
  std::string target;
  absl::flat_hash_map<std::string, std::string> headers;
  std::string body;
  // Common name of a verified client certificate (mutual TLS), else empty.
  std::string client_certificate_name;

  absl::string_view Header(absl::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? absl::string_view() : absl::string_view(it->second);
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // end the connection after this answer
};

// The JSON edge's behaviour, apart from the HTTP library: Connect unary
// calls (POST /pkg.Service/Method with application/json or
// application/proto), /healthz and /readyz. A call passes the same CallGate
// as on the gRPC edge; its JSON is transcoded by the method's descriptors
// and forwarded as bytes by the same Forwarder.
class ConnectHandler {
 public:
  ConnectHandler(CallGate& gate, Forwarder& forwarder, AccessLog& access_log, const Routes& routes)
      : gate_(gate), forwarder_(forwarder), access_log_(access_log), routes_(routes) {}

  // Answers exactly once through `reply`: at once, or later on a gRPC thread.
  void Handle(HttpRequest request, std::function<void(HttpResponse)> reply);

  // Requests under /open311/ go to `open311` (docs/OPEN311.md) when set.
  void ServeOpen311(Open311Handler* open311) { open311_ = open311; }

  // From SIGTERM on: /readyz turns 503 and answers close their connections.
  void StartDraining() { draining_.store(true); }
  bool draining() const { return draining_.load(); }

 private:
  HttpResponse Readiness() const;

  CallGate& gate_;
  Forwarder& forwarder_;
  AccessLog& access_log_;
  const Routes& routes_;
  std::atomic<bool> draining_{false};
  Open311Handler* open311_ = nullptr;
};

// The Connect error answer for a status: Connect's HTTP status, its JSON
// error body, Retry-After on rate limiting, WWW-Authenticate on 401.
HttpResponse ConnectErrorResponse(const grpc::Status& status);

}  // namespace grassroots::gateway
