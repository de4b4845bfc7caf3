#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>

#include "services/gateway/access_log.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/forwarder.h"

namespace grassroots::gateway {

// What an Open311 caller presented: the api_key parameter or the
// X-Api-Key header, a bearer token, a client certificate. Owned, since the
// calls it makes outlive the HTTP request.
struct Open311Credentials {
  std::string api_key;
  std::string authorization;
  std::string certificate_name;
  std::string request_id;
  std::string traceparent;
};

// One gRPC call an Open311 endpoint makes for its caller: through the same
// CallGate (method, authentication, rate, roles) and Forwarder as every
// other call, so the Open311 edge has no path round them. Logged per call
// on the "open311" edge.
class Open311Caller {
 public:
  Open311Caller(CallGate& gate, Forwarder& forwarder, AccessLog& access_log)
      : gate_(gate), forwarder_(forwarder), access_log_(access_log) {}

  // `method` as "/grassroots.grid.v1.CaseService/GetCase". `done` runs once
  // with the status and, when OK, `response` filled; `response` must live
  // until then.
  void Call(const Open311Credentials& who, const std::string& method,
            const google::protobuf::Message& request, google::protobuf::Message* response,
            std::function<void(const grpc::Status&)> done);

 private:
  CallGate& gate_;
  Forwarder& forwarder_;
  AccessLog& access_log_;
};

}  // namespace grassroots::gateway
