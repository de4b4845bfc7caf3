#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/auth/principal_codec.h"
#include "common/db/connection_pool.h"
#include "common/server/service_host.h"

namespace grassroots::testing {

inline constexpr char kTestPrincipalKey[] = "test-principal-key-0123456789abcdef0123456789";
inline constexpr char kTestPersonalDataKey[] = "test-personal-data-key-0123456789abcdef0123";

// The first column of the first row of `sql` as a number (-1 on failure,
// which also fails the test): for counting rows in assertions.
int64_t QueryInt(db::ConnectionPool& pool, const std::string& sql);

// Signs principals the way the gateway does, for tests calling services.
class TestPrincipals {
 public:
  TestPrincipals();
  // A context carrying a principal with this id and scope, valid 36 hours.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& scope,
                                               const std::string& id = "tester") const;
  const PrincipalCodec& codec() const { return *codec_; }

 private:
  std::unique_ptr<PrincipalCodec> codec_;
};

// A service host running in this process on free ports against a fresh
// schema. `register_services` adds the handlers (they must outlive Stop).
class InProcessService {
 public:
  InProcessService(const std::string& service, db::DbOptions database,
                   std::vector<const db::MigrationSet*> migrations);
  ~InProcessService();

  ServiceHost& host() { return *host_; }
  const ServiceEnv& env() const { return host_->env(); }
  // Starts serving and waits until health is SERVING.
  void Start(const std::vector<grpc::Service*>& services);
  void Stop();
  std::shared_ptr<grpc::Channel> Channel();
  const db::DbOptions& database() const { return database_; }

 private:
  db::DbOptions database_;
  std::unique_ptr<ServiceHost> host_;
  std::thread runner_;
  absl::Status run_status_;
};

}  // namespace grassroots::testing
