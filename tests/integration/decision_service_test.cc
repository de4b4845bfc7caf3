// Major-matter decisions (四议一审两公开) and consultations (协商议事) over
// gRPC against a real MariaDB, with a ManualClock the tests move: the whole
// path of a matter, the roster-counted assembly, rejections, objections
// overdue, etags, idempotent creates, scope, and one vote per household
// under concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/personal_data.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "common/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/consultation.grpc.pb.h"
#include "grassroots/orgs/v1/decision.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/transfer.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/consultation_handler.h"
#include "services/orgs/decision_handler.h"
#include "services/orgs/member_handler.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/transfer_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::InProcessService;
using grassroots::testing::QueryInt;
using grassroots::testing::TestPrincipals;
using v1::Matter;
using v1::MatterStep;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 5, 4, 9, 0, 0), absl::UTCTimeZone());
constexpr absl::Duration kDay = absl::Hours(24);

std::string Reason(const grpc::Status& status) {
  return ErrorReason(FromGrpcStatus(status)).value_or(status.ok() ? "OK" : "NONE");
}

// A valid resident ID number (GB 11643 check character) per serial.
std::string IdNumber(int serial) {
  std::string base = absl::StrCat("11010119800101", 100 + serial % 900);
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int d = 0; d < 17; ++d) sum += (base[d] - '0') * kWeights[d];
  base.push_back("10X98765432"[sum % 11]);
  return base;
}

class DecisionServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_decisions"),
                                    {&db::orgs_migrations()});
    cipher_ = PersonalDataCipher::Create(grassroots::testing::kTestPersonalDataKey)->release();
    const ServiceEnv& env = service_->env();
    area_store_ = new AreaStore(*env.pool, *env.changes);
    area_handler_ = new AreaHandler(env, *area_store_);
    organisation_store_ = new OrganisationStore(*env.pool, *env.changes);
    organisation_handler_ =
        new OrganisationHandler(env, *organisation_store_, FormationThresholds{});
    member_store_ = new MemberStore(*env.pool, *env.changes, *cipher_);
    member_handler_ = new MemberHandler(env, *member_store_);
    // Decisions run on a clock the tests move.
    clock_ = new ManualClock(kStart);
    timed_env_ = new ServiceEnv(env);
    timed_env_->clock = clock_;
    decision_store_ = new DecisionStore(*env.pool, *env.changes);
    objection_store_ = new ObjectionStore(*env.pool, *env.changes);
    decision_handler_ =
        new DecisionHandler(*timed_env_, *decision_store_, *objection_store_, PublicationRules{});
    consultation_store_ = new ConsultationStore(*env.pool, *env.changes);
    consultation_handler_ = new ConsultationHandler(*timed_env_, *consultation_store_);
    // Members leave on the decisions' clock, so a roster can change before
    // a meeting's date.
    transfer_store_ = new TransferStore(*env.pool, *env.changes);
    transfer_handler_ = new TransferHandler(*timed_env_, *transfer_store_);
    service_->Start({area_handler_, organisation_handler_, member_handler_, decision_handler_,
                     consultation_handler_, transfer_handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete transfer_handler_;
    delete transfer_store_;
    delete consultation_handler_;
    delete consultation_store_;
    delete decision_handler_;
    delete objection_store_;
    delete decision_store_;
    delete timed_env_;
    delete clock_;
    delete member_handler_;
    delete member_store_;
    delete organisation_handler_;
    delete organisation_store_;
    delete area_handler_;
    delete area_store_;
    delete cipher_;
    delete service_;
  }

  void SetUp() override {
    clock_->Set(kStart);
    areas_ = v1::AreaService::NewStub(service_->Channel());
    organisations_ = v1::OrganisationService::NewStub(service_->Channel());
    members_ = v1::MemberService::NewStub(service_->Channel());
    stub_ = v1::DecisionService::NewStub(service_->Channel());
    consultations_ = v1::ConsultationService::NewStub(service_->Channel());
    transfers_ = v1::TransferService::NewStub(service_->Channel());
  }

  db::ConnectionPool& pool() { return *service_->env().pool; }

  std::string AreaId(v1::AreaKind kind, const std::string& code, const std::string& parent) {
    v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name(code);
    request.mutable_area()->set_parent_id(parent);
    v1::Area area;
    auto status = areas_->CreateArea(principals_.Context("").get(), request, &area);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return area.id();
  }

  std::string OrganisationId(v1::OrganisationKind kind, const std::string& code,
                             const std::string& parent, const std::string& area) {
    v1::CreateOrganisationRequest request;
    request.mutable_organisation()->set_kind(kind);
    request.mutable_organisation()->set_code(code);
    request.mutable_organisation()->set_display_name(code);
    request.mutable_organisation()->set_parent_id(parent);
    request.mutable_organisation()->set_area_id(area);
    v1::Organisation organisation;
    auto status =
        organisations_->CreateOrganisation(principals_.Context("").get(), request, &organisation);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return organisation.id();
  }

  // District <code> with streets s1 (community c1) and s2 (community c2); a
  // community committee in each community and a grid branch under c1's.
  struct Tree {
    std::string district, street1, street2, area1, area2, community1, community2, grid1;
    std::string s1_path, s2_path, c1_path;
  };
  Tree MakeTree(const std::string& code) {
    Tree t;
    const std::string d = AreaId(v1::DISTRICT, code, "");
    const std::string s1 = AreaId(v1::STREET, "s1", d), s2 = AreaId(v1::STREET, "s2", d);
    t.area1 = AreaId(v1::COMMUNITY, "c1", s1);
    t.area2 = AreaId(v1::COMMUNITY, "c2", s2);
    t.district = OrganisationId(v1::DISTRICT_COMMITTEE, code, "", d);
    t.street1 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s1", t.district, s1);
    t.street2 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s2", t.district, s2);
    t.community1 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c1", t.street1, t.area1);
    t.community2 = OrganisationId(v1::COMMUNITY_GENERAL_BRANCH, "c2", t.street2, t.area2);
    t.grid1 = OrganisationId(v1::GRID_BRANCH, "g1", t.community1, t.area1);
    t.s1_path = code + "/s1";
    t.s2_path = code + "/s2";
    t.c1_path = code + "/s1/c1";
    return t;
  }

  std::string MemberId(const std::string& organisation, v1::MemberStatus status,
                       const std::string& join_date = "2010-07-01") {
    v1::AddMemberRequest request;
    auto* m = request.mutable_member();
    m->set_organisation_id(organisation);
    m->set_status(status);
    m->set_join_date(join_date);
    if (status == v1::PROBATIONARY) {
      m->set_join_date("2025-07-01");
      m->set_probation_end_date("2026-07-01");
    }
    m->set_name("成员");
    m->set_id_number(IdNumber(serial_++));
    v1::Member member;
    auto s = members_->AddMember(principals_.Context("").get(), request, &member);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return member.id();
  }

  std::vector<std::string> FullMembers(const std::string& organisation, int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) ids.push_back(MemberId(organisation, v1::FULL));
    return ids;
  }

  // Moves `member` (no dues owed) to `to` today, both sides agreeing.
  void Transfer(const std::string& member, const std::string& to) {
    v1::RequestTransferRequest request;
    request.set_member_id(member);
    request.set_to_organisation_id(to);
    request.set_reason("moved house");
    v1::Transfer pending, accepted;
    auto asked = transfers_->RequestTransfer(principals_.Context("").get(), request, &pending);
    ASSERT_TRUE(asked.ok()) << asked.error_message();
    v1::DecideTransferRequest accept;
    accept.set_id(pending.id());
    accept.set_etag(pending.etag());
    auto decided = transfers_->AcceptTransfer(principals_.Context("").get(), accept, &accepted);
    ASSERT_TRUE(decided.ok()) << decided.error_message();
  }

  grpc::Status Propose(const std::string& scope, const std::string& organisation, Matter* out,
                       const std::string& request_id = "", const std::string& proposer = "") {
    v1::ProposeMatterRequest request;
    request.mutable_matter()->set_organisation_id(organisation);
    request.mutable_matter()->set_title("Install lifts in the old buildings");
    request.mutable_matter()->set_description("Residents asked for lifts in buildings 3 to 7.");
    request.mutable_matter()->set_proposer_member_id(proposer);
    request.set_proposal_date("2026-05-04");
    request.set_request_id(request_id);
    return stub_->ProposeMatter(principals_.Context(scope, "clerk").get(), request, out);
  }

  Matter Proposed(const std::string& organisation) {
    Matter matter;
    auto s = Propose("", organisation, &matter);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return matter;
  }

  static v1::RecordMeetingStepRequest Meeting(const Matter& matter, const std::string& date,
                                              const std::vector<std::string>& member_ids,
                                              int others, int entitled, int in_favour, int against,
                                              int abstaining) {
    v1::RecordMeetingStepRequest request;
    request.set_matter_id(matter.id());
    request.set_etag(matter.etag());
    request.set_date(date);
    for (const auto& id : member_ids) request.mutable_participants()->add_member_ids(id);
    request.mutable_participants()->set_others(others);
    request.mutable_vote()->set_entitled(entitled);
    request.mutable_vote()->set_in_favour(in_favour);
    request.mutable_vote()->set_against(against);
    request.mutable_vote()->set_abstaining(abstaining);
    return request;
  }

  // The committees sit: 7 seats, 5 present (no members listed), 4 for.
  grpc::Status Deliberate(Matter* matter, const std::string& scope = "") {
    return stub_->RecordDeliberation(principals_.Context(scope, "clerk").get(),
                                     Meeting(*matter, "2026-05-04", {}, 5, 7, 4, 1, 0), matter);
  }

  grpc::Status Assembly(Matter* matter, const std::vector<std::string>& present, int in_favour) {
    const int listed = static_cast<int>(present.size());
    return stub_->RecordAssemblyReview(
        principals_.Context("", "clerk").get(),
        Meeting(*matter, "2026-05-04", present, 0, 0, in_favour, listed - in_favour, 0), matter);
  }

  grpc::Status Representatives(Matter* matter) {
    return stub_->RecordRepresentativesResolution(
        principals_.Context("", "clerk").get(),
        Meeting(*matter, "2026-05-04", {}, 20, 30, 15, 3, 2), matter);
  }

  grpc::Status StreetReview(Matter* matter, const std::string& scope,
                            v1::RecordStreetReviewRequest::Decision decision,
                            const std::string& reason = "") {
    v1::RecordStreetReviewRequest request;
    request.set_matter_id(matter->id());
    request.set_etag(matter->etag());
    request.set_date("2026-05-04");
    request.set_decision(decision);
    request.set_reason(reason);
    return stub_->RecordStreetReview(principals_.Context(scope, "street-officer").get(), request,
                                     matter);
  }

  grpc::Status PublishResolution(Matter* matter) {
    v1::PublishMatterRequest request;
    request.set_matter_id(matter->id());
    request.set_etag(matter->etag());
    request.set_content("Lifts go into buildings 3 to 7; residents pay 20%.");
    return stub_->PublishResolution(principals_.Context("", "clerk").get(), request, matter);
  }

  grpc::Status PublishResult(Matter* matter) {
    v1::PublishMatterRequest request;
    request.set_matter_id(matter->id());
    request.set_etag(matter->etag());
    request.set_content("Five lifts installed and inspected.");
    return stub_->PublishResult(principals_.Context("", "clerk").get(), request, matter);
  }

  // A matter of `organisation` brought as far as its resolution's publication.
  Matter Published(const std::string& organisation, const std::vector<std::string>& full) {
    Matter m = Proposed(organisation);
    EXPECT_TRUE(Deliberate(&m).ok());
    EXPECT_TRUE(Assembly(&m, full, static_cast<int>(full.size())).ok());
    EXPECT_TRUE(Representatives(&m).ok());
    EXPECT_TRUE(StreetReview(&m, "", v1::RecordStreetReviewRequest::APPROVE).ok());
    EXPECT_TRUE(PublishResolution(&m).ok());
    EXPECT_EQ(m.state(), Matter::RESOLUTION_PUBLISHED);
    return m;
  }

  grpc::Status FileObjection(const Matter& matter, const std::string& household,
                             v1::MatterObjection* out, const std::string& request_id = "",
                             const std::string& scope = "") {
    v1::FileObjectionRequest request;
    request.set_matter_id(matter.id());
    request.set_household_id(household);
    request.set_text("The plan puts the lift shaft in front of our window.");
    request.set_request_id(request_id);
    return stub_->FileObjection(principals_.Context(scope, "resident-app").get(), request, out);
  }

  grpc::Status Answer(v1::MatterObjection* objection, const std::string& scope = "") {
    v1::AnswerObjectionRequest request;
    request.set_id(objection->id());
    request.set_etag(objection->etag());
    request.set_answer("The shaft moves to the stairwell side; see the revised plan.");
    return stub_->AnswerObjection(principals_.Context(scope, "clerk").get(), request, objection);
  }

  grpc::Status Open(const std::string& scope, const std::string& organisation,
                    v1::Consultation::Audience audience, const std::vector<std::string>& listed,
                    v1::Consultation* out, const std::string& request_id = "",
                    const std::string& matter_id = "") {
    v1::OpenConsultationRequest request;
    v1::Consultation* c = request.mutable_consultation();
    c->set_organisation_id(organisation);
    c->set_audience(audience);
    c->set_question("Which courtyard should be greened first?");
    c->add_options("North courtyard");
    c->add_options("South courtyard");
    c->add_options("Neither this year");
    ToProtoTime(clock_->Now() + 3 * kDay, c->mutable_close_time());
    for (const auto& household : listed) c->add_representative_household_ids(household);
    c->set_matter_id(matter_id);
    request.set_request_id(request_id);
    return consultations_->OpenConsultation(principals_.Context(scope, "clerk").get(), request,
                                            out);
  }

  grpc::Status Vote(const v1::Consultation& c, const std::string& household, int option,
                    v1::ConsultationBallot* out, const std::string& request_id = "",
                    const std::string& scope = "") {
    v1::CastVoteRequest request;
    request.set_consultation_id(c.id());
    request.set_household_id(household);
    request.set_option_number(option);
    request.set_request_id(request_id);
    return consultations_->CastVote(principals_.Context(scope, "resident-app").get(), request, out);
  }

  grpc::Status Opinion(const v1::Consultation& c, const std::string& household,
                       const std::string& text) {
    v1::SubmitOpinionRequest request;
    request.set_consultation_id(c.id());
    request.set_household_id(household);
    request.set_text(text);
    v1::ConsultationOpinion out;
    return consultations_->SubmitOpinion(principals_.Context("", "resident-app").get(), request,
                                         &out);
  }

  v1::ConsultationResult Result(const v1::Consultation& c) {
    v1::GetConsultationResultRequest request;
    request.set_consultation_id(c.id());
    v1::ConsultationResult result;
    auto s = consultations_->GetConsultationResult(principals_.Context("").get(), request, &result);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return result;
  }

  Matter Get(const std::string& id, const std::string& scope = "") {
    v1::GetMatterRequest request;
    request.set_id(id);
    Matter matter;
    auto s = stub_->GetMatter(principals_.Context(scope).get(), request, &matter);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return matter;
  }

  int64_t Count(const std::string& sql) { return QueryInt(pool(), sql); }

  static InProcessService* service_;
  static PersonalDataCipher* cipher_;
  static AreaStore* area_store_;
  static AreaHandler* area_handler_;
  static OrganisationStore* organisation_store_;
  static OrganisationHandler* organisation_handler_;
  static MemberStore* member_store_;
  static MemberHandler* member_handler_;
  static ManualClock* clock_;
  static ServiceEnv* timed_env_;
  static DecisionStore* decision_store_;
  static ObjectionStore* objection_store_;
  static DecisionHandler* decision_handler_;
  static ConsultationStore* consultation_store_;
  static ConsultationHandler* consultation_handler_;
  static TransferStore* transfer_store_;
  static TransferHandler* transfer_handler_;
  static int serial_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::MemberService::Stub> members_;
  std::unique_ptr<v1::DecisionService::Stub> stub_;
  std::unique_ptr<v1::ConsultationService::Stub> consultations_;
  std::unique_ptr<v1::TransferService::Stub> transfers_;
};

InProcessService* DecisionServiceTest::service_ = nullptr;
PersonalDataCipher* DecisionServiceTest::cipher_ = nullptr;
AreaStore* DecisionServiceTest::area_store_ = nullptr;
AreaHandler* DecisionServiceTest::area_handler_ = nullptr;
OrganisationStore* DecisionServiceTest::organisation_store_ = nullptr;
OrganisationHandler* DecisionServiceTest::organisation_handler_ = nullptr;
MemberStore* DecisionServiceTest::member_store_ = nullptr;
MemberHandler* DecisionServiceTest::member_handler_ = nullptr;
ManualClock* DecisionServiceTest::clock_ = nullptr;
ServiceEnv* DecisionServiceTest::timed_env_ = nullptr;
DecisionStore* DecisionServiceTest::decision_store_ = nullptr;
ObjectionStore* DecisionServiceTest::objection_store_ = nullptr;
DecisionHandler* DecisionServiceTest::decision_handler_ = nullptr;
ConsultationStore* DecisionServiceTest::consultation_store_ = nullptr;
ConsultationHandler* DecisionServiceTest::consultation_handler_ = nullptr;
TransferStore* DecisionServiceTest::transfer_store_ = nullptr;
TransferHandler* DecisionServiceTest::transfer_handler_ = nullptr;
int DecisionServiceTest::serial_ = 0;

TEST_F(DecisionServiceTest, AMatterGoesThroughEveryStepToDone) {
  Tree t = MakeTree("dm1");
  // Nine full members in the community committee's subtree (five in it,
  // four in its grid branch), one probationary member, and one full member
  // of the other street's community, who is not entitled here.
  std::vector<std::string> full = FullMembers(t.community1, 5);
  for (const auto& id : FullMembers(t.grid1, 4)) full.push_back(id);
  const std::string probationary = MemberId(t.grid1, v1::PROBATIONARY);
  FullMembers(t.community2, 1);

  Matter m;
  ASSERT_TRUE(Propose(t.s1_path, t.community1, &m, "", full[0]).ok());
  EXPECT_EQ(m.state(), Matter::PROPOSED);
  EXPECT_EQ(m.area_path(), t.c1_path);
  EXPECT_EQ(m.proposed_by(), "clerk");
  ASSERT_EQ(m.steps_size(), 1);
  EXPECT_EQ(m.steps(0).kind(), MatterStep::PROPOSAL);

  // Skipping ahead or going back is refused, naming the step expected.
  Matter unchanged = m;
  auto skipped = Assembly(&unchanged, full, 9);
  EXPECT_EQ(skipped.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(skipped), "STEP_SKIPPED");
  EXPECT_EQ(ErrorMetadata(FromGrpcStatus(skipped), "expected_step").value_or(""), "DELIBERATION");

  ASSERT_TRUE(Deliberate(&m).ok());
  EXPECT_EQ(m.state(), Matter::DELIBERATED);
  EXPECT_EQ(m.steps(1).vote().present(), 5);
  EXPECT_EQ(m.steps(1).outcome(), MatterStep::CARRIED);
  Matter again = m;
  EXPECT_EQ(Reason(Deliberate(&again)), "STEP_REPEATED");

  // The assembly: six of the nine (exactly two thirds) and the probationary
  // member, who attends without a vote.
  std::vector<std::string> six(full.begin(), full.begin() + 6);
  six.push_back(probationary);
  auto assembly = stub_->RecordAssemblyReview(principals_.Context("", "clerk").get(),
                                              Meeting(m, "2026-05-04", six, 0, 99, 4, 2, 0), &m);
  ASSERT_TRUE(assembly.ok()) << assembly.error_message();
  EXPECT_EQ(m.state(), Matter::ASSEMBLY_REVIEWED);
  EXPECT_EQ(m.steps(2).vote().entitled(), 9);  // counted from the roster, not taken from the call
  EXPECT_EQ(m.steps(2).vote().present(), 6);
  EXPECT_EQ(m.steps(2).participants().member_ids_size(), 7);
  EXPECT_NE(m.steps(2).outcome_detail().find("6 of 9 entitled present"), std::string::npos)
      << m.steps(2).outcome_detail();

  ASSERT_TRUE(Representatives(&m).ok());
  EXPECT_EQ(m.state(), Matter::RESOLVED);
  EXPECT_EQ(m.steps(3).vote().entitled(), 30);
  EXPECT_EQ(m.steps(3).vote().present(), 20);

  // The street reviews: its community's officers may not.
  Matter community_copy = m;
  auto by_community =
      StreetReview(&community_copy, t.c1_path, v1::RecordStreetReviewRequest::APPROVE);
  EXPECT_EQ(by_community.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(by_community), "STREET_REVIEW_BY_STREET");
  ASSERT_TRUE(StreetReview(&m, t.s1_path, v1::RecordStreetReviewRequest::APPROVE).ok());
  EXPECT_EQ(m.state(), Matter::STREET_APPROVED);
  EXPECT_EQ(m.steps(4).recorded_by(), "street-officer");

  ASSERT_TRUE(PublishResolution(&m).ok());
  EXPECT_EQ(m.state(), Matter::RESOLUTION_PUBLISHED);
  EXPECT_EQ(FromProtoTime(m.resolution_publish_time()), kStart);
  EXPECT_EQ(FromProtoTime(m.result_publishable_time()), kStart + 7 * kDay);

  // A household objects on day 1 and is answered on day 2; until then, and
  // before 7 days, the result waits.
  clock_->Set(kStart + kDay);
  v1::MatterObjection objection;
  ASSERT_TRUE(FileObjection(m, "hh-dm1-0301", &objection).ok());
  EXPECT_EQ(objection.publication(), MatterStep::RESOLUTION_PUBLICATION);
  EXPECT_EQ(FromProtoTime(objection.answer_due_time()), kStart + 4 * kDay);
  m = Get(m.id());
  EXPECT_EQ(m.open_objections(), 1);
  clock_->Set(kStart + 7 * kDay);
  Matter waiting = m;
  EXPECT_EQ(Reason(PublishResult(&waiting)), "OBJECTIONS_UNANSWERED");
  clock_->Set(kStart + 2 * kDay);
  ASSERT_TRUE(Answer(&objection).ok());
  EXPECT_EQ(objection.state(), v1::MatterObjection::ANSWERED);
  EXPECT_FALSE(objection.answered_late());
  m = Get(m.id());
  EXPECT_EQ(m.open_objections(), 0);
  clock_->Set(kStart + 7 * kDay - absl::Seconds(1));
  auto early = PublishResult(&m);
  EXPECT_EQ(Reason(early), "PUBLICATION_TOO_SHORT");
  EXPECT_EQ(ErrorMetadata(FromGrpcStatus(early), "publishable_time").value_or(""),
            "2026-05-11T09:00:00+00:00");
  clock_->Set(kStart + 7 * kDay);
  ASSERT_TRUE(PublishResult(&m).ok());
  EXPECT_EQ(m.state(), Matter::RESULT_PUBLISHED);
  EXPECT_EQ(FromProtoTime(m.completion_time()), kStart + 14 * kDay);

  // DONE is read from the clock once the result has been up seven days.
  clock_->Set(kStart + 14 * kDay - absl::Seconds(1));
  EXPECT_EQ(Get(m.id()).state(), Matter::RESULT_PUBLISHED);
  clock_->Set(kStart + 14 * kDay);
  Matter done = Get(m.id());
  EXPECT_EQ(done.state(), Matter::DONE);
  ASSERT_EQ(done.steps_size(), 7);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(done.steps(i).kind(), i + 1);
  EXPECT_EQ(done.steps(2).participants().member_ids_size(), 7);
  EXPECT_EQ(Reason(FileObjection(done, "hh-dm1-0302", &objection)), "MATTER_DONE");
  EXPECT_EQ(Reason(PublishResult(&done)), "MATTER_DONE");
  // Listing by state follows the clock too.
  v1::ListMattersRequest list;
  list.set_organisation_id(t.community1);
  list.set_state(Matter::DONE);
  v1::ListMattersResponse listed;
  ASSERT_TRUE(stub_->ListMatters(principals_.Context("").get(), list, &listed).ok());
  ASSERT_EQ(listed.matters_size(), 1);
  EXPECT_EQ(listed.matters(0).state(), Matter::DONE);
  list.set_state(Matter::RESULT_PUBLISHED);
  ASSERT_TRUE(stub_->ListMatters(principals_.Context("").get(), list, &listed).ok());
  EXPECT_EQ(listed.matters_size(), 0);

  // Every write is in the change log: the proposal, six steps, and the
  // objection's filing and answer (each with the matter's count).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE resource_id = '" + m.id() + "'"), 9);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE resource_id = '" + objection.id() + "'"),
            2);
}

TEST_F(DecisionServiceTest, TheAssemblyNeedsTwoThirdsOfTheRosterAndAMajority) {
  Tree t = MakeTree("dm2");
  const std::vector<std::string> full = FullMembers(t.community1, 9);
  Matter m = Proposed(t.community1);
  ASSERT_TRUE(Deliberate(&m).ok());
  const int64_t changes =
      Count("SELECT COUNT(*) FROM change_log WHERE resource_id = '" + m.id() + "'");

  // Five of nine: no quorum, nothing recorded, the matter waits.
  Matter attempt = m;
  auto short_of = Assembly(&attempt, {full.begin(), full.begin() + 5}, 5);
  EXPECT_EQ(short_of.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(short_of), "ASSEMBLY_QUORUM_NOT_MET");
  EXPECT_EQ(short_of.error_message(),
            "the member assembly needs two thirds present: 5 of 9 came, 6 needed");
  // Someone who is not a member cannot be listed as one.
  std::vector<std::string> with_stranger(full.begin(), full.begin() + 6);
  with_stranger.push_back("mb_not_a_member");
  auto stranger = Assembly(&attempt, with_stranger, 7);
  EXPECT_EQ(Reason(stranger), "PARTICIPANT_NOT_A_MEMBER");
  EXPECT_EQ(ErrorField(FromGrpcStatus(stranger)).value_or(""), "participants.member_ids");
  EXPECT_EQ(Get(m.id()).state(), Matter::DELIBERATED);
  EXPECT_EQ(Get(m.id()).etag(), m.etag());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM matter_steps WHERE matter_id = '" + m.id() + "'"), 2);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM matter_step_participants WHERE matter_id = '" + m.id() + "'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE resource_id = '" + m.id() + "'"), changes);

  // Six present, three in favour: half is not a majority. The matter is
  // rejected, and ends there.
  ASSERT_TRUE(Assembly(&m, {full.begin(), full.begin() + 6}, 3).ok());
  EXPECT_EQ(m.state(), Matter::REJECTED);
  EXPECT_EQ(m.steps(2).outcome(), MatterStep::NOT_CARRIED);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM matter_step_participants WHERE matter_id = '" + m.id() +
                  "' AND kind = 3"),
            6);
  Matter after = m;
  EXPECT_EQ(Reason(Representatives(&after)), "MATTER_REJECTED");
  EXPECT_EQ(Reason(StreetReview(&after, "", v1::RecordStreetReviewRequest::APPROVE)),
            "MATTER_REJECTED");
  EXPECT_EQ(Reason(PublishResolution(&after)), "MATTER_REJECTED");
  v1::MatterObjection objection;
  EXPECT_EQ(Reason(FileObjection(m, "hh-1", &objection)), "MATTER_REJECTED");
  EXPECT_EQ(Get(m.id()).state(), Matter::REJECTED);
}

TEST_F(DecisionServiceTest, TheAssemblyCountsTheRosterOnItsDate) {
  Tree t = MakeTree("dm10");
  // Three full members all along, two who joined this month (so no dues
  // are owed when they leave) and two who join after the assembly's date.
  std::vector<std::string> listed = FullMembers(t.community1, 3);
  const std::string left_before = MemberId(t.grid1, v1::FULL, "2026-05-01");
  const std::string left_after = MemberId(t.community1, v1::FULL, "2026-05-01");
  Matter m = Proposed(t.community1);
  ASSERT_TRUE(Deliberate(&m).ok());
  // On 4 May one leaves for the other street; on 6 May the other leaves and
  // two new members join. The assembly met on 5 May.
  Transfer(left_before, t.community2);
  clock_->Set(kStart + 2 * kDay);
  Transfer(left_after, t.community2);
  const std::string joined_after = MemberId(t.community1, v1::FULL, "2026-05-06");
  MemberId(t.grid1, v1::FULL, "2026-05-06");
  listed.push_back(left_before);
  listed.push_back(left_after);
  listed.push_back(joined_after);

  auto assembly = stub_->RecordAssemblyReview(principals_.Context("", "clerk").get(),
                                              Meeting(m, "2026-05-05", listed, 0, 0, 4, 0, 0), &m);
  ASSERT_TRUE(assembly.ok()) << assembly.error_message();
  EXPECT_EQ(m.state(), Matter::ASSEMBLY_REVIEWED);
  // Entitled on 5 May: the three and the one who left on the 6th (today's
  // roster would have the three and the two who joined). The one who had
  // left on the 4th and the one who joined on the 6th are listed and do not
  // count.
  EXPECT_EQ(m.steps(2).vote().entitled(), 4);
  EXPECT_EQ(m.steps(2).vote().present(), 4);
  EXPECT_EQ(m.steps(2).participants().member_ids_size(), 6);
  EXPECT_NE(m.steps(2).outcome_detail().find("4 of 4 entitled present"), std::string::npos)
      << m.steps(2).outcome_detail();
}

TEST_F(DecisionServiceTest, TheStreetMayRejectAndOtherStreetsSeeNothing) {
  Tree t = MakeTree("dm3");
  const std::vector<std::string> full = FullMembers(t.community1, 3);
  Matter m = Proposed(t.community1);
  ASSERT_TRUE(Deliberate(&m).ok());
  ASSERT_TRUE(Assembly(&m, full, 2).ok());
  ASSERT_TRUE(Representatives(&m).ok());
  // Another street's officer: the matter does not exist for it.
  Matter copy = m;
  auto elsewhere = StreetReview(&copy, t.s2_path, v1::RecordStreetReviewRequest::APPROVE);
  EXPECT_EQ(elsewhere.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(elsewhere), "OUT_OF_SCOPE");
  v1::GetMatterRequest get;
  get.set_id(m.id());
  Matter hidden;
  auto got = stub_->GetMatter(principals_.Context(t.s2_path).get(), get, &hidden);
  EXPECT_EQ(Reason(got), "OUT_OF_SCOPE");
  get.set_id("mt_no_such_matter");
  EXPECT_EQ(stub_->GetMatter(principals_.Context(t.s2_path).get(), get, &hidden).error_message(),
            got.error_message());
  EXPECT_EQ(Get(m.id(), t.s1_path).id(), m.id());
  // A rejection needs a reason, and ends the matter.
  EXPECT_EQ(Reason(StreetReview(&copy, t.s1_path, v1::RecordStreetReviewRequest::REJECT)),
            "REASON_REQUIRED");
  ASSERT_TRUE(StreetReview(&m, t.s1_path, v1::RecordStreetReviewRequest::REJECT,
                           "the budget is not approved")
                  .ok());
  EXPECT_EQ(m.state(), Matter::REJECTED);
  EXPECT_EQ(m.steps(4).outcome(), MatterStep::DISAPPROVED);
  EXPECT_EQ(m.steps(4).note(), "the budget is not approved");
  EXPECT_EQ(Reason(PublishResolution(&m)), "MATTER_REJECTED");
  // Matters belong to community organisations only.
  Matter grid_matter;
  EXPECT_EQ(Reason(Propose("", t.grid1, &grid_matter)), "NOT_A_COMMUNITY_ORGANISATION");
  EXPECT_EQ(Reason(Propose(t.s2_path, t.community1, &grid_matter)), "OUT_OF_SCOPE");
}

TEST_F(DecisionServiceTest, ObjectionsPastThreeDaysAreListedWithHowLate) {
  Tree t = MakeTree("dm4");
  const std::vector<std::string> full = FullMembers(t.community1, 3);
  const std::vector<std::string> other = FullMembers(t.community2, 3);
  Matter first = Published(t.community1, full);
  Matter second = Published(t.community2, other);
  v1::MatterObjection a, b, c;
  ASSERT_TRUE(FileObjection(first, "hh-a", &a).ok());
  clock_->Advance(absl::Hours(1));
  ASSERT_TRUE(FileObjection(second, "hh-b", &b).ok());
  clock_->Advance(absl::Hours(1));
  ASSERT_TRUE(FileObjection(first, "hh-c", &c).ok());
  EXPECT_EQ(FileObjection(first, "not a household", &c).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  auto overdue = [&](const std::string& scope, int page_size) {
    std::vector<std::string> seen;
    v1::ListOverdueObjectionsRequest request;
    request.set_page_size(page_size);
    for (;;) {
      v1::ListOverdueObjectionsResponse response;
      auto s = stub_->ListOverdueObjections(principals_.Context(scope).get(), request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      for (const auto& o : response.objections()) {
        seen.push_back(absl::StrCat(o.objection().household_id(), " ", o.overdue_by().seconds()));
      }
      if (response.next_page_token().empty()) return seen;
      request.set_page_token(response.next_page_token());
    }
  };
  // Exactly three days after the first: due, not yet late.
  clock_->Set(kStart + 3 * kDay);
  EXPECT_EQ(overdue(t.s1_path, 10), std::vector<std::string>{});
  clock_->Set(kStart + 3 * kDay + absl::Seconds(1));
  EXPECT_EQ(overdue(t.s1_path, 10), std::vector<std::string>{"hh-a 1"});
  // Two hours later all three are late, the latest first, a page at a time.
  clock_->Set(kStart + 3 * kDay + absl::Hours(2) + absl::Seconds(5));
  EXPECT_EQ(overdue("", 1), (std::vector<std::string>{"hh-a 7205", "hh-b 3605", "hh-c 5"}));
  // Each street sees its own.
  EXPECT_EQ(overdue(t.s1_path, 1), (std::vector<std::string>{"hh-a 7205", "hh-c 5"}));
  EXPECT_EQ(overdue(t.s2_path, 1), (std::vector<std::string>{"hh-b 3605"}));
  // Another street cannot answer it; an answer now is late and takes it off.
  v1::MatterObjection foreign = a;
  EXPECT_EQ(Reason(Answer(&foreign, t.s2_path)), "OUT_OF_SCOPE");
  ASSERT_TRUE(Answer(&a, t.s1_path).ok());
  EXPECT_TRUE(a.answered_late());
  EXPECT_EQ(Reason(Answer(&a)), "OBJECTION_ANSWERED");
  EXPECT_EQ(overdue("", 10), (std::vector<std::string>{"hh-b 3605", "hh-c 5"}));
  // The matter's objections, answered and not.
  v1::ListObjectionsRequest list;
  list.set_matter_id(first.id());
  v1::ListObjectionsResponse listed;
  ASSERT_TRUE(stub_->ListObjections(principals_.Context("").get(), list, &listed).ok());
  ASSERT_EQ(listed.objections_size(), 2);
  EXPECT_EQ(Get(first.id()).open_objections(), 1);
}

TEST_F(DecisionServiceTest, StaleEtagsAreRefusedAndOneOfConcurrentStepsWins) {
  Tree t = MakeTree("dm5");
  Matter m = Proposed(t.community1);
  Matter stale = m;
  stale.set_etag("99");
  auto mismatch = Deliberate(&stale);
  EXPECT_EQ(mismatch.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Reason(mismatch), "ETAG_MISMATCH");

  std::atomic<int> succeeded{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, copy = m]() mutable {
      auto s = Deliberate(&copy);
      if (s.ok()) ++succeeded;
      if (s.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(aborted.load(), 7);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM matter_steps WHERE matter_id = '" + m.id() + "' AND kind = 2"),
      1);
  EXPECT_EQ(Get(m.id()).etag(), "2");
}

TEST_F(DecisionServiceTest, ProposingAndObjectingAreIdempotent) {
  Tree t = MakeTree("dm6");
  Matter first, retry;
  ASSERT_TRUE(Propose("", t.community1, &first, "propose-lifts").ok());
  ASSERT_TRUE(Propose("", t.community1, &retry, "propose-lifts").ok());
  EXPECT_EQ(retry.id(), first.id());
  // Concurrent retries still make one matter.
  std::vector<std::thread> threads;
  std::vector<std::string> ids(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      Matter out;
      if (Propose("", t.community2, &out, "propose-park").ok()) ids[i] = out.id();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM matters WHERE organisation_id = '" + t.community2 + "'"),
            1);

  Matter m = Published(t.community1, FullMembers(t.community1, 3));
  v1::MatterObjection once, twice;
  ASSERT_TRUE(FileObjection(m, "hh-1", &once, "objection-1").ok());
  ASSERT_TRUE(FileObjection(m, "hh-1", &twice, "objection-1").ok());
  EXPECT_EQ(twice.id(), once.id());
  EXPECT_EQ(Get(m.id()).open_objections(), 1);
}

TEST_F(DecisionServiceTest, ListsAnOrganisationsSubtreeOrAPlaceByStatePaged) {
  Tree t = MakeTree("dm7");
  for (int i = 0; i < 3; ++i) Proposed(t.community1);
  Matter other = Proposed(t.community2);
  Matter advanced = Proposed(t.community1);
  ASSERT_TRUE(Deliberate(&advanced).ok());
  auto list = [&](const std::string& scope, v1::ListMattersRequest request) {
    request.set_page_size(2);
    std::vector<std::string> ids;
    for (;;) {
      v1::ListMattersResponse response;
      auto s = stub_->ListMatters(principals_.Context(scope).get(), request, &response);
      if (!s.ok()) return std::vector<std::string>{Reason(s)};
      for (const auto& m : response.matters()) {
        EXPECT_EQ(m.steps_size(), 0);
        ids.push_back(m.id());
      }
      if (response.next_page_token().empty()) return ids;
      request.set_page_token(response.next_page_token());
    }
  };
  v1::ListMattersRequest by_district;
  by_district.set_organisation_id(t.district);
  EXPECT_EQ(list("", by_district).size(), 5u);
  EXPECT_EQ(list(t.s1_path, by_district).size(), 4u);  // the scope limits what is seen
  v1::ListMattersRequest by_community = by_district;
  by_community.set_organisation_id(t.community2);
  EXPECT_EQ(list("", by_community), std::vector<std::string>{other.id()});
  EXPECT_EQ(list(t.s1_path, by_community), std::vector<std::string>{"OUT_OF_SCOPE"});
  v1::ListMattersRequest by_place;
  by_place.set_area_id(t.area1);
  EXPECT_EQ(list("", by_place).size(), 4u);
  by_place.set_state(Matter::DELIBERATED);
  EXPECT_EQ(list("", by_place), std::vector<std::string>{advanced.id()});
  by_place.set_state(Matter::PROPOSED);
  EXPECT_EQ(list("", by_place).size(), 3u);
  v1::ListMattersRequest all;
  EXPECT_EQ(list(t.s2_path, all), std::vector<std::string>{other.id()});
  v1::ListMattersRequest both = by_district;
  both.set_area_id(t.area1);
  EXPECT_EQ(list("", both), std::vector<std::string>{"FILTER_CONFLICT"});
  // A token from one query is refused on another.
  v1::ListMattersRequest first_page = by_district;
  first_page.set_page_size(1);
  v1::ListMattersResponse page;
  ASSERT_TRUE(stub_->ListMatters(principals_.Context("").get(), first_page, &page).ok());
  by_place.set_page_token(page.next_page_token());
  v1::ListMattersResponse refused;
  EXPECT_EQ(stub_->ListMatters(principals_.Context("").get(), by_place, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DecisionServiceTest, AConsultationOfAllHouseholdsTakesOpinionsAndOneVoteEach) {
  Tree t = MakeTree("dc1");
  Matter matter = Proposed(t.community1);
  Matter elsewhere = Proposed(t.community2);
  v1::Consultation c;
  EXPECT_EQ(
      Reason(Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &c, "", elsewhere.id())),
      "MATTER_OF_ANOTHER_ORGANISATION");
  ASSERT_TRUE(
      Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &c, "", matter.id()).ok());
  EXPECT_EQ(c.state(), v1::Consultation::OPEN);
  EXPECT_EQ(c.area_path(), t.c1_path);
  EXPECT_EQ(c.matter_id(), matter.id());
  EXPECT_EQ(c.options_size(), 3);

  // Opinions: as many as a household likes.
  ASSERT_TRUE(Opinion(c, "hh-a", "North gets no sun in winter.").ok());
  ASSERT_TRUE(Opinion(c, "hh-a", "Second thought:\nplant trees in the south.").ok());
  ASSERT_TRUE(Opinion(c, "hh-b", "Either is fine.").ok());
  std::vector<std::string> texts;
  v1::ListOpinionsRequest list;
  list.set_consultation_id(c.id());
  list.set_page_size(2);
  for (;;) {
    v1::ListOpinionsResponse page;
    ASSERT_TRUE(consultations_->ListOpinions(principals_.Context("").get(), list, &page).ok());
    for (const auto& o : page.opinions()) texts.push_back(o.household_id());
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(texts.size(), 3u);

  // One vote per household: a retry answers the first vote, a second vote is refused.
  v1::ConsultationBallot first, retry, second;
  ASSERT_TRUE(Vote(c, "hh-a", 1, &first, "vote-a").ok());
  ASSERT_TRUE(Vote(c, "hh-a", 1, &retry, "vote-a").ok());
  EXPECT_EQ(FromProtoTime(retry.cast_time()), FromProtoTime(first.cast_time()));
  auto twice = Vote(c, "hh-a", 2, &second, "vote-a-again");
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Reason(twice), "HOUSEHOLD_ALREADY_VOTED");
  EXPECT_EQ(Reason(Vote(c, "hh-a", 2, &second, "vote-a")), "REQUEST_ID_REUSED");
  EXPECT_EQ(Reason(Vote(c, "hh-a", 1, &second)), "HOUSEHOLD_ALREADY_VOTED");
  ASSERT_TRUE(Vote(c, "hh-b", 2, &second).ok());
  ASSERT_TRUE(Vote(c, "hh-c", 1, &second).ok());
  EXPECT_EQ(Reason(Vote(c, "hh-d", 4, &second)), "OPTION_INVALID");
  EXPECT_EQ(Reason(Vote(c, "hh-d", 0, &second)), "OPTION_INVALID");
  v1::ConsultationResult result = Result(c);
  EXPECT_EQ(result.state(), v1::Consultation::OPEN);
  ASSERT_EQ(result.counts_size(), 3);
  EXPECT_EQ(result.counts(0).votes(), 2);
  EXPECT_EQ(result.counts(1).votes(), 1);
  EXPECT_EQ(result.counts(2).votes(), 0);
  EXPECT_EQ(result.counts(2).option(), "Neither this year");
  EXPECT_EQ(result.votes_cast(), 3);
  EXPECT_EQ(result.opinions(), 3);
  EXPECT_EQ(result.eligible_households(), 0);

  // Closed by the clock: nothing more comes in, and the count is final.
  clock_->Set(kStart + 3 * kDay - absl::Seconds(1));
  ASSERT_TRUE(Vote(c, "hh-d", 3, &second).ok());
  clock_->Set(kStart + 3 * kDay);
  EXPECT_EQ(Reason(Vote(c, "hh-e", 1, &second)), "CONSULTATION_CLOSED");
  EXPECT_EQ(Reason(Opinion(c, "hh-e", "too late")), "CONSULTATION_CLOSED");
  EXPECT_EQ(Result(c).state(), v1::Consultation::CLOSED);
  EXPECT_EQ(Result(c).votes_cast(), 4);
  v1::CloseConsultationRequest close;
  close.set_id(c.id());
  close.set_etag(c.etag());
  v1::Consultation closed;
  EXPECT_EQ(
      Reason(consultations_->CloseConsultation(principals_.Context("").get(), close, &closed)),
      "CONSULTATION_CLOSED");
  v1::ListConsultationsRequest by_state;
  by_state.set_organisation_id(t.district);
  by_state.set_state(v1::Consultation::CLOSED);
  v1::ListConsultationsResponse listed;
  ASSERT_TRUE(
      consultations_->ListConsultations(principals_.Context("").get(), by_state, &listed).ok());
  ASSERT_EQ(listed.consultations_size(), 1);
  EXPECT_EQ(listed.consultations(0).options_size(), 3);
  by_state.set_state(v1::Consultation::OPEN);
  ASSERT_TRUE(
      consultations_->ListConsultations(principals_.Context("").get(), by_state, &listed).ok());
  EXPECT_EQ(listed.consultations_size(), 0);
}

TEST_F(DecisionServiceTest, AConsultationOfRepresentativesHearsOnlyThemAndClosesEarly) {
  Tree t = MakeTree("dc2");
  v1::Consultation c;
  ASSERT_TRUE(
      Open("", t.community1, v1::Consultation::REPRESENTATIVES, {"hh-r3", "hh-r1", "hh-r2"}, &c)
          .ok());
  v1::ConsultationBallot ballot;
  EXPECT_EQ(Reason(Vote(c, "hh-x", 1, &ballot)), "NOT_A_REPRESENTATIVE_HOUSEHOLD");
  EXPECT_EQ(Reason(Opinion(c, "hh-x", "me too")), "NOT_A_REPRESENTATIVE_HOUSEHOLD");
  ASSERT_TRUE(Vote(c, "hh-r1", 2, &ballot).ok());
  ASSERT_TRUE(Opinion(c, "hh-r2", "Agreed with the committee.").ok());
  v1::GetConsultationRequest get;
  get.set_id(c.id());
  v1::Consultation read;
  ASSERT_TRUE(consultations_->GetConsultation(principals_.Context("").get(), get, &read).ok());
  EXPECT_EQ(std::vector<std::string>(read.representative_household_ids().begin(),
                                     read.representative_household_ids().end()),
            (std::vector<std::string>{"hh-r1", "hh-r2", "hh-r3"}));
  // Closing early takes the current etag.
  v1::CloseConsultationRequest close;
  close.set_id(c.id());
  close.set_etag("7");
  v1::Consultation closed;
  EXPECT_EQ(
      Reason(consultations_->CloseConsultation(principals_.Context("").get(), close, &closed)),
      "ETAG_MISMATCH");
  close.set_etag(c.etag());
  clock_->Advance(absl::Hours(5));
  ASSERT_TRUE(
      consultations_->CloseConsultation(principals_.Context("", "clerk").get(), close, &closed)
          .ok());
  EXPECT_EQ(closed.state(), v1::Consultation::CLOSED);
  EXPECT_EQ(FromProtoTime(closed.closed_time()), kStart + absl::Hours(5));
  EXPECT_EQ(closed.closed_by(), "clerk");
  auto late = Vote(c, "hh-r2", 1, &ballot);
  EXPECT_EQ(Reason(late), "CONSULTATION_CLOSED");
  EXPECT_NE(late.error_message().find("2026-05-04T14:00:00"), std::string::npos)
      << late.error_message();
  v1::ConsultationResult result = Result(c);
  EXPECT_EQ(result.state(), v1::Consultation::CLOSED);
  EXPECT_EQ(result.eligible_households(), 3);
  EXPECT_EQ(result.votes_cast(), 1);
  EXPECT_EQ(result.counts(1).votes(), 1);
  EXPECT_EQ(result.opinions(), 1);
}

TEST_F(DecisionServiceTest, ConcurrentVotesOfOneHouseholdCountOnce) {
  Tree t = MakeTree("dc3");
  v1::Consultation c;
  auto opened = Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &c);
  ASSERT_TRUE(opened.ok()) << opened.error_message();
  auto race = [&](const std::string& household, bool same_request) {
    std::atomic<int> ok{0}, refused{0};
    std::vector<v1::ConsultationBallot> ballots(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        const std::string request =
            same_request ? "vote-" + household : absl::StrCat("vote-", household, "-", i);
        auto s = Vote(c, household, same_request ? 2 : 1 + i % 3, &ballots[i], request);
        if (s.ok()) ++ok;
        if (Reason(s) == "HOUSEHOLD_ALREADY_VOTED") ++refused;
      });
    }
    for (auto& thread : threads) thread.join();
    return std::make_pair(ok.load(), refused.load());
  };
  // Eight retries of one vote: all answered with it, one row.
  EXPECT_EQ(race("hh-retry", true), std::make_pair(8, 0));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM consultation_votes WHERE consultation_id = '" + c.id() +
                  "' AND household_id = 'hh-retry'"),
            1);
  // Eight different votes of one household: one counts, seven are refused.
  EXPECT_EQ(race("hh-eager", false), std::make_pair(1, 7));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM consultation_votes WHERE consultation_id = '" + c.id() +
                  "' AND household_id = 'hh-eager'"),
            1);
  EXPECT_EQ(Result(c).votes_cast(), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log WHERE resource_type = "
                  "'grassroots.orgs.v1.ConsultationBallot' AND path = '" +
                  t.c1_path + "'"),
            2);
}

TEST_F(DecisionServiceTest, ConsultationsAreScopedIdempotentAndListedPaged) {
  Tree t = MakeTree("dc4");
  v1::Consultation first, retry, other;
  ASSERT_TRUE(Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &first, "open-1").ok());
  ASSERT_TRUE(Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &retry, "open-1").ok());
  EXPECT_EQ(retry.id(), first.id());
  ASSERT_TRUE(Open(t.s2_path, t.community2, v1::Consultation::ALL_HOUSEHOLDS, {}, &other).ok());
  EXPECT_EQ(Reason(Open(t.s2_path, t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &other)),
            "OUT_OF_SCOPE");
  EXPECT_EQ(Reason(Open("", t.grid1, v1::Consultation::ALL_HOUSEHOLDS, {}, &other)),
            "NOT_A_COMMUNITY_ORGANISATION");
  EXPECT_EQ(Reason(Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {"hh-1"}, &other)),
            "REPRESENTATIVES_NOT_EXPECTED");
  ASSERT_TRUE(Open("", t.community1, v1::Consultation::ALL_HOUSEHOLDS, {}, &other).ok());
  // Another street neither sees nor votes in s1's consultations.
  v1::GetConsultationRequest get;
  get.set_id(first.id());
  v1::Consultation hidden;
  EXPECT_EQ(
      Reason(consultations_->GetConsultation(principals_.Context(t.s2_path).get(), get, &hidden)),
      "OUT_OF_SCOPE");
  v1::ConsultationBallot ballot;
  EXPECT_EQ(Reason(Vote(first, "hh-1", 1, &ballot, "", t.s2_path)), "OUT_OF_SCOPE");
  EXPECT_TRUE(Vote(first, "hh-1", 1, &ballot, "", t.s1_path).ok());
  auto list = [&](const std::string& scope, const std::string& organisation) {
    v1::ListConsultationsRequest request;
    request.set_organisation_id(organisation);
    request.set_page_size(1);
    std::vector<std::string> ids;
    for (;;) {
      v1::ListConsultationsResponse page;
      auto s = consultations_->ListConsultations(principals_.Context(scope).get(), request, &page);
      if (!s.ok()) return std::vector<std::string>{Reason(s)};
      for (const auto& consultation : page.consultations()) {
        EXPECT_EQ(consultation.representative_household_ids_size(), 0);
        ids.push_back(consultation.id());
      }
      if (page.next_page_token().empty()) return ids;
      request.set_page_token(page.next_page_token());
    }
  };
  EXPECT_EQ(list("", t.district).size(), 3u);
  EXPECT_EQ(list(t.s1_path, t.district).size(), 2u);
  EXPECT_EQ(list(t.s1_path, t.community2), std::vector<std::string>{"OUT_OF_SCOPE"});
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM consultations WHERE organisation_id = '" + t.community1 + "'"),
      2);
}

}  // namespace
}  // namespace grassroots::orgs
