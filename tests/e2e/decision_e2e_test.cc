// Major-matter decisions and consultations through the real gateway in front
// of the real orgs process, on both edges (Connect JSON and gRPC): the steps
// of a matter up to its resolution's publication, the 7-day refusal, an
// objection, a consultation's one vote per household, a street scope
// refusal and a role refusal.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/orgs/v1/consultation.grpc.pb.h"
#include "grassroots/orgs/v1/decision.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

using orgs::v1::Area;
using orgs::v1::Matter;
using testing::GatewayProcessTest;

// The orgs process answers while it is still migrating; these tests need
// every table, so they wait for its health to say SERVING (the standard
// health service's Check, spoken as raw bytes: an empty request, and
// status SERVING = field 1, value 1).
bool OrgsServing(int port) {
  grpc::GenericStub stub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (int attempt = 0; attempt < 300; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    grpc::CompletionQueue queue;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request, &queue);
    call->StartCall();
    grpc::ByteBuffer response;
    grpc::Status status;
    call->Finish(&response, &status, nullptr);
    void* tag = nullptr;
    bool ok = false;
    queue.Next(&tag, &ok);
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    if (status.ok()) {
      std::vector<grpc::Slice> slices;
      std::string bytes;
      if (response.Dump(&slices).ok()) {
        for (const auto& slice : slices) bytes.append(slice.begin(), slice.end());
      }
      if (bytes == std::string("\x08\x01", 2)) return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

template <typename Message>
Message Parse(const testing::HttpResult& answer) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(answer.body, &message).ok())
      << answer.body;
  return message;
}

class DecisionE2eTest : public GatewayProcessTest {
 protected:
  const std::map<std::string, std::string> city_{{"x-api-key", "city-secret"}};

  testing::HttpResult Call(const std::string& method, const std::string& json,
                           const std::map<std::string, std::string>& key) {
    return PostJson(absl::StrCat("/grassroots.orgs.v1.", method), json, key);
  }

  // District gw-d with streets s1, s2 and a community c2 under s2, its
  // committee (under s2's working committee) and three full members.
  void MakeCommunity() {
    ASSERT_TRUE(OrgsServing(orgs_port_));
    Area d, s1, s2, c2;
    MakeTree(&d, &s1, &s2);
    ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c2", s2.id(), &c2).ok());
    auto organisation = [&](const std::string& kind, const std::string& code,
                            const std::string& parent, const std::string& area) {
      auto answer = Call(
          "OrganisationService/CreateOrganisation",
          absl::StrCat(R"({"organisation":{"kind":")", kind, R"(","code":")", code,
                       R"(","displayName":")", code, R"(","areaId":")", area, R"(")",
                       parent.empty() ? "" : absl::StrCat(R"(,"parentId":")", parent, "\""), "}}"),
          city_);
      EXPECT_EQ(answer.status, 200) << answer.body;
      return Parse<orgs::v1::Organisation>(answer).id();
    };
    const std::string district = organisation("DISTRICT_COMMITTEE", "gw-d", "", d.id());
    const std::string street = organisation("STREET_WORKING_COMMITTEE", "s2", district, s2.id());
    community_ = organisation("COMMUNITY_COMMITTEE", "c2", street, c2.id());
    const char* id_numbers[] = {"110101199003071233", "11010519491231002X", "110101198001010010"};
    for (const char* id_number : id_numbers) {
      auto member = Call("MemberService/AddMember",
                         absl::StrCat(R"({"member":{"organisationId":")", community_,
                                      R"(","status":"FULL","joinDate":"2015-07-01",)",
                                      R"("name":"成员","idNumber":")", id_number, R"("}})"),
                         city_);
      ASSERT_EQ(member.status, 200) << member.body;
      members_.push_back(Parse<orgs::v1::Member>(member).id());
    }
  }

  std::string Today() {
    return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  }

  std::unique_ptr<grpc::ClientContext> Viewer() { return Context("viewer-secret"); }

  std::string community_;
  std::vector<std::string> members_;
};

TEST_F(DecisionE2eTest, AMatterAndAConsultationThroughBothEdges) {
  MakeCommunity();
  auto decisions = orgs::v1::DecisionService::NewStub(GatewayChannel());

  // Proposed on the JSON edge, idempotently.
  const std::string propose =
      absl::StrCat(R"({"matter":{"organisationId":")", community_,
                   R"(","title":"Repave the market lane","description":"Potholes since spring.",)",
                   R"("proposerMemberId":")", members_[0], R"("},"proposalDate":")", Today(),
                   R"(","requestId":"e2e-matter-1"})");
  auto proposed = Call("DecisionService/ProposeMatter", propose, city_);
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  EXPECT_NE(proposed.body.find(R"("state":"PROPOSED")"), std::string::npos) << proposed.body;
  Matter matter = Parse<Matter>(proposed);
  EXPECT_EQ(Parse<Matter>(Call("DecisionService/ProposeMatter", propose, city_)).id(), matter.id());
  // A viewer may read but not propose (the gateway refuses by role).
  auto by_viewer = Call("DecisionService/ProposeMatter", propose, {{"x-api-key", "viewer-secret"}});
  EXPECT_EQ(by_viewer.status, 403) << by_viewer.body;
  EXPECT_NE(by_viewer.body.find("ROLE_REQUIRED"), std::string::npos) << by_viewer.body;

  // The committees on gRPC; a skipped step is refused on JSON, naming the expected one.
  orgs::v1::RecordMeetingStepRequest deliberation;
  deliberation.set_matter_id(matter.id());
  deliberation.set_etag(matter.etag());
  deliberation.set_date(Today());
  deliberation.mutable_participants()->add_member_ids(members_[0]);
  deliberation.mutable_participants()->set_others(4);
  deliberation.mutable_vote()->set_entitled(7);
  deliberation.mutable_vote()->set_in_favour(4);
  deliberation.mutable_vote()->set_against(1);
  auto deliberated =
      decisions->RecordDeliberation(Context("city-secret").get(), deliberation, &matter);
  ASSERT_TRUE(deliberated.ok()) << deliberated.error_message();
  EXPECT_EQ(matter.state(), Matter::DELIBERATED);
  auto skipped = Call("DecisionService/RecordStreetReview",
                      absl::StrCat(R"({"matterId":")", matter.id(), R"(","etag":")", matter.etag(),
                                   R"(","date":")", Today(), R"(","decision":"APPROVE"})"),
                      city_);
  EXPECT_EQ(skipped.status, 400) << skipped.body;
  EXPECT_NE(skipped.body.find("STEP_SKIPPED"), std::string::npos) << skipped.body;
  EXPECT_NE(skipped.body.find("ASSEMBLY_REVIEW"), std::string::npos) << skipped.body;

  // The assembly on JSON: the three full members, two in favour.
  auto assembly = Call(
      "DecisionService/RecordAssemblyReview",
      absl::StrCat(R"({"matterId":")", matter.id(), R"(","etag":")", matter.etag(), R"(","date":")",
                   Today(), R"(","participants":{"memberIds":[")", absl::StrJoin(members_, "\",\""),
                   R"("]},"vote":{"inFavour":2,"against":1}})"),
      city_);
  ASSERT_EQ(assembly.status, 200) << assembly.body;
  matter = Parse<Matter>(assembly);
  EXPECT_EQ(matter.state(), Matter::ASSEMBLY_REVIEWED);
  EXPECT_EQ(matter.steps(2).vote().entitled(), 3);

  orgs::v1::RecordMeetingStepRequest representatives;
  representatives.set_matter_id(matter.id());
  representatives.set_etag(matter.etag());
  representatives.set_date(Today());
  representatives.mutable_participants()->set_others(14);
  representatives.mutable_vote()->set_entitled(21);
  representatives.mutable_vote()->set_in_favour(10);
  representatives.mutable_vote()->set_against(2);
  representatives.mutable_vote()->set_abstaining(2);
  ASSERT_TRUE(
      decisions
          ->RecordRepresentativesResolution(Context("city-secret").get(), representatives, &matter)
          .ok());

  // Street s1's key cannot review s2's matter, on either edge.
  orgs::v1::RecordStreetReviewRequest review;
  review.set_matter_id(matter.id());
  review.set_etag(matter.etag());
  review.set_date(Today());
  review.set_decision(orgs::v1::RecordStreetReviewRequest::APPROVE);
  Matter refused;
  EXPECT_EQ(
      decisions->RecordStreetReview(Context("street-secret").get(), review, &refused).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  std::string review_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(review, &review_json).ok());
  EXPECT_EQ(
      Call("DecisionService/RecordStreetReview", review_json, {{"x-api-key", "street-secret"}})
          .status,
      403);
  auto approved = Call("DecisionService/RecordStreetReview", review_json, city_);
  ASSERT_EQ(approved.status, 200) << approved.body;
  matter = Parse<Matter>(approved);

  orgs::v1::PublishMatterRequest publish;
  publish.set_matter_id(matter.id());
  publish.set_etag(matter.etag());
  publish.set_content("The lane is repaved in June; stalls move for two days.");
  ASSERT_TRUE(decisions->PublishResolution(Context("city-secret").get(), publish, &matter).ok());
  EXPECT_EQ(matter.state(), Matter::RESOLUTION_PUBLISHED);
  // The result must wait seven days.
  publish.set_etag(matter.etag());
  std::string publish_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(publish, &publish_json).ok());
  auto too_early = Call("DecisionService/PublishResult", publish_json, city_);
  EXPECT_EQ(too_early.status, 400) << too_early.body;
  EXPECT_NE(too_early.body.find("PUBLICATION_TOO_SHORT"), std::string::npos) << too_early.body;
  EXPECT_NE(too_early.body.find("publishable_time"), std::string::npos) << too_early.body;
  // An objection on JSON, read back on gRPC by a viewer.
  auto objection =
      Call("DecisionService/FileObjection",
           absl::StrCat(R"({"matterId":")", matter.id(),
                        R"(","householdId":"hh-c2-0101","text":"Keep one stall open.",)",
                        R"("requestId":"e2e-objection-1"})"),
           city_);
  ASSERT_EQ(objection.status, 200) << objection.body;
  orgs::v1::GetMatterRequest get;
  get.set_id(matter.id());
  Matter read;
  ASSERT_TRUE(decisions->GetMatter(Viewer().get(), get, &read).ok());
  EXPECT_EQ(read.open_objections(), 1);
  EXPECT_EQ(read.steps_size(), 6);
  EXPECT_EQ(decisions->GetMatter(Context("street-secret").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A consultation of all households: one vote each, on either edge.
  const std::string close_time =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(48), absl::UTCTimeZone());
  auto opened = Call("ConsultationService/OpenConsultation",
                     absl::StrCat(R"({"consultation":{"organisationId":")", community_,
                                  R"(","audience":"ALL_HOUSEHOLDS","question":"Which weekend?",)",
                                  R"("options":["First","Second"],"closeTime":")", close_time,
                                  R"(","matterId":")", matter.id(), R"("}})"),
                     city_);
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto consultation = Parse<orgs::v1::Consultation>(opened);
  auto consultations = orgs::v1::ConsultationService::NewStub(GatewayChannel());
  orgs::v1::CastVoteRequest vote;
  vote.set_consultation_id(consultation.id());
  vote.set_household_id("hh-c2-0101");
  vote.set_option_number(2);
  vote.set_request_id("e2e-vote-1");
  orgs::v1::ConsultationBallot ballot;
  ASSERT_TRUE(consultations->CastVote(Context("city-secret").get(), vote, &ballot).ok());
  auto again = Call("ConsultationService/CastVote",
                    absl::StrCat(R"({"consultationId":")", consultation.id(),
                                 R"(","householdId":"hh-c2-0101","optionNumber":1})"),
                    city_);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("HOUSEHOLD_ALREADY_VOTED"), std::string::npos) << again.body;
  EXPECT_EQ(Call("ConsultationService/CastVote",
                 absl::StrCat(R"({"consultationId":")", consultation.id(),
                              R"(","householdId":"hh-c2-0102","optionNumber":1})"),
                 {{"x-api-key", "street-secret"}})
                .status,
            403);
  auto result = Call("ConsultationService/GetConsultationResult",
                     absl::StrCat(R"({"consultationId":")", consultation.id(), R"("})"),
                     {{"x-api-key", "viewer-secret"}});
  ASSERT_EQ(result.status, 200) << result.body;
  auto counts = Parse<orgs::v1::ConsultationResult>(result);
  ASSERT_EQ(counts.counts_size(), 2);
  EXPECT_EQ(counts.counts(0).votes(), 0);
  EXPECT_EQ(counts.counts(1).votes(), 1);
  EXPECT_EQ(counts.votes_cast(), 1);
}

TEST(DecisionOptionsTest, PublicationWindowsOutOfRangeStopTheProcess) {
  const std::string errors = absl::StrCat(::testing::TempDir(), "/orgs-options-", getpid());
  const std::string command = absl::StrCat(
      GRASSROOTS_ORGS_BINARY, " --principal-key=", testing::kTestPrincipalKey,
      " --db-user=nobody --db-schema=nothing --personal-data-key=", testing::kTestPersonalDataKey,
      " --objection-answer-days=0 2>", errors);
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 2);
  std::stringstream reason;
  reason << std::ifstream(errors).rdbuf();
  EXPECT_EQ(reason.str(), "orgs: objection-answer-days: must be 1 to 365 days\n");
  std::remove(errors.c_str());
}

}  // namespace
}  // namespace grassroots
