#include "common/server/balanced_channel.h"

#include "absl/strings/match.h"

namespace grassroots {

std::string ResolverTarget(const std::string& address) {
  // "orgs:7101" also looks like a scheme and a path, so only gRPC's own
  // resolvers' names count as one.
  for (const char* scheme : {"dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:", "vsock:"}) {
    if (absl::StartsWith(address, scheme)) return address;
  }
  return "dns:///" + address;
}

std::shared_ptr<grpc::Channel> CreateBalancedChannel(const std::string& address,
                                                     grpc::ChannelArguments arguments) {
  arguments.SetLoadBalancingPolicyName("round_robin");
  return grpc::CreateCustomChannel(ResolverTarget(address), grpc::InsecureChannelCredentials(),
                                   arguments);
}

std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 500);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return CreateBalancedChannel(address, arguments);
}

}  // namespace grassroots
