// Channels to a service with several replicas (common/server/balanced_channel):
// calls spread over every address the target resolves to, as they must
// behind a headless Service, and plain host:port names go through DNS.
#include "common/server/balanced_channel.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grassroots/bench/v1/bench.grpc.pb.h"

namespace grassroots {
namespace {

using bench::v1::BenchService;
using bench::v1::PingRequest;
using bench::v1::PingResponse;

// A replica that answers with its own name.
class Replica final : public BenchService::Service {
 public:
  explicit Replica(std::string name) : name_(std::move(name)) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~Replica() override { server_->Shutdown(); }
  int port() const { return port_; }

  grpc::Status Ping(grpc::ServerContext*, const PingRequest*, PingResponse* out) override {
    out->set_id(name_);
    return grpc::Status::OK;
  }

 private:
  std::string name_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

// Which replica answered each of `calls` calls.
std::map<std::string, int> Answers(const std::shared_ptr<grpc::Channel>& channel, int calls) {
  auto stub = BenchService::NewStub(channel);
  std::map<std::string, int> answers;
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    context.set_wait_for_ready(true);
    PingResponse response;
    grpc::Status status = stub->Ping(&context, PingRequest(), &response);
    ++answers[status.ok() ? response.id() : status.error_message()];
  }
  return answers;
}

TEST(BalancedChannelTest, NamesWithoutAResolverGoThroughDns) {
  EXPECT_EQ(ResolverTarget("orgs:7101"), "dns:///orgs:7101");
  EXPECT_EQ(ResolverTarget("127.0.0.1:7101"), "dns:///127.0.0.1:7101");
  EXPECT_EQ(ResolverTarget("dns:///orgs.grassroots.svc:7101"), "dns:///orgs.grassroots.svc:7101");
  EXPECT_EQ(ResolverTarget("ipv4:10.0.0.1:7101,10.0.0.2:7101"), "ipv4:10.0.0.1:7101,10.0.0.2:7101");
  EXPECT_EQ(ResolverTarget("unix:/run/orgs.sock"), "unix:/run/orgs.sock");
}

TEST(BalancedChannelTest, CallsSpreadOverEveryResolvedAddress) {
  Replica a("a"), b("b");
  auto channel =
      CreateBalancedChannel(absl::StrCat("ipv4:127.0.0.1:", a.port(), ",127.0.0.1:", b.port()), {});
  // Once both connections are up, round_robin takes them in turn;
  // pick_first would send every call to the first.
  ASSERT_TRUE(
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)));
  Answers(channel, 10);
  auto answers = Answers(channel, 40);
  EXPECT_EQ(answers.size(), 2u);
  EXPECT_GE(answers["a"], 15);
  EXPECT_GE(answers["b"], 15);
}

TEST(BalancedChannelTest, AHostNameIsResolvedByDns) {
  Replica a("a");
  auto answers = Answers(CreateBalancedChannel(absl::StrCat("localhost:", a.port()), {}), 3);
  EXPECT_EQ(answers, (std::map<std::string, int>{{"a", 3}}));
}

}  // namespace
}  // namespace grassroots
