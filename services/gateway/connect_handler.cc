#include "services/gateway/connect_handler.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "services/gateway/connect_protocol.h"
#include "services/gateway/json_transcoder.h"
#include "services/gateway/open311_handler.h"

namespace grassroots::gateway {
namespace {

enum class Codec { kJson, kProto, kUnsupported };

Codec CodecOf(absl::string_view content_type) {
  // "application/json; charset=utf-8" is JSON too.
  const absl::string_view media =
      absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';')));
  if (absl::EqualsIgnoreCase(media, "application/json")) return Codec::kJson;
  if (absl::EqualsIgnoreCase(media, "application/proto")) return Codec::kProto;
  return Codec::kUnsupported;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  grpc::Slice slice;
  if (!buffer.DumpToSingleSlice(&slice).ok()) return "";
  return std::string(reinterpret_cast<const char*>(slice.begin()), slice.size());
}

// One forwarded call: lives from the request until the backend answers.
struct Exchange {
  Admission admission;
  Codec codec = Codec::kJson;
  std::string request_id;
  std::string path;
  std::string note;
  absl::Time start;
  size_t request_bytes = 0;
  grpc::ClientContext upstream;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::function<void(HttpResponse)> reply;
};

HttpResponse Plain(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

}  // namespace

HttpResponse ConnectErrorResponse(const grpc::Status& status) {
  HttpResponse response;
  response.status = ConnectHttpStatus(status.error_code());
  response.body = ConnectErrorBody(status);
  if (auto seconds = RetryAfterSeconds(status))
    response.headers.emplace_back("Retry-After", *seconds);
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"grassroots\"");
  }
  return response;
}

HttpResponse ConnectHandler::Readiness() const {
  std::string unreachable;
  for (const Backend* backend : routes_.backends()) {
    if (!backend->Reachable()) {
      absl::StrAppend(&unreachable, unreachable.empty() ? "" : ",", "\"", backend->package(), "\"");
    }
  }
  HttpResponse response;
  if (draining()) {
    response.status = 503;
    response.body = R"({"status":"draining"})";
  } else if (!unreachable.empty()) {
    response.status = 503;
    response.body =
        absl::StrCat(R"({"status":"backends unreachable","backends":[)", unreachable, "]}");
  } else {
    response.body = R"({"status":"ready"})";
  }
  return response;
}

void ConnectHandler::Handle(HttpRequest request, std::function<void(HttpResponse)> reply) {
  if (request.target == "/healthz" && (request.method == "GET" || request.method == "HEAD")) {
    reply(Plain(200, "ok\n"));
    return;
  }
  if (request.target == "/readyz" && (request.method == "GET" || request.method == "HEAD")) {
    reply(Readiness());
    return;
  }
  if (open311_ != nullptr && Open311Handler::Serves(request.target)) {
    open311_->Handle(std::move(request), std::move(reply));
    return;
  }
  auto exchange = std::make_unique<Exchange>();
  exchange->start = absl::Now();
  exchange->path = request.target;
  exchange->request_id = RequestIdOr(request.Header("x-request-id"));
  exchange->request_bytes = request.body.size();
  // Every answer names the request id, the caller's or the one made here.
  exchange->reply = [reply = std::move(reply),
                     request_id = exchange->request_id](HttpResponse response) {
    response.headers.emplace_back("X-Request-Id", request_id);
    reply(std::move(response));
  };
  auto fail = [this](std::unique_ptr<Exchange> failed, const grpc::Status& status) {
    access_log_.Write({"http", failed->request_id, failed->admission.principal.id(),
                       failed->admission.method, failed->path,
                       static_cast<int>(status.error_code()),
                       ConnectHttpStatus(status.error_code()), absl::Now() - failed->start,
                       failed->request_bytes, 0, failed->note});
    HttpResponse response = ConnectErrorResponse(status);
    response.close = draining();
    failed->reply(std::move(response));
  };
  if (request.method != "POST") {
    HttpResponse response = Plain(request.target.find('/', 1) == std::string::npos ? 404 : 405,
                                  "calls are POST /package.Service/Method\n");
    response.headers.emplace_back("Allow", "POST");
    exchange->reply(std::move(response));
    return;
  }
  exchange->codec = CodecOf(request.Header("content-type"));
  if (exchange->codec == Codec::kUnsupported) {
    HttpResponse response =
        Plain(415, "Content-Type must be application/json or application/proto\n");
    response.headers.emplace_back("Accept-Post", "application/json, application/proto");
    exchange->reply(std::move(response));
    return;
  }
  const ConnectTimeout timeout = ParseConnectTimeout(request.Header("connect-timeout-ms"));
  if (!timeout.valid) {
    return fail(std::move(exchange),
                ToGrpcStatus(InvalidField("Connect-Timeout-Ms", "TIMEOUT_INVALID",
                                          "must be a positive number of milliseconds")));
  }
  absl::Status admitted =
      gate_.Admit(exchange->path,
                  Credentials{request.Header("x-api-key"), request.Header("authorization"),
                              request.client_certificate_name},
                  &exchange->admission, &exchange->note);
  if (admitted.ok() && exchange->admission.method->streaming()) {
    admitted = WithReason(absl::UnimplementedError("streaming methods are served over gRPC only"),
                          "STREAMING_NOT_PROXIED");
  }
  if (!admitted.ok()) return fail(std::move(exchange), ToGrpcStatus(admitted));
  const auto* method = exchange->admission.method->descriptor;
  std::string binary;
  if (exchange->codec == Codec::kJson) {
    auto transcoded = JsonTranscoder::JsonToBinary(*method->input_type(), request.body);
    if (!transcoded.ok()) return fail(std::move(exchange), ToGrpcStatus(transcoded.status()));
    binary = *std::move(transcoded);
  } else {
    binary = std::move(request.body);
  }
  grpc::Slice slice(binary);
  exchange->request = grpc::ByteBuffer(&slice, 1);
  PassThrough pass;
  pass.request_id = exchange->request_id;
  pass.traceparent = std::string(request.Header("traceparent"));
  if (timeout.timeout) {
    pass.deadline = std::chrono::system_clock::now() +
                    std::chrono::milliseconds(absl::ToInt64Milliseconds(*timeout.timeout));
  }
  Exchange* raw = exchange.release();
  forwarder_.Start(
      raw->admission, pass, &raw->upstream, &raw->request, &raw->response,
      [this, raw, fail](const grpc::Status& status) {
        std::unique_ptr<Exchange> done(raw);
        if (!status.ok()) return fail(std::move(done), status);
        std::string bytes = Flatten(done->response);
        HttpResponse response;
        if (done->codec == Codec::kJson) {
          auto json = JsonTranscoder::BinaryToJson(
              *done->admission.method->descriptor->output_type(), bytes);
          if (!json.ok()) return fail(std::move(done), ToGrpcStatus(json.status()));
          response.body = *std::move(json);
        } else {
          response.content_type = "application/proto";
          response.body = std::move(bytes);
        }
        access_log_.Write({"http", done->request_id, done->admission.principal.id(),
                           done->admission.method, done->path, 0, 200, absl::Now() - done->start,
                           done->request_bytes, response.body.size(), done->note});
        response.close = draining();
        done->reply(std::move(response));
      });
}

}  // namespace grassroots::gateway
