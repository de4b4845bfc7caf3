// The volunteer service in one process against a real MariaDB, called over
// gRPC with principals of a chosen scope. Every test ends with the
// invariant checker: a test that breaks the ledger fails even when its own
// assertions pass.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/status/grpc_status.h"
#include "grassroots/volunteer/v1/activity.grpc.pb.h"
#include "grassroots/volunteer/v1/certificate.grpc.pb.h"
#include "grassroots/volunteer/v1/credit.grpc.pb.h"
#include "grassroots/volunteer/v1/expiry.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/roster.grpc.pb.h"
#include "grassroots/volunteer/v1/supermarket.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "grassroots/volunteer/v1/wish.grpc.pb.h"
#include "services/volunteer/wish_sweeper.h"
#include "tests/support/test_server.h"

namespace grassroots::volunteer::testing {

struct VolunteerSuite;
struct VolunteerSuiteDeleter {
  void operator()(VolunteerSuite* suite) const;
};
using VolunteerSuitePtr = std::unique_ptr<VolunteerSuite, VolunteerSuiteDeleter>;
VolunteerSuitePtr StartVolunteerSuite(const std::string& name);
::grassroots::testing::InProcessService& Service(VolunteerSuite& suite);
// The suite's wish sweeper (not started: tests sweep when they choose) and
// the clock it sweeps at, which tests move.
WishSweeper& Sweeper(VolunteerSuite& suite);
ManualClock& SweepClock(VolunteerSuite& suite);
// The clock certificates are posted and issued by, which tests move.
ManualClock& CertificateClock(VolunteerSuite& suite);
// The clock points expire by, which tests move years ahead.
ManualClock& ExpiryClock(VolunteerSuite& suite);
// The suite's metrics, as Prometheus would scrape them.
std::string ScrapeMetrics(VolunteerSuite& suite);

class VolunteerClient {
 public:
  explicit VolunteerClient(VolunteerSuite& suite);

  // One RPC with a principal of this scope and id: the reply or the status.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Rpc(Stub& stub,
                               grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                            Response*),
                               const Request& request, const std::string& scope = "",
                               const std::string& actor = "tester") const {
    Response out;
    auto context = principals_.Context(scope, actor);
    grpc::Status status = (stub.*method)(context.get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // A community's account, opened.
  absl::StatusOr<v1::Account> Open(v1::AccountKind kind, const std::string& community,
                                   const std::string& scope = "");
  // A volunteer of the community (its account opens with it).
  absl::StatusOr<v1::Volunteer> NewVolunteer(const std::string& community,
                                             const std::string& name = "张三丰",
                                             const std::string& member_id = "",
                                             const std::string& scope = "",
                                             const std::string& request_id = "") const;
  absl::StatusOr<v1::Transfer> Transfer(const std::string& id, const std::string& debit,
                                        const std::string& credit, int64_t amount,
                                        const std::string& scope = "",
                                        const std::string& memo = "") const;
  // The balance, or -1 (and a failure) when it cannot be read.
  int64_t Balance(const std::string& account) const;
  absl::StatusOr<v1::CheckInvariantsResponse> Check() const;

  ::grassroots::testing::TestPrincipals principals_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_;
  std::unique_ptr<v1::VolunteerService::Stub> volunteers_;
  std::unique_ptr<v1::ActivityService::Stub> activities_;
  std::unique_ptr<v1::SupermarketService::Stub> supermarket_;
  std::unique_ptr<v1::CreditService::Stub> credits_;
  std::unique_ptr<v1::WishService::Stub> wishes_;
  std::unique_ptr<v1::CertificateService::Stub> certificates_;
  std::unique_ptr<v1::PointsExpiryService::Stub> expiry_;
  std::unique_ptr<v1::RosterService::Stub> roster_;

 protected:
  VolunteerSuite& suite_;
};

// A test suite sharing one service; each test ends with CheckInvariants.
class VolunteerServiceTest : public ::testing::Test, public VolunteerClient {
 protected:
  VolunteerServiceTest() : VolunteerClient(*suite_) {}
  static void SetUpTestSuite() { suite_ = StartVolunteerSuite("volunteer").release(); }
  static void TearDownTestSuite();
  void TearDown() override;

  static VolunteerSuite* suite_;
};

std::string Reason(const absl::Status& status);

}  // namespace grassroots::volunteer::testing
