// Linkage, the yearly evaluation and the admission list through the real
// gateway and orgs processes, on both edges (Connect JSON and gRPC),
// including CheckAdmission by JSON as `grid` will call it, a scope refusal
// and a role refusal.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grassroots/orgs/v1/admission.grpc.pb.h"
#include "grassroots/orgs/v1/evaluation.grpc.pb.h"
#include "grassroots/orgs/v1/linkage.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "tests/e2e/gateway_fixture.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

using orgs::v1::Area;
using testing::GatewayProcessTest;

const std::map<std::string, std::string> kCity{{"x-api-key", "city-secret"}};
const std::map<std::string, std::string> kStreet{{"x-api-key", "street-secret"}};  // gw-d/s1
const std::map<std::string, std::string> kViewer{{"x-api-key", "viewer-secret"}};

template <typename Message>
Message Parse(const testing::HttpResult& answer) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(answer.body, &message).ok())
      << answer.body;
  return message;
}

std::string Today() {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
}

class LinkageE2eTest : public GatewayProcessTest {
 protected:
  // The fixture's gw-d with s1 and s2, and a community under each.
  void MakePlaces() {
    MakeTree(&d_, &s1_, &s2_);
    ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c1", s1_.id(), &c1_).ok());
    ASSERT_TRUE(Create("city-secret", orgs::v1::COMMUNITY, "c2", s2_.id(), &c2_).ok());
  }

  testing::HttpResult Call(const std::string& method, const std::string& json,
                           const std::map<std::string, std::string>& key) {
    return PostJson(absl::StrCat("/grassroots.orgs.v1.", method), json, key);
  }

  Area d_, s1_, s2_, c1_, c2_;
};

TEST_F(LinkageE2eTest, AdmissionListPublishedAndCheckedOnBothEdges) {
  MakePlaces();
  const std::string list = absl::StrCat(
      R"({"regionAreaId":")", d_.id(), R"(","requestId":"e2e-list-1","categories":[)",
      R"({"code":"1","name":"Social assistance","items":[)",
      R"({"code":"1.1","name":"Verify allowance applications","departments":["civil-affairs"]}]},)",
      R"({"code":"2","name":"Safety","items":[)",
      R"({"code":"2.1","name":"Register rented housing","departments":["police"]}]}]})");
  // Publishing takes orgs.admin: a viewer is refused by the gateway.
  auto by_viewer = Call("AdmissionService/PublishAdmissionList", list, kViewer);
  EXPECT_EQ(by_viewer.status, 403) << by_viewer.body;
  EXPECT_NE(by_viewer.body.find("ROLE_REQUIRED"), std::string::npos) << by_viewer.body;
  auto published = Call("AdmissionService/PublishAdmissionList", list, kCity);
  ASSERT_EQ(published.status, 200) << published.body;
  auto first = Parse<orgs::v1::AdmissionList>(published);
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.effective_date(), Today());
  auto again = Call("AdmissionService/PublishAdmissionList", list, kCity);
  EXPECT_EQ(Parse<orgs::v1::AdmissionList>(again).id(), first.id());  // idempotent

  // CheckAdmission by JSON, as grid calls it (a viewer may ask).
  auto allowed = Call("AdmissionService/CheckAdmission",
                      absl::StrCat(R"({"areaId":")", c1_.id(),
                                   R"(","itemCode":"1.1","department":"civil-affairs"})"),
                      kViewer);
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_NE(allowed.body.find(R"("decision":"ALLOWED")"), std::string::npos) << allowed.body;
  auto refused =
      Call("AdmissionService/CheckAdmission",
           R"({"areaPath":"gw-d/s1/c1/g04","itemCode":"9.9","department":"civil-affairs"})", kCity);
  ASSERT_EQ(refused.status, 200) << refused.body;
  auto answer = Parse<orgs::v1::CheckAdmissionResponse>(refused);
  EXPECT_EQ(answer.decision(), orgs::v1::CheckAdmissionResponse::REFUSED);
  EXPECT_EQ(answer.reason(), "NOT_ON_ADMISSION_LIST");
  EXPECT_EQ(answer.list().region_path(), "gw-d");
  EXPECT_EQ(answer.list().version(), 1);
  EXPECT_NE(answer.message().find("the admission list of gw-d version 1"), std::string::npos);

  // The same over gRPC; the street-s1 key may not ask about s2's community.
  auto stub = orgs::v1::AdmissionService::NewStub(GatewayChannel());
  orgs::v1::CheckAdmissionRequest request;
  request.set_area_id(c2_.id());
  request.set_item_code("2.1");
  request.set_department("police");
  orgs::v1::CheckAdmissionResponse out;
  ASSERT_TRUE(stub->CheckAdmission(Context("city-secret").get(), request, &out).ok());
  EXPECT_EQ(out.decision(), orgs::v1::CheckAdmissionResponse::ALLOWED);
  EXPECT_EQ(out.list().list_id(), first.id());
  EXPECT_EQ(stub->CheckAdmission(Context("street-secret").get(), request, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto elsewhere =
      Call("AdmissionService/CheckAdmission",
           absl::StrCat(R"({"areaId":")", c2_.id(), R"(","itemCode":"2.1","department":"police"})"),
           kStreet);
  EXPECT_EQ(elsewhere.status, 403) << elsewhere.body;
  // The list in force, read on the gRPC edge.
  orgs::v1::GetAdmissionListInForceRequest get;
  get.set_area_path("gw-d/s1/c1");
  orgs::v1::AdmissionList in_force;
  ASSERT_TRUE(stub->GetAdmissionListInForce(Context("street-secret").get(), get, &in_force).ok());
  EXPECT_EQ(in_force.id(), first.id());
}

TEST_F(LinkageE2eTest, LinkageAndEvaluationOnBothEdges) {
  MakePlaces();
  // The organisations: district committee, street committee s1, community committee c1.
  auto organisation = [&](const std::string& kind, const std::string& code,
                          const std::string& parent, const std::string& area) {
    auto answer = Call(
        "OrganisationService/CreateOrganisation",
        absl::StrCat(R"({"organisation":{"kind":")", kind, R"(","code":")", code,
                     R"(","displayName":")", code, R"(","areaId":")", area, R"(")",
                     parent.empty() ? "" : absl::StrCat(R"(,"parentId":")", parent, R"(")"), "}}"),
        kCity);
    EXPECT_EQ(answer.status, 200) << answer.body;
    return Parse<orgs::v1::Organisation>(answer).id();
  };
  const std::string district = organisation("DISTRICT_COMMITTEE", "gw-d", "", d_.id());
  const std::string street = organisation("STREET_WORKING_COMMITTEE", "s1", district, s1_.id());
  const std::string community = organisation("COMMUNITY_COMMITTEE", "c1", street, c1_.id());
  auto secretary = Call("MemberService/AddMember",
                        absl::StrCat(R"({"member":{"organisationId":")", community,
                                     R"(","status":"FULL","joinDate":"2012-07-01",)",
                                     R"("name":"李书记","idNumber":"110101198001010010"}})"),
                        kCity);
  ASSERT_EQ(secretary.status, 200) << secretary.body;
  const std::string secretary_id = Parse<orgs::v1::Member>(secretary).id();

  // A unit linked to c1 by JSON, a problem raised and solved over gRPC.
  auto link =
      Call("LinkageService/CreateLink",
           absl::StrCat(
               R"({"link":{"party":{"kind":"UNIT","reference":"ru-17",)",
               R"("unitKind":"GOVERNMENT_BODY","displayTitle":"District Housing Bureau"},)",
               R"("areaId":")", c1_.id(), R"(","startDate":"2026-01-01"},"requestId":"e2e-link"})"),
           kStreet);
  ASSERT_EQ(link.status, 200) << link.body;
  const auto created = Parse<orgs::v1::Link>(link);
  EXPECT_EQ(created.area_path(), "gw-d/s1/c1");
  auto linkage = orgs::v1::LinkageService::NewStub(GatewayChannel());
  orgs::v1::RaiseProblemRequest raise;
  raise.set_link_id(created.id());
  raise.set_title("Leaking roof at the activity centre");
  raise.set_category("facilities");
  raise.set_raised_date("2026-03-02");
  orgs::v1::LinkageProblem problem;
  ASSERT_TRUE(linkage->RaiseProblem(Context("street-secret").get(), raise, &problem).ok());
  orgs::v1::SolveProblemRequest solve;
  solve.set_id(problem.id());
  solve.set_solved_date("2026-04-01");
  solve.set_how("Repaired by the bureau");
  solve.set_etag(problem.etag());
  ASSERT_TRUE(linkage->SolveProblem(Context("city-secret").get(), solve, &problem).ok());
  // A viewer may not raise one (writes take orgs.editor or orgs.admin).
  EXPECT_EQ(linkage->RaiseProblem(Context("viewer-secret").get(), raise, &problem).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto summary = Call("LinkageService/GetLinkageSummary",
                      absl::StrCat(R"({"areaId":")", d_.id(),
                                   R"(","fromDate":"2026-01-01","toDate":"2026-06-30"})"),
                      kViewer);
  ASSERT_EQ(summary.status, 200) << summary.body;
  auto figures = Parse<orgs::v1::LinkageSummary>(summary);
  EXPECT_EQ(figures.total().links_active(), 1);
  EXPECT_EQ(figures.total().problems_raised(), 1);
  EXPECT_EQ(figures.total().problems_solved(), 1);
  EXPECT_EQ(figures.total().solved_rate_basis_points(), 10000);

  // Last year's evaluation of c1: opened and self-assessed by JSON, the rest by gRPC.
  auto opened = Call("EvaluationService/OpenEvaluation",
                     absl::StrCat(R"({"organisationId":")", community, R"(","year":2025,)",
                                  R"("secretaryMemberId":")", secretary_id, R"("})"),
                     kStreet);
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto evaluation = Parse<orgs::v1::Evaluation>(opened);
  auto self = Call("EvaluationService/RecordSelfAssessment",
                   absl::StrCat(R"({"id":")", evaluation.id(), R"(","score":90,)",
                                R"("report":"Linked units solved the problems raised","etag":")",
                                evaluation.etag(), R"("})"),
                   kCity);
  ASSERT_EQ(self.status, 200) << self.body;
  evaluation = Parse<orgs::v1::Evaluation>(self);
  auto evaluations = orgs::v1::EvaluationService::NewStub(GatewayChannel());
  orgs::v1::RecordResidentsRatingRequest rating;
  rating.set_id(evaluation.id());
  rating.set_residents_asked(120);
  rating.set_satisfied(90);
  rating.set_basically_satisfied(8);
  rating.set_dissatisfied(2);
  rating.set_etag(evaluation.etag());
  ASSERT_TRUE(
      evaluations->RecordResidentsRating(Context("city-secret").get(), rating, &evaluation).ok());
  orgs::v1::RecordHigherReviewRequest review;
  review.set_id(evaluation.id());
  review.set_score(85);
  review.set_comment("Good work with the linked units");
  review.set_etag(evaluation.etag());
  ASSERT_TRUE(
      evaluations->RecordHigherReview(Context("street-secret").get(), review, &evaluation).ok());
  EXPECT_EQ(evaluation.state(), orgs::v1::COMPLETED);
  EXPECT_EQ(evaluation.result().weighted_score_hundredths(), 9120);
  EXPECT_EQ(evaluation.result().grade(), orgs::v1::EXCELLENT);
  // careers' call, by JSON: the year's results under the district, secretary on each.
  auto results = Call(
      "EvaluationService/ListEvaluations",
      absl::StrCat(R"({"areaId":")", d_.id(), R"(","year":2025,"state":"COMPLETED"})"), kViewer);
  ASSERT_EQ(results.status, 200) << results.body;
  auto listed = Parse<orgs::v1::ListEvaluationsResponse>(results);
  ASSERT_EQ(listed.evaluations_size(), 1);
  EXPECT_EQ(listed.evaluations(0).secretary_member_id(), secretary_id);
  EXPECT_EQ(listed.evaluations(0).result().grade(), orgs::v1::EXCELLENT);
}

TEST(LinkageProcessTest, AnEvaluationRuleThatDoesNotAddUpStopsTheService) {
  // Weights of 30 + 40 + 40: refused at start, before any database work.
  const std::string command = absl::StrCat(
      GRASSROOTS_ORGS_BINARY, " --principal-key=", testing::kTestPrincipalKey,
      " --db-user=nobody --db-schema=none --personal-data-key=", testing::kTestPersonalDataKey,
      " --evaluation-weight-self=30 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2) << output;
  EXPECT_NE(output.find("the three weights must sum to 100, not 110"), std::string::npos) << output;
}

}  // namespace
}  // namespace grassroots
