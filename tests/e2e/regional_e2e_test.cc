// Regional party building through the real gateway and orgs processes, on
// both edges (Connect JSON and gRPC): a resident unit's liaison masked on
// both, another street refused, a viewer refused the reveal and the
// writes; a joint meeting with an agenda item; a resource matched to a
// need, becoming a co-building project.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grassroots/orgs/v1/co_building.grpc.pb.h"
#include "grassroots/orgs/v1/joint_meeting.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/resident_unit.grpc.pb.h"
#include "tests/e2e/gateway_fixture.h"

namespace grassroots {
namespace {

using testing::GatewayProcessTest;
using Headers = std::map<std::string, std::string>;

const Headers kCity{{"x-api-key", "city-secret"}};
const Headers kStreet{{"x-api-key", "street-secret"}};  // scope gw-d/s1
const Headers kViewer{{"x-api-key", "viewer-secret"}};

constexpr char kUnits[] = "/grassroots.orgs.v1.ResidentUnitService/";
constexpr char kMeetings[] = "/grassroots.orgs.v1.JointMeetingService/";
constexpr char kMatching[] = "/grassroots.orgs.v1.ResourceMatchingService/";

template <typename Message>
Message Parse(const std::string& json) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
  return message;
}

class RegionalE2eTest : public GatewayProcessTest {
 protected:
  std::string Organisation(const std::string& kind, const std::string& code,
                           const std::string& parent, const std::string& area) {
    auto answer = PostJson("/grassroots.orgs.v1.OrganisationService/CreateOrganisation",
                           absl::StrCat(R"({"organisation":{"kind":")", kind, R"(","code":")", code,
                                        R"(","displayName":"Committee )", code, R"(","parentId":")",
                                        parent, R"(","areaId":")", area, R"("}})"),
                           kCity);
    EXPECT_EQ(answer.status, 200) << answer.body;
    return Parse<orgs::v1::Organisation>(answer.body).id();
  }
  testing::HttpResult Unit(const std::string& area, const std::string& name, const Headers& key) {
    return PostJson(absl::StrCat(kUnits, "CreateResidentUnit"),
                    absl::StrCat(R"({"unit":{"areaId":")", area, R"(","displayName":")", name,
                                 R"(","kind":"HOSPITAL","employeeCount":640,)",
                                 R"("liaisonName":"李四海","liaisonPhone":"13712345678"}})"),
                    key);
  }
};

TEST_F(RegionalE2eTest, ResidentUnitsMeetingsAndMatchesThroughBothEdges) {
  orgs::v1::Area d, s1, s2, c1;
  MakeTree(&d, &s1, &s2);
  ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c1", s1.id(), &c1).ok());
  const std::string district = Organisation("DISTRICT_COMMITTEE", "gw-d", "", d.id());
  const std::string street = Organisation("STREET_WORKING_COMMITTEE", "s1", district, s1.id());

  // The liaison goes in clear and comes back masked, on both edges.
  auto created = Unit(c1.id(), "Riverside Hospital", kStreet);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_NE(created.body.find(R"("liaisonPhone":"137****5678")"), std::string::npos)
      << created.body;
  EXPECT_NE(created.body.find(R"("liaisonName":"李*海")"), std::string::npos) << created.body;
  EXPECT_EQ(created.body.find("13712345678"), std::string::npos) << created.body;
  EXPECT_EQ(created.body.find("李四海"), std::string::npos) << created.body;
  const auto hospital = Parse<orgs::v1::ResidentUnit>(created.body);
  EXPECT_EQ(hospital.area_path(), "gw-d/s1/c1");
  auto units = orgs::v1::ResidentUnitService::NewStub(GatewayChannel());
  orgs::v1::GetResidentUnitRequest get;
  get.set_id(hospital.id());
  orgs::v1::ResidentUnit read;
  ASSERT_TRUE(units->GetResidentUnit(Context("viewer-secret").get(), get, &read).ok());
  EXPECT_EQ(read.liaison_phone(), "137****5678");
  EXPECT_EQ(read.liaison_name(), "李*海");

  // Street s1's key cannot see a unit of street s2, on either edge.
  auto elsewhere = Unit(s2.id(), "Other Street Factory", kCity);
  ASSERT_EQ(elsewhere.status, 200) << elsewhere.body;
  const auto factory = Parse<orgs::v1::ResidentUnit>(elsewhere.body);
  auto hidden = PostJson(absl::StrCat(kUnits, "GetResidentUnit"),
                         absl::StrCat(R"({"id":")", factory.id(), R"("})"), kStreet);
  EXPECT_EQ(hidden.status, 403) << hidden.body;
  EXPECT_NE(hidden.body.find("OUT_OF_SCOPE"), std::string::npos) << hidden.body;
  get.set_id(factory.id());
  EXPECT_EQ(units->GetResidentUnit(Context("street-secret").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Unit(s2.id(), "Not Mine", kStreet).status, 403);

  // Revealing takes orgs.admin: a viewer is refused on both edges.
  const std::string reveal_body =
      absl::StrCat(R"({"id":")", hospital.id(), R"(","purpose":"invite to the joint meeting"})");
  auto viewer_reveal = PostJson(absl::StrCat(kUnits, "RevealUnitLiaison"), reveal_body, kViewer);
  EXPECT_EQ(viewer_reveal.status, 403) << viewer_reveal.body;
  EXPECT_NE(viewer_reveal.body.find("ROLE_REQUIRED"), std::string::npos) << viewer_reveal.body;
  orgs::v1::RevealUnitLiaisonRequest reveal;
  reveal.set_id(hospital.id());
  reveal.set_purpose("invite to the joint meeting");
  orgs::v1::UnitLiaison liaison;
  EXPECT_EQ(units->RevealUnitLiaison(Context("viewer-secret").get(), reveal, &liaison).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto revealed = PostJson(absl::StrCat(kUnits, "RevealUnitLiaison"), reveal_body, kStreet);
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_NE(revealed.body.find("13712345678"), std::string::npos) << revealed.body;
  ASSERT_TRUE(units->RevealUnitLiaison(Context("city-secret").get(), reveal, &liaison).ok());
  EXPECT_EQ(liaison.name(), "李四海");
  // Viewers read but do not write.
  EXPECT_EQ(Unit(c1.id(), "Viewer's Unit", kViewer).status, 403);

  // A joint meeting a month ahead, with an agenda item from the hospital.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  auto scheduled =
      PostJson(absl::StrCat(kMeetings, "ScheduleJointMeeting"),
               absl::StrCat(R"({"convenerOrganisationId":")", street,
                            R"(","title":"Quarterly joint meeting","meetingDate":")",
                            absl::FormatCivilTime(today + 30), R"(","invitedUnitIds":[")",
                            hospital.id(), R"("],"requestId":"e2e-meeting"})"),
               kStreet);
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  const auto meeting = Parse<orgs::v1::JointMeeting>(scheduled.body);
  EXPECT_EQ(meeting.state(), orgs::v1::JointMeeting::PLANNED);
  EXPECT_EQ(meeting.agenda_due_date(), absl::FormatCivilTime(today + 15));
  auto meetings = orgs::v1::JointMeetingService::NewStub(GatewayChannel());
  orgs::v1::SubmitAgendaItemRequest item;
  item.set_meeting_id(meeting.id());
  item.set_unit_id(hospital.id());
  item.set_title("Free clinics in the community");
  orgs::v1::JointMeetingAgendaItem submitted;
  ASSERT_TRUE(meetings->SubmitAgendaItem(Context("street-secret").get(), item, &submitted).ok());
  // Not held yet: recording it today is refused with the rule's reason.
  auto early = PostJson(absl::StrCat(kMeetings, "RecordJointMeeting"),
                        absl::StrCat(R"({"id":")", meeting.id(), R"(","presentUnitIds":[")",
                                     hospital.id(), R"("],"minutes":"not yet"})"),
                        kStreet);
  EXPECT_EQ(early.status, 400) << early.body;
  EXPECT_NE(early.body.find("MEETING_NOT_YET_HELD"), std::string::npos) << early.body;

  // The hospital's rooms matched to the community's need, on JSON; the
  // project read back on gRPC.
  auto offered = PostJson(
      absl::StrCat(kMatching, "PublishResource"),
      absl::StrCat(R"({"resource":{"unitId":")", hospital.id(),
                   R"(","category":"RESOURCE_CATEGORY_MEDICAL",)",
                   R"("description":"Two doctors one Saturday a month",)", R"("capacity":12}})"),
      kStreet);
  ASSERT_EQ(offered.status, 200) << offered.body;
  const auto resource = Parse<orgs::v1::UnitResource>(offered.body);
  auto needed = PostJson(
      absl::StrCat(kMatching, "PublishNeed"),
      absl::StrCat(R"({"need":{"areaId":")", c1.id(),
                   R"(","category":"RESOURCE_CATEGORY_MEDICAL",)",
                   R"("description":"Health checks for elderly residents",)", R"("quantity":4}})"),
      kStreet);
  ASSERT_EQ(needed.status, 200) << needed.body;
  const auto need = Parse<orgs::v1::CommunityNeed>(needed.body);
  auto matched = PostJson(absl::StrCat(kMatching, "MatchNeeds"),
                          absl::StrCat(R"({"areaId":")", s1.id(), R"("})"), kViewer);
  ASSERT_EQ(matched.status, 200) << matched.body;
  const auto matches = Parse<orgs::v1::MatchNeedsResponse>(matched.body);
  ASSERT_EQ(matches.matches_size(), 1);
  ASSERT_EQ(matches.matches(0).candidates_size(), 1);
  EXPECT_EQ(matches.matches(0).candidates(0).resource().id(), resource.id());
  EXPECT_EQ(matches.matches(0).candidates(0).proximity(), orgs::v1::MatchCandidate::SAME_COMMUNITY);
  auto accepted =
      PostJson(absl::StrCat(kMatching, "AcceptMatch"),
               absl::StrCat(R"({"needId":")", need.id(), R"(","resourceId":")", resource.id(),
                            R"(","quantity":4,"projectTitle":"Saturday health checks",)",
                            R"("projectDueDate":")", absl::FormatCivilTime(today + 60), R"("})"),
               kStreet);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const auto match = Parse<orgs::v1::ResourceMatch>(accepted.body);
  EXPECT_EQ(match.need().state(), orgs::v1::CommunityNeed::FULFILLED);
  EXPECT_EQ(match.resource().remaining(), 8);
  auto projects = orgs::v1::CoBuildingProjectService::NewStub(GatewayChannel());
  orgs::v1::GetCoBuildingProjectRequest project_request;
  project_request.set_id(match.project().id());
  orgs::v1::CoBuildingProject project;
  ASSERT_TRUE(
      projects->GetCoBuildingProject(Context("viewer-secret").get(), project_request, &project)
          .ok());
  EXPECT_EQ(project.source(), orgs::v1::CoBuildingProject::ACCEPTED_MATCH);
  EXPECT_EQ(project.owner_unit_name(), "Riverside Hospital");
  EXPECT_FALSE(project.overdue());
  // Changing a project's status is a write: refused to the viewer.
  orgs::v1::UpdateCoBuildingProjectStatusRequest start;
  start.set_id(project.id());
  start.set_state(orgs::v1::CoBuildingProject::IN_PROGRESS);
  EXPECT_EQ(projects->UpdateCoBuildingProjectStatus(Context("viewer-secret").get(), start, &project)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      projects->UpdateCoBuildingProjectStatus(Context("street-secret").get(), start, &project)
          .ok());
  EXPECT_EQ(project.state(), orgs::v1::CoBuildingProject::IN_PROGRESS);
}

// The agenda deadline is an orgs option; a value out of range stops the
// process at start with status 2, naming the option, before any connection.
TEST(RegionalOptionsTest, AgendaDaysOutOfRangeStopTheProcess) {
  for (const char* days : {"-1", "91"}) {
    const std::string command = absl::StrCat(
        GRASSROOTS_ORGS_BINARY,
        " --principal-key=0123456789abcdef0123456789abcdef --db-user=nobody --db-password=x"
        " --db-schema=none --personal-data-key=0123456789abcdef0123456789abcdef"
        " --joint-meeting-agenda-days=",
        days, " 2>&1");
    FILE* out = popen(command.c_str(), "r");
    ASSERT_NE(out, nullptr);
    std::string text;
    char buffer[256];
    while (fgets(buffer, sizeof buffer, out) != nullptr) text += buffer;
    const int status = pclose(out);
    EXPECT_EQ(WEXITSTATUS(status), 2) << text;
    EXPECT_NE(text.find("--joint-meeting-agenda-days must be between 0 and 90"), std::string::npos)
        << text;
  }
}

}  // namespace
}  // namespace grassroots
