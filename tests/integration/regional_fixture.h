// The orgs services of regional party building in one process against a
// real MariaDB, for the regional integration tests. The regional handlers
// run on a ManualClock the tests move (agenda deadlines, overdue projects);
// areas and organisations on the real clock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/crypto/personal_data.h"
#include "common/status/grpc_status.h"
#include "common/time/clock.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/co_building.grpc.pb.h"
#include "grassroots/orgs/v1/joint_meeting.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/resident_unit.grpc.pb.h"
#include "tests/support/test_server.h"

namespace grassroots::orgs::testing {

// The day every suite starts on (the clock is moved per test as needed).
inline constexpr absl::CivilDay kStartDay(2026, 5, 1);

class RegionalServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  db::ConnectionPool& pool();
  static ManualClock& clock();
  // Sets the clock to noon UTC on `day`.
  static void SetToday(absl::CivilDay day);

  // A district `code` with streets s1 (communities c1, c2) and s2 (c3),
  // and their party organisations.
  struct Tree {
    std::string district, s1, s2, c1, c2, c3;                  // area ids
    std::string district_org, s1_org, s2_org, c1_org, c3_org;  // organisation ids
    std::string grid_org;                                      // a grid branch under c1_org
    std::string code;
  };
  Tree MakeTree(const std::string& code);

  // One RPC with a principal of this scope and id; the reply or the status.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Rpc(
      Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
      const Request& request, const std::string& scope = "", const std::string& actor = "tester") {
    Response out;
    auto context = principals_.Context(scope, actor);
    grpc::Status status = (stub.*method)(context.get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // A unit registered at `area` with liaison 王小明 / 13900002222.
  absl::StatusOr<v1::ResidentUnit> AddUnit(const std::string& area, const std::string& name,
                                           v1::ResidentUnit::Kind kind = v1::ResidentUnit::SCHOOL,
                                           const std::string& scope = "",
                                           const std::string& request_id = "");
  absl::StatusOr<v1::BigCommitteeSeat> Seat(const std::string& organisation,
                                            const std::string& unit, const std::string& scope = "",
                                            const std::string& term_end = "2030-12-31");

  absl::StatusOr<v1::JointMeeting> Schedule(const std::string& convener, absl::CivilDay date,
                                            const std::vector<std::string>& units,
                                            const std::string& scope = "",
                                            const std::string& request_id = "");

  std::string OrganisationId(v1::OrganisationKind kind, const std::string& code,
                             const std::string& parent, const std::string& area);
  std::string AreaId(v1::AreaKind kind, const std::string& code, const std::string& parent);

  ::grassroots::testing::TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::ResidentUnitService::Stub> units_;
  std::unique_ptr<v1::BigPartyCommitteeService::Stub> committees_;
  std::unique_ptr<v1::JointMeetingService::Stub> meetings_;
  std::unique_ptr<v1::ResourceMatchingService::Stub> matching_;
  std::unique_ptr<v1::CoBuildingProjectService::Stub> projects_;
};

// "YYYY-MM-DD".
std::string DayText(absl::CivilDay day);

}  // namespace grassroots::orgs::testing
