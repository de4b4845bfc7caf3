#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace grassroots {

// The target gRPC resolves for a service's address: "host:port" goes
// through the DNS resolver ("dns:///host:port"), which answers every ready
// pod of a headless Service; an address that names its resolver ("dns:",
// "ipv4:", "ipv6:", "unix:", ...) is kept as it is.
std::string ResolverTarget(const std::string& address);

// A channel that spreads calls over every address the target resolves to
// (round_robin) instead of pinning the first one (gRPC's default,
// pick_first), so the replicas behind a headless Service share the load.
// New pods are found when DNS is asked again: on a lost connection, which
// the servers' --max-connection-age-ms makes regular.
std::shared_ptr<grpc::Channel> CreateBalancedChannel(const std::string& address,
                                                     grpc::ChannelArguments arguments);

// A balanced channel to another service of the suite, reconnecting within
// seconds of it coming back (gRPC's default backoff grows to two minutes).
std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address);

}  // namespace grassroots
