// grassroots-cli: call any method of the suite by its full name with a JSON
// body, straight to a service, signing the principal with the internal key.
//
//   grassroots-cli [--target=127.0.0.1:7101] [--scope=d01/s03] [--as=operator] [--api-key=K]
//                  call grassroots.orgs.v1.AreaService/ListAreas '{"subtree":true}'
//   grassroots-cli import-areas FILE.csv|FILE.jsonl
//   grassroots-cli health
//   grassroots-cli token        (prints a signed principal valid one hour, for h2load/curl)
//
// Straight to a service the principal is signed with GRASSROOTS_PRINCIPAL_KEY;
// through the gateway (--target=127.0.0.1:7100) pass --api-key instead.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "common/auth/principal_codec.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"

namespace {

struct Options {
  std::string target = "127.0.0.1:7101";
  std::string scope;
  std::string as = "operator";
  std::string api_key;  // through the gateway: x-api-key instead of a signed principal
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
  principal.add_roles("orgs.admin");
  principal.set_expires_unix_seconds(absl::ToUnixSeconds(absl::Now() + lifetime));
  return codec->Sign(principal);
}

std::unique_ptr<grpc::ClientContext> Context(const Options& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  if (!options.api_key.empty()) {
    context->AddMetadata("x-api-key", options.api_key);
    return context;
  }
  const std::string token = Token(options, absl::Minutes(5));
  if (!token.empty()) {
    context->AddMetadata(std::string(grassroots::kPrincipalMetadataKey), token);
  }
  return context;
}

std::string Bytes(grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

int Call(const Options& options, const std::shared_ptr<grpc::Channel>& channel) {
  if (options.rest.size() < 2) return Fail("call needs a method and a JSON body");
  const std::string method = options.rest[1];
  const std::string body = options.rest.size() > 2 ? options.rest[2] : "{}";
  const auto* descriptor = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
      absl::StrReplaceAll(method, {{"/", "."}}));
  if (descriptor == nullptr) return Fail("unknown method " + method);
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(descriptor->input_type())->New());
  std::unique_ptr<google::protobuf::Message> response(
      factory.GetPrototype(descriptor->output_type())->New());
  auto parsed = google::protobuf::util::JsonStringToMessage(body, request.get());
  if (!parsed.ok()) return Fail("request JSON: " + std::string(parsed.message()));
  std::string bytes = request->SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer send(&slice, 1), received;
  grpc::GenericStub stub(channel);
  auto context = Context(options);
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), "/" + method, grpc::StubOptions(), &send, &received,
                 [&](const grpc::Status& s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    return Fail(absl::StrCat(status.error_code(), " ", status.error_message()));
  }
  if (!response->ParseFromString(Bytes(received))) return Fail("cannot parse the response");
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(*response, &json, print);
  std::cout << json;
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
  if (!status.ok()) return Fail(absl::StrCat(status.error_code(), " ", status.error_message()));
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
    } else {
      options.rest.push_back(arg);
    }
  }
  if (options.rest.empty()) {
    std::fprintf(
        stderr,
        "usage: grassroots-cli [--target=HOST:PORT] [--scope=PATH] [--as=ID] [--api-key=K] "
        "call METHOD [JSON] | import-areas FILE | health | token\n");
    return 2;
  }
  auto channel = grpc::CreateChannel(options.target, grpc::InsecureChannelCredentials());
  if (options.rest[0] == "call") return Call(options, channel);
  if (options.rest[0] == "import-areas") return ImportAreas(options, channel);
  if (options.rest[0] == "health") return Health(channel);
  if (options.rest[0] == "token") {
    const std::string token = Token(options, absl::Hours(1));
    if (token.empty()) return Fail("GRASSROOTS_PRINCIPAL_KEY is unset or shorter than 32 bytes");
    std::cout << token << "\n";
    return 0;
  }
  return Fail("unknown command " + options.rest[0]);
}
