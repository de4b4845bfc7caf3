// grassroots-cli: call any method of the suite by its full name with a JSON
// body, through the gateway or straight to a service. The JSON is transcoded
// by the gateway's own code (JsonTranscoder) from the linked protos.
//
//   grassroots-cli [--target=127.0.0.1:7101] [--scope=d01/s03] [--as=operator]
//                  [--roles=orgs.admin,...] [--api-key=K | --bearer=JWT]
//                  call grassroots.orgs.v1.AreaService/ListAreas '{"subtree":true}'
//   grassroots-cli list         (the target's methods, from server reflection)
//   grassroots-cli health
//   grassroots-cli import-areas FILE.csv|FILE.jsonl
//   grassroots-cli token        (a signed principal valid one hour, for h2load/curl)
//   grassroots-cli jwt [--issuer=grassroots-dev] [--audience=grassroots] [--ttl-minutes=60]
//                      (an HS256 app token for the gateway, from GRASSROOTS_JWT_HS256_SECRET)
//
// Straight to a service the principal is signed with GRASSROOTS_PRINCIPAL_KEY;
// through the gateway (--target=127.0.0.1:7100) pass --api-key or --bearer.
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "grassroots/orgs/v1/admission.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/dues.pb.h"
#include "grassroots/orgs/v1/evaluation.pb.h"
#include "grassroots/orgs/v1/linkage.pb.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "grassroots/orgs/v1/transfer.pb.h"
#include "services/cli/reflection_client.h"
#include "services/gateway/connect_protocol.h"
#include "services/gateway/json_transcoder.h"
#include "services/gateway/jwt_signer.h"

namespace {

struct Options {
  std::string target = "127.0.0.1:7101";
  std::string scope;
  std::string as = "operator";
  std::vector<std::string> roles = {"orgs.admin"};
  std::string api_key;  // through the gateway: x-api-key instead of a signed principal
  std::string bearer;   // or an app's JWT
  std::string issuer = "grassroots-dev";
  std::string audience = "grassroots";
  int ttl_minutes = 60;
  std::vector<std::string> rest;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "grassroots-cli: %s\n", message.c_str());
  return 1;
}

// The signed principal for --as and --scope, valid for `lifetime`; empty
// without a usable GRASSROOTS_PRINCIPAL_KEY.
std::string Token(const Options& options, absl::Duration lifetime) {
  const char* key = std::getenv("GRASSROOTS_PRINCIPAL_KEY");
  if (key == nullptr) return "";
  auto codec = grassroots::PrincipalCodec::Create(key);
  if (!codec.ok()) return "";
  grassroots::common::v1::Principal principal;
  principal.set_id(options.as);
  principal.set_scope_path(options.scope);
  for (const auto& role : options.roles) principal.add_roles(role);
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + lifetime));
  return codec->Sign(principal);
}

void Authorise(const Options& options, grpc::ClientContext& context) {
  if (!options.api_key.empty()) {
    context.AddMetadata("x-api-key", options.api_key);
  } else if (!options.bearer.empty()) {
    context.AddMetadata("authorization", "Bearer " + options.bearer);
  } else if (const std::string token = Token(options, absl::Minutes(5)); !token.empty()) {
    context.AddMetadata(std::string(grassroots::kPrincipalMetadataKey), token);
  }
}

std::unique_ptr<grpc::ClientContext> Context(const Options& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  Authorise(options, *context);
  return context;
}

// The error as the JSON edge would answer it: code, message, reason.
int FailWith(const grpc::Status& status) {
  std::fprintf(stderr, "%s\n", grassroots::gateway::ConnectErrorBody(status).c_str());
  return 1;
}

std::string Bytes(grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

int Call(const Options& options, const std::shared_ptr<grpc::Channel>& channel) {
  using grassroots::gateway::JsonTranscoder;
  if (options.rest.size() < 2) return Fail("call needs a method and a JSON body");
  const std::string method = options.rest[1];
  const std::string body = options.rest.size() > 2 ? options.rest[2] : "{}";
  const auto* descriptor = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      absl::StrReplaceAll(method, {{"/", "."}}));
  if (descriptor == nullptr) return Fail("unknown method " + method);
  if (descriptor->client_streaming() || descriptor->server_streaming()) {
    return Fail("call takes unary methods; " + method + " streams");
  }
  auto bytes = JsonTranscoder::JsonToBinary(*descriptor->input_type(), body);
  if (!bytes.ok()) return Fail(std::string(bytes.status().message()));
  grpc::Slice slice(*bytes);
  grpc::ByteBuffer send(&slice, 1), received;
  grpc::GenericStub stub(channel);
  auto context = Context(options);
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), "/" + method, grpc::StubOptions(), &send, &received,
                 [&](const grpc::Status& s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return FailWith(status);
  auto json = JsonTranscoder::BinaryToJson(*descriptor->output_type(), Bytes(received));
  if (!json.ok()) return Fail(std::string(json.status().message()));
  std::cout << *json << "\n";
  return 0;
}

int List(const Options& options, const std::shared_ptr<grpc::Channel>& channel) {
  auto methods = grassroots::cli::ListMethods(
      channel, [&options](grpc::ClientContext& context) { Authorise(options, context); });
  if (!methods.ok()) return Fail(std::string(methods.status().message()));
  for (const auto& line : *methods) std::cout << line << "\n";
  return 0;
}

int Jwt(const Options& options) {
  const char* secret = std::getenv("GRASSROOTS_JWT_HS256_SECRET");
  if (secret == nullptr || std::string(secret).size() < 32) {
    return Fail("GRASSROOTS_JWT_HS256_SECRET is unset or shorter than 32 bytes");
  }
  grassroots::gateway::JwtClaims claims;
  claims.issuer = options.issuer;
  claims.audience = options.audience;
  claims.subject = options.as;
  claims.roles = options.roles;
  claims.jurisdiction = options.scope;
  claims.expires = absl::Now() + absl::Minutes(options.ttl_minutes);
  auto token = grassroots::gateway::SignJwtHs256(claims, secret);
  if (!token.ok()) return Fail(std::string(token.status().message()));
  std::cout << *token << "\n";
  return 0;
}

int ImportAreas(const Options& options, const std::shared_ptr<grpc::Channel>& channel) {
  if (options.rest.size() < 2) return Fail("import-areas needs a file");
  std::ifstream in(options.rest[1]);
  if (!in) return Fail("cannot read " + options.rest[1]);
  std::stringstream data;
  data << in.rdbuf();
  using Request = grassroots::orgs::v1::ImportAreasRequest;
  Request request;
  request.set_format(absl::EndsWith(options.rest[1], ".csv") ? Request::CSV : Request::JSON_LINES);
  request.set_data(data.str());
  auto stub = grassroots::orgs::v1::AreaService::NewStub(channel);
  auto context = Context(options);
  grassroots::orgs::v1::ImportAreasResponse response;
  auto writer = stub->ImportAreas(context.get(), &response);
  writer->Write(request);
  writer->WritesDone();
  auto status = writer->Finish();
  if (!status.ok()) return FailWith(status);
  std::cout << "created " << response.created_count() << " areas\n";
  return 0;
}

int Health(const std::shared_ptr<grpc::Channel>& channel) {
  // grpc.health.v1.Health/Check with an empty request (service "").
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::ByteBuffer send, received;
  grpc::Slice empty("");
  send = grpc::ByteBuffer(&empty, 1);
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &send, &received,
                 [&](const grpc::Status& s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return Fail("health: " + status.error_message());
  const std::string out = Bytes(received);
  // HealthCheckResponse { status = 1 }: SERVING is 1, NOT_SERVING 2.
  const bool serving = out.size() == 2 && out[0] == 0x08 && out[1] == 0x01;
  std::cout << (serving ? "SERVING" : "NOT_SERVING") << "\n";
  return serving ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  // `call` finds methods in the linked protos: keep each file's descriptors.
  (void)grassroots::orgs::v1::Organisation::descriptor();
  (void)grassroots::orgs::v1::Member::descriptor();
  (void)grassroots::orgs::v1::DuesPayment::descriptor();
  (void)grassroots::orgs::v1::Transfer::descriptor();
  (void)grassroots::orgs::v1::Link::descriptor();
  (void)grassroots::orgs::v1::Evaluation::descriptor();
  (void)grassroots::orgs::v1::AdmissionList::descriptor();
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (absl::StartsWith(arg, "--target=")) {
      options.target = arg.substr(9);
    } else if (absl::StartsWith(arg, "--scope=")) {
      options.scope = arg.substr(8);
    } else if (absl::StartsWith(arg, "--as=")) {
      options.as = arg.substr(5);
    } else if (absl::StartsWith(arg, "--api-key=")) {
      options.api_key = arg.substr(10);
    } else if (absl::StartsWith(arg, "--bearer=")) {
      options.bearer = arg.substr(9);
    } else if (absl::StartsWith(arg, "--roles=")) {
      options.roles = absl::StrSplit(arg.substr(8), ',', absl::SkipEmpty());
    } else if (absl::StartsWith(arg, "--issuer=")) {
      options.issuer = arg.substr(9);
    } else if (absl::StartsWith(arg, "--audience=")) {
      options.audience = arg.substr(11);
    } else if (absl::StartsWith(arg, "--ttl-minutes=")) {
      if (!absl::SimpleAtoi(arg.substr(14), &options.ttl_minutes) || options.ttl_minutes <= 0) {
        return Fail("--ttl-minutes must be a positive number");
      }
    } else if (absl::StartsWith(arg, "--")) {
      return Fail("unknown option " + arg);
    } else {
      options.rest.push_back(arg);
    }
  }
  if (options.rest.empty()) {
    std::fprintf(
        stderr,
        "usage: grassroots-cli [--target=HOST:PORT] [--scope=PATH] [--as=ID] [--roles=R,...] "
        "[--api-key=K | --bearer=JWT] call METHOD [JSON] | list | health | import-areas FILE | "
        "token | jwt [--issuer=I] [--audience=A] [--ttl-minutes=N]\n");
    return 2;
  }
  auto channel = grpc::CreateChannel(options.target, grpc::InsecureChannelCredentials());
  if (options.rest[0] == "call") return Call(options, channel);
  if (options.rest[0] == "import-areas") return ImportAreas(options, channel);
  if (options.rest[0] == "health") return Health(channel);
  if (options.rest[0] == "list") return List(options, channel);
  if (options.rest[0] == "jwt") return Jwt(options);
  if (options.rest[0] == "token") {
    const std::string token = Token(options, absl::Hours(1));
    if (token.empty()) return Fail("GRASSROOTS_PRINCIPAL_KEY is unset or shorter than 32 bytes");
    std::cout << token << "\n";
    return 0;
  }
  return Fail("unknown command " + options.rest[0]);
}
