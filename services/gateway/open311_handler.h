#pragma once

#include <functional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "services/gateway/connect_handler.h"
#include "services/gateway/open311_caller.h"

namespace grassroots::gateway {

// Which Open311 GeoReport v2 endpoint a request is for (docs/OPEN311.md).
struct Open311Route {
  enum Kind {
    kNotFound,
    kMethodNotAllowed,
    kNotJson,  // the .xml form, which is not served
    kServices,
    kServiceDefinition,
    kPostRequest,
    kListRequests,
    kGetRequest,
    kRequestHistory,
  };
  Kind kind = kNotFound;
  std::string id;     // the service code or the request id
  std::string allow;  // kMethodNotAllowed: the methods the path takes
};

inline constexpr absl::string_view kOpen311Prefix = "/open311/v2/";

// `path` without its query string.
Open311Route RouteOpen311(absl::string_view method, absl::string_view path);

// An error as the spec has them, [{"code":<HTTP status>,"description":...}],
// with the gRPC code's HTTP status (as on the Connect edge), grid's fields
// named as the Open311 parameters, and Retry-After and WWW-Authenticate
// where the Connect edge sends them.
HttpResponse Open311ErrorResponse(const grpc::Status& status);

// The Open311 endpoints under /open311/v2/: each answers from the grid
// calls it makes in its caller's name through the Open311Caller.
class Open311Handler {
 public:
  explicit Open311Handler(Open311Caller& caller) : caller_(caller) {}

  static bool Serves(absl::string_view target) { return absl::StartsWith(target, "/open311/"); }
  // Answers exactly once through `reply`.
  void Handle(HttpRequest request, std::function<void(HttpResponse)> reply);

 private:
  Open311Caller& caller_;
};

}  // namespace grassroots::gateway
