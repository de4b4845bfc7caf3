#include "services/gateway/open311_caller.h"

#include <memory>

#include "absl/time/clock.h"
#include "common/status/grpc_status.h"

namespace grassroots::gateway {
namespace {

// One call under way: lives until the backend answers.
struct Pending {
  Admission admission;
  std::string method;
  std::string note;
  std::string request_id;
  absl::Time start;
  size_t request_bytes = 0;
  grpc::ClientContext upstream;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
};

bool ParseInto(const grpc::ByteBuffer& buffer, google::protobuf::Message* out) {
  grpc::Slice slice;
  if (!buffer.DumpToSingleSlice(&slice).ok()) return false;
  return out->ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
}

}  // namespace

void Open311Caller::Call(const Open311Credentials& who, const std::string& method,
                         const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         std::function<void(const grpc::Status&)> done) {
  auto pending = std::make_unique<Pending>();
  pending->method = method;
  pending->request_id = who.request_id;
  pending->start = absl::Now();
  auto log = [this](const Pending& p, const grpc::Status& status, size_t response_bytes) {
    access_log_.Write({"open311", p.request_id, p.admission.principal.id(), p.admission.method,
                       p.method, static_cast<int>(status.error_code()), 0, absl::Now() - p.start,
                       p.request_bytes, response_bytes, p.note});
  };
  absl::Status admitted =
      gate_.Admit(method, Credentials{who.api_key, who.authorization, who.certificate_name},
                  &pending->admission, &pending->note);
  if (!admitted.ok()) {
    const grpc::Status status = ToGrpcStatus(admitted);
    log(*pending, status, 0);
    done(status);
    return;
  }
  const std::string bytes = request.SerializeAsString();
  pending->request_bytes = bytes.size();
  grpc::Slice slice(bytes);
  pending->request = grpc::ByteBuffer(&slice, 1);
  PassThrough pass;
  pass.request_id = who.request_id;
  pass.traceparent = who.traceparent;
  Pending* raw = pending.release();
  forwarder_.Start(raw->admission, pass, &raw->upstream, &raw->request, &raw->response,
                   [raw, response, log, done = std::move(done)](const grpc::Status& status) {
                     std::unique_ptr<Pending> finished(raw);
                     grpc::Status outcome = status;
                     if (outcome.ok() && !ParseInto(finished->response, response)) {
                       outcome = grpc::Status(grpc::StatusCode::INTERNAL,
                                              "the service answered what is not its message");
                     }
                     log(*finished, outcome, finished->response.Length());
                     done(outcome);
                   });
}

}  // namespace grassroots::gateway
