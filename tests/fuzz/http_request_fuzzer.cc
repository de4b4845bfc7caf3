// Bytes as they arrive on the JSON edge: Beast's parser with the server's
// limits, then the Connect handler (authentication, roles, rate limit,
// transcoding) up to the backend, which is kept from being called (its cap
// of calls in flight is 0, so the answer comes at once). Every request gets
// exactly one answer with a real HTTP status, and nothing crashes.
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>

#include "common/auth/principal_codec.h"
#include "common/crypto/sha256.h"
#include "common/log/logger.h"
#include "common/time/clock.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "services/gateway/access_log.h"
#include "services/gateway/beast_requests.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/connect_handler.h"
#include "services/gateway/forwarder.h"
#include "services/gateway/jwt_verifier.h"
#include "services/gateway/method_table.h"
#include "services/gateway/rate_limiter.h"

namespace grassroots::gateway {
namespace {

constexpr size_t kMaxBody = 64 * 1024;

// The gateway's parts, wired once as main.cc wires them.
struct Gateway {
  Gateway()
      : clock(),
        log("fuzz", stderr, Logger::Level::kError),
        routes(*Routes::Parse("grassroots.orgs.v1=127.0.0.1:1", 1, /*max_in_flight=*/0)),
        methods(routes),
        keys(KeysFile(), clock),
        tokens(*JwtVerifier::Create({"iss", "aud", std::string(40, 's'), "", absl::Seconds(30)},
                                    clock)),
        limiter(1e9, 1e9, clock),
        gate(methods, keys, *tokens, limiter),
        codec(*PrincipalCodec::Create(std::string(40, 'k'))),
        principal_tokens(codec, clock),
        forwarder(principal_tokens, absl::Seconds(1), registry),
        access_log(log, registry),
        handler(gate, forwarder, access_log, routes) {
    (void)orgs::v1::Area::descriptor();
    (void)keys.Load();
  }

  static std::string KeysFile() {
    const std::string path = "/tmp/grassroots-fuzz-keys-" + std::to_string(getpid());
    std::ofstream(path) << "fuzz " << Sha256Hex("fuzz-key") << " orgs.admin -\n";
    return path;
  }

  SystemClock clock;
  Logger log;
  prometheus::Registry registry;
  Routes routes;
  MethodTable methods;
  ApiKeys keys;
  std::unique_ptr<JwtVerifier> tokens;
  RateLimiter limiter;
  CallGate gate;
  PrincipalCodec codec;
  PrincipalTokens principal_tokens;
  Forwarder forwarder;
  AccessLog access_log;
  ConnectHandler handler;
};

}  // namespace
}  // namespace grassroots::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace grassroots::gateway;
  namespace http = boost::beast::http;
  static Gateway* gateway = new Gateway();
  http::request_parser<http::string_body> parser;
  LimitParser(parser, kMaxBody);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (used < size && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) {
      const HttpResponse refused = ReadFailureResponse(ec, kMaxBody);
      if (refused.status != 400 && refused.status != 413 && refused.status != 431) std::abort();
      return 0;
    }
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) return 0;
  int answers = 0;
  gateway->handler.Handle(ToHttpRequest(parser.release(), ""), [&answers](HttpResponse response) {
    ++answers;
    if (response.status < 200 || response.status > 599) std::abort();
  });
  if (answers != 1) std::abort();
  return 0;
}
