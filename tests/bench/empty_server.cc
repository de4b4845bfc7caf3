// The framework limit: a server built by ServiceHost like every service,
// whose one method verifies the principal and answers at once.
#include <cstdio>

#include "common/server/call.h"
#include "common/server/service_host.h"
#include "grassroots/bench/v1/bench.grpc.pb.h"

namespace {

class EmptyHandler final : public grassroots::bench::v1::BenchService::CallbackService {
 public:
  explicit EmptyHandler(const grassroots::ServiceEnv& env) : env_(env) {}
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* context,
                                 const grassroots::bench::v1::PingRequest* request,
                                 grassroots::bench::v1::PingResponse* response) override {
    auto* reactor = context->DefaultReactor();
    auto call = grassroots::Authenticate(*context, env_);
    if (call.ok()) response->set_id(request->id());
    reactor->Finish(grassroots::ToGrpcStatus(call.status()));
    return reactor;
  }

 private:
  const grassroots::ServiceEnv& env_;
};

}  // namespace

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  auto config = grassroots::Config::FromProcess(
      grassroots::ServiceHost::StandardOptions(7199, 9199, /*database=*/false), argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "bench-empty: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  auto host = grassroots::ServiceHost::Create("bench", *config, {});
  if (!host.ok()) {
    std::fprintf(stderr, "bench-empty: %s\n", std::string(host.status().message()).c_str());
    return 2;
  }
  EmptyHandler handler((*host)->env());
  (*host)->AddService(&handler);
  return (*host)->Run().ok() ? 0 : 1;
}
