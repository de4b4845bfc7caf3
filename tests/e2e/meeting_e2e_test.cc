// Organisational life through the real gateway and orgs processes, on both
// edges: a committee appointed and read as JSON, a member assembly planned
// as JSON and recorded over gRPC with its quorum, the clock and compliance,
// a street officer refused another street's branch and a viewer refused a
// write.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grassroots/orgs/v1/committee.grpc.pb.h"
#include "grassroots/orgs/v1/meeting.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

using testing::GatewayProcessTest;

const std::map<std::string, std::string> kCity{{"x-api-key", "city-secret"}};

class MeetingE2eTest : public GatewayProcessTest {
 protected:
  // A JSON call that must succeed, parsed into `out`.
  template <typename Message>
  void Json(const std::string& method, const std::string& body, Message* out) {
    auto answer = PostJson(method, body, kCity);
    ASSERT_EQ(answer.status, 200) << method << ": " << answer.body;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(answer.body, out).ok()) << answer.body;
  }

  std::string Organisation(const std::string& kind, const std::string& code,
                           const std::string& parent, const std::string& area) {
    orgs::v1::Organisation out;
    Json("/grassroots.orgs.v1.OrganisationService/CreateOrganisation",
         absl::StrCat(R"({"organisation":{"kind":")", kind, R"(","code":")", code,
                      R"(","displayName":")", code, R"(","areaId":")", area, R"(")",
                      parent.empty() ? "" : absl::StrCat(R"(,"parentId":")", parent, R"(")"), "}}"),
         &out);
    return out.id();
  }

  orgs::v1::Member Member(const std::string& organisation, int serial) {
    std::string id = absl::StrCat("1101011985", 1000000 + serial);
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int d = 0; d < 17; ++d) sum += (id[d] - '0') * kWeights[d];
    id.push_back("10X98765432"[sum % 11]);
    orgs::v1::AddMemberRequest request;
    request.mutable_member()->set_organisation_id(organisation);
    request.mutable_member()->set_status(orgs::v1::FULL);
    request.mutable_member()->set_join_date("2012-07-01");
    request.mutable_member()->set_name("王小明");
    request.mutable_member()->set_id_number(id);
    orgs::v1::Member out;
    auto stub = orgs::v1::MemberService::NewStub(GatewayChannel());
    auto status = stub->AddMember(Context("city-secret").get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
};

TEST_F(MeetingE2eTest, OrganisationalLifeThroughBothEdges) {
  orgs::v1::Area d, s1, s2, c1, c2;
  MakeTree(&d, &s1, &s2);
  ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c1", s1.id(), &c1).ok());
  ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c2", s2.id(), &c2).ok());
  const std::string district = Organisation("DISTRICT_COMMITTEE", "gw-d", "", d.id());
  const std::string street1 = Organisation("STREET_WORKING_COMMITTEE", "s1", district, s1.id());
  const std::string street2 = Organisation("STREET_WORKING_COMMITTEE", "s2", district, s2.id());
  const std::string community1 = Organisation("COMMUNITY_COMMITTEE", "c1", street1, c1.id());
  const std::string community2 = Organisation("COMMUNITY_COMMITTEE", "c2", street2, c2.id());
  const std::string branch1 = Organisation("GRID_BRANCH", "g1", community1, c1.id());
  const std::string branch2 = Organisation("GRID_BRANCH", "g2", community2, c2.id());
  std::vector<orgs::v1::Member> members;
  for (int i = 0; i < 3; ++i) members.push_back(Member(branch1, i));

  // A committee member appointed as JSON; the committee read over gRPC.
  orgs::v1::CommitteeSeat seat;
  Json("/grassroots.orgs.v1.CommitteeService/AppointCommitteeMember",
       absl::StrCat(R"({"organisationId":")", branch1, R"(","memberId":")", members[0].id(),
                    R"(","role":"SECRETARY","startDate":"2024-01-10","requestId":"e2e-seat"})"),
       &seat);
  EXPECT_EQ(seat.role(), orgs::v1::SECRETARY);
  EXPECT_EQ(seat.name(), "王*明");
  auto committees = orgs::v1::CommitteeService::NewStub(GatewayChannel());
  orgs::v1::GetCommitteeRequest get_committee;
  get_committee.set_organisation_id(branch1);
  orgs::v1::Committee committee;
  ASSERT_TRUE(
      committees->GetCommittee(Context("viewer-secret").get(), get_committee, &committee).ok());
  ASSERT_EQ(committee.seats_size(), 1);
  EXPECT_EQ(committee.full_members(), 3);
  EXPECT_TRUE(committee.meets_rules());

  // A member assembly planned as JSON, its roster and record over gRPC.
  orgs::v1::Meeting planned;
  Json("/grassroots.orgs.v1.MeetingService/PlanMeeting",
       absl::StrCat(R"({"meeting":{"organisationId":")", branch1,
                    R"(","type":"MEMBER_ASSEMBLY","topic":"年度工作计划",)",
                    R"("plannedDate":"2026-03-10"},"requestId":"e2e-plan"})"),
       &planned);
  EXPECT_EQ(planned.state(), orgs::v1::Meeting::PLANNED);
  auto meetings = orgs::v1::MeetingService::NewStub(GatewayChannel());
  orgs::v1::GetMeetingRosterRequest roster_request;
  roster_request.set_organisation_id(branch1);
  roster_request.set_type(orgs::v1::MEMBER_ASSEMBLY);
  roster_request.set_date("2026-03-10");
  orgs::v1::MeetingRoster roster;
  ASSERT_TRUE(
      meetings->GetMeetingRoster(Context("city-secret").get(), roster_request, &roster).ok());
  ASSERT_EQ(roster.members_size(), 3);
  orgs::v1::RecordMeetingRequest record;
  record.set_id(planned.id());
  record.set_etag(planned.etag());
  record.set_actual_date("2026-03-10");
  record.add_decisions("adopt the year's work plan");
  for (int i = 0; i < 3; ++i) {
    auto* a = record.add_attendance();
    a->set_member_id(roster.members(i).member_id());
    a->set_present(i < 2);
    if (i == 2) a->set_absence_reason("working away");
  }
  orgs::v1::Meeting held;
  auto recorded = meetings->RecordMeeting(Context("street-secret").get(), record, &held);
  ASSERT_TRUE(recorded.ok()) << recorded.error_message();
  EXPECT_TRUE(held.valid());
  EXPECT_EQ(held.quorum().required(), 2);
  // The same meeting as JSON.
  auto as_json = PostJson("/grassroots.orgs.v1.MeetingService/GetMeeting",
                          absl::StrCat(R"({"id":")", planned.id(), R"("})"), kCity);
  ASSERT_EQ(as_json.status, 200) << as_json.body;
  EXPECT_NE(as_json.body.find(R"("state":"HELD")"), std::string::npos) << as_json.body;
  EXPECT_NE(as_json.body.find(R"("quorate":true)"), std::string::npos) << as_json.body;
  EXPECT_NE(as_json.body.find(R"("absenceReason":"working away")"), std::string::npos);

  // The clock and the compliance report, one edge each.
  auto clock = PostJson("/grassroots.orgs.v1.MeetingService/GetMeetingClock",
                        absl::StrCat(R"({"organisationId":")", branch1, R"("})"),
                        {{"x-api-key", "viewer-secret"}});
  ASSERT_EQ(clock.status, 200) << clock.body;
  EXPECT_NE(clock.body.find(R"("lastValidDate":"2026-03-10")"), std::string::npos) << clock.body;
  orgs::v1::GetMeetingComplianceRequest compliance_request;
  compliance_request.set_organisation_id(district);
  compliance_request.set_from_date("2026-01-01");
  compliance_request.set_to_date("2026-03-31");
  orgs::v1::MeetingCompliance compliance;
  ASSERT_TRUE(
      meetings->GetMeetingCompliance(Context("city-secret").get(), compliance_request, &compliance)
          .ok());
  EXPECT_EQ(compliance.totals().valid(), 1);

  // Scope: street s1's officer can neither plan for nor read street s2's branch.
  orgs::v1::Meeting elsewhere;
  Json("/grassroots.orgs.v1.MeetingService/PlanMeeting",
       absl::StrCat(R"({"meeting":{"organisationId":")", branch2,
                    R"(","type":"PARTY_LECTURE","topic":"党课","plannedDate":"2026-04-01"}})"),
       &elsewhere);
  auto refused = PostJson("/grassroots.orgs.v1.MeetingService/PlanMeeting",
                          absl::StrCat(R"({"meeting":{"organisationId":")", branch2,
                                       R"(","type":"PARTY_LECTURE","topic":"党课",)",
                                       R"("plannedDate":"2026-04-02"}})"),
                          {{"x-api-key", "street-secret"}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("OUT_OF_SCOPE"), std::string::npos) << refused.body;
  orgs::v1::GetMeetingRequest get;
  get.set_id(elsewhere.id());
  orgs::v1::Meeting read;
  EXPECT_EQ(meetings->GetMeeting(Context("street-secret").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(meetings->GetMeeting(Context("city-secret").get(), get, &read).ok());

  // Roles: a viewer reads but may not plan, on either edge.
  auto viewer_plan = PostJson("/grassroots.orgs.v1.MeetingService/PlanMeeting",
                              absl::StrCat(R"({"meeting":{"organisationId":")", branch1,
                                           R"(","type":"PARTY_LECTURE","topic":"党课",)",
                                           R"("plannedDate":"2026-04-02"}})"),
                              {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(viewer_plan.status, 403) << viewer_plan.body;
  EXPECT_NE(viewer_plan.body.find("ROLE_REQUIRED"), std::string::npos) << viewer_plan.body;
  orgs::v1::PlanMeetingRequest plan;
  plan.mutable_meeting()->set_organisation_id(branch1);
  plan.mutable_meeting()->set_type(orgs::v1::PARTY_LECTURE);
  plan.mutable_meeting()->set_topic("党课");
  plan.mutable_meeting()->set_planned_date("2026-04-02");
  orgs::v1::Meeting not_planned;
  EXPECT_EQ(meetings->PlanMeeting(Context("viewer-secret").get(), plan, &not_planned).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  orgs::v1::EndCommitteeSeatRequest end;
  end.set_id(seat.id());
  end.set_etag(seat.etag());
  end.set_end_date("2025-01-10");
  end.set_reason(orgs::v1::CommitteeSeat::RESIGNATION);
  orgs::v1::CommitteeSeat not_ended;
  EXPECT_EQ(
      committees->EndCommitteeSeat(Context("viewer-secret").get(), end, &not_ended).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

// A cycle length that does not divide the year stops orgs at start-up,
// naming the option, before it touches the database.
TEST(MeetingOptionsTest, AMeetingCycleMustDivideTheYear) {
  const std::string command = absl::StrCat(
      GRASSROOTS_ORGS_BINARY, " --principal-key=", testing::kTestPrincipalKey,
      " --personal-data-key=", testing::kTestPersonalDataKey,
      " --db-user=nobody --db-schema=none --db-port=1 --meeting-party-lecture-months=5 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2) << output;
  EXPECT_NE(output.find("--meeting-party-lecture-months: must be 1, 2, 3, 4, 6 or 12"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace grassroots
