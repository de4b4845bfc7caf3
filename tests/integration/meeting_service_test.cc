// Organisational life against a real MariaDB: the roster history through
// transfers and conversions, committees, meetings with their quorum, the
// next-due clock moved by a ManualClock, overdue listings and compliance.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto/personal_data.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "common/time/clock.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/committee.grpc.pb.h"
#include "grassroots/orgs/v1/dues.grpc.pb.h"
#include "grassroots/orgs/v1/meeting.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/transfer.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/committee_handler.h"
#include "services/orgs/dues_handler.h"
#include "services/orgs/meeting_handler.h"
#include "services/orgs/member_handler.h"
#include "services/orgs/membership_history.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/transfer_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using absl::CivilDay;
using grassroots::testing::InProcessService;
using grassroots::testing::QueryInt;
using grassroots::testing::TestPrincipals;

std::string Text(CivilDay day) { return absl::FormatCivilTime(day); }

// Words in member id order, as rosters come.
std::string Sorted(std::vector<std::string> words, const char* separator) {
  std::sort(words.begin(), words.end());
  return absl::StrJoin(words, separator);
}

CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }

class MeetingServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_meetings"),
                                    {&db::orgs_migrations()});
    const ServiceEnv& env = service_->env();
    cipher_ = PersonalDataCipher::Create(grassroots::testing::kTestPersonalDataKey)->release();
    area_store_ = new AreaStore(*env.pool, *env.changes);
    area_handler_ = new AreaHandler(env, *area_store_);
    organisation_store_ = new OrganisationStore(*env.pool, *env.changes);
    organisation_handler_ = new OrganisationHandler(env, *organisation_store_);
    member_store_ = new MemberStore(*env.pool, *env.changes, *cipher_);
    member_handler_ = new MemberHandler(env, *member_store_);
    transfer_store_ = new TransferStore(*env.pool, *env.changes);
    transfer_handler_ = new TransferHandler(env, *transfer_store_);
    dues_store_ = new DuesStore(*env.pool, *env.changes);
    dues_handler_ = new DuesHandler(env, *dues_store_);
    committee_store_ = new CommitteeStore(*env.pool, *env.changes);
    committee_handler_ = new CommitteeHandler(env, *committee_store_);
    // Meetings see the day through a clock the tests move.
    clock_ = new ManualClock(absl::Now());
    meeting_env_ = new ServiceEnv(env);
    meeting_env_->clock = clock_;
    meeting_store_ = new MeetingStore(*env.pool, *env.changes, MeetingFrequencies{});
    meeting_handler_ = new MeetingHandler(*meeting_env_, *meeting_store_);
    service_->Start({area_handler_, organisation_handler_, member_handler_, transfer_handler_,
                     dues_handler_, committee_handler_, meeting_handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete meeting_handler_;
    delete meeting_store_;
    delete meeting_env_;
    delete clock_;
    delete committee_handler_;
    delete committee_store_;
    delete dues_handler_;
    delete dues_store_;
    delete transfer_handler_;
    delete transfer_store_;
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
    areas_ = v1::AreaService::NewStub(service_->Channel());
    organisations_ = v1::OrganisationService::NewStub(service_->Channel());
    members_ = v1::MemberService::NewStub(service_->Channel());
    transfers_ = v1::TransferService::NewStub(service_->Channel());
    dues_ = v1::DuesService::NewStub(service_->Channel());
    committees_ = v1::CommitteeService::NewStub(service_->Channel());
    meetings_ = v1::MeetingService::NewStub(service_->Channel());
    clock_->Set(absl::Now());
  }

  // Meetings' today.
  // `day` at the real time of day: the test principals expire an hour from
  // now by the real clock, so a service clock moved to noon of today would
  // find them expired whenever the suite runs before 11:00 UTC.
  static void SetToday(CivilDay day) {
    const absl::Time now = absl::Now();
    const absl::Duration since_midnight =
        now - absl::FromCivil(absl::CivilDay(absl::ToCivilSecond(now, absl::UTCTimeZone())),
                              absl::UTCTimeZone());
    clock_->Set(absl::FromCivil(absl::CivilSecond(day), absl::UTCTimeZone()) + since_midnight);
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

  // District `code` with streets s1 and s2; a community committee in each,
  // a grid branch under each community, a building group under grid 1.
  struct Tree {
    std::string district, community1, community2, branch1, branch2, group1;
  };
  Tree MakeTree(const std::string& code) {
    Tree t;
    const std::string d = AreaId(v1::DISTRICT, code, "");
    const std::string s1 = AreaId(v1::STREET, "s1", d), s2 = AreaId(v1::STREET, "s2", d);
    const std::string c1 = AreaId(v1::COMMUNITY, "c1", s1), c2 = AreaId(v1::COMMUNITY, "c2", s2);
    t.district = OrganisationId(v1::DISTRICT_COMMITTEE, code, "", d);
    const std::string street1 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s1", t.district, s1);
    const std::string street2 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s2", t.district, s2);
    t.community1 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c1", street1, c1);
    t.community2 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c2", street2, c2);
    t.branch1 = OrganisationId(v1::GRID_BRANCH, "g1", t.community1, c1);
    t.branch2 = OrganisationId(v1::GRID_BRANCH, "g2", t.community2, c2);
    t.group1 = OrganisationId(v1::BUILDING_GROUP, "b1", t.branch1, c1);
    return t;
  }

  // A member with a fresh valid ID number (GB 11643 check character).
  v1::Member AddMember(const std::string& organisation, v1::MemberStatus status = v1::FULL,
                       const std::string& join_date = "2010-07-01",
                       const std::string& probation_end = "") {
    std::string base = absl::StrCat("1101011980", 1000000 + serial_++);
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int d = 0; d < 17; ++d) sum += (base[d] - '0') * kWeights[d];
    base.push_back("10X98765432"[sum % 11]);
    v1::AddMemberRequest request;
    auto* m = request.mutable_member();
    m->set_organisation_id(organisation);
    m->set_status(status);
    m->set_join_date(join_date);
    m->set_probation_end_date(probation_end);
    m->set_name("党员甲");
    m->set_id_number(base);
    v1::Member out;
    auto s = members_->AddMember(principals_.Context("").get(), request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // The roster of `organisation` on `day` as "id:status" words.
  std::string RosterText(const std::string& organisation, CivilDay day) {
    v1::GetOrganisationRequest get;
    get.set_id(organisation);
    v1::Organisation found;
    EXPECT_TRUE(organisations_->GetOrganisation(principals_.Context("").get(), get, &found).ok());
    std::vector<std::string> words;
    EXPECT_TRUE(db::RunReadOnly(pool(), [&](db::Connection& c) {
                  for (const auto& m : MembershipHistory::RosterOn(c, found, day)) {
                    words.push_back(
                        absl::StrCat(m.member_id, ":", v1::MemberStatus_Name(m.status)));
                  }
                  return absl::OkStatus();
                }).ok());
    return absl::StrJoin(words, " ");
  }

  // Moves `member` from its organisation to `to`, both sides agreeing,
  // after paying its dues for every month since it joined.
  void Transfer(const v1::Member& member, const std::string& to) {
    CivilDay joined;
    ASSERT_TRUE(absl::ParseCivilTime(member.join_date(), &joined));
    const absl::CivilMonth now(Today());
    for (absl::CivilMonth m = absl::CivilMonth(joined) + 1; m <= now; ++m) {
      v1::RecordDuesPaymentRequest pay;
      pay.set_member_id(member.id());
      pay.set_month(absl::FormatCivilTime(m).substr(0, 7));
      pay.set_amount_fen(1000);
      pay.set_payment_id(absl::StrCat(member.id(), "/", pay.month()));
      v1::DuesPayment paid;
      ASSERT_TRUE(dues_->RecordDuesPayment(principals_.Context("").get(), pay, &paid).ok());
    }
    v1::RequestTransferRequest request;
    request.set_member_id(member.id());
    request.set_to_organisation_id(to);
    request.set_reason("moved house");
    v1::Transfer pending, accepted;
    auto asked = transfers_->RequestTransfer(principals_.Context("").get(), request, &pending);
    ASSERT_TRUE(asked.ok()) << asked.error_message();
    v1::DecideTransferRequest accept;
    accept.set_id(pending.id());
    accept.set_etag(pending.etag());
    ASSERT_TRUE(transfers_->AcceptTransfer(principals_.Context("").get(), accept, &accepted).ok());
  }

  absl::StatusOr<v1::CommitteeSeat> Appoint(const std::string& organisation,
                                            const v1::Member& member, v1::CommitteeRole role,
                                            const std::string& start,
                                            const std::string& request_id = "",
                                            const std::string& scope = "") {
    v1::AppointCommitteeMemberRequest request;
    request.set_organisation_id(organisation);
    request.set_member_id(member.id());
    request.set_role(role);
    request.set_start_date(start);
    request.set_request_id(request_id);
    v1::CommitteeSeat seat;
    auto status =
        committees_->AppointCommitteeMember(principals_.Context(scope).get(), request, &seat);
    if (!status.ok()) return FromGrpcStatus(status);
    return seat;
  }

  absl::StatusOr<v1::CommitteeSeat> EndSeat(const v1::CommitteeSeat& seat, const std::string& end,
                                            const std::string& etag) {
    v1::EndCommitteeSeatRequest request;
    request.set_id(seat.id());
    request.set_etag(etag);
    request.set_end_date(end);
    request.set_reason(v1::CommitteeSeat::RESIGNATION);
    v1::CommitteeSeat out;
    auto status = committees_->EndCommitteeSeat(principals_.Context("").get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Committee> Committee(const std::string& organisation,
                                          const std::string& date = "",
                                          const std::string& scope = "") {
    v1::GetCommitteeRequest request;
    request.set_organisation_id(organisation);
    request.set_date(date);
    v1::Committee out;
    auto status = committees_->GetCommittee(principals_.Context(scope).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  static std::string Rules(const v1::Committee& committee) {
    std::vector<std::string> rules;
    for (const auto& f : committee.findings()) rules.push_back(f.rule());
    return absl::StrJoin(rules, " ");
  }

  absl::StatusOr<v1::Meeting> Plan(const std::string& organisation, v1::MeetingType type,
                                   const std::string& planned, const std::string& request_id = "",
                                   const std::string& scope = "") {
    v1::PlanMeetingRequest request;
    request.mutable_meeting()->set_organisation_id(organisation);
    request.mutable_meeting()->set_type(type);
    request.mutable_meeting()->set_topic("学习贯彻党的二十大精神");
    request.mutable_meeting()->set_planned_date(planned);
    request.set_request_id(request_id);
    v1::Meeting out;
    auto status = meetings_->PlanMeeting(principals_.Context(scope).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // Records `meeting` as held on `actual`: everyone in `present` came, the
  // others in `roster` were absent ("ill").
  absl::StatusOr<v1::Meeting> Record(const v1::Meeting& meeting, const std::string& actual,
                                     const std::vector<v1::Member>& roster,
                                     const std::vector<v1::Member>& present, bool election = false,
                                     const std::string& scope = "",
                                     std::optional<std::string> etag = std::nullopt) {
    v1::RecordMeetingRequest request;
    request.set_id(meeting.id());
    request.set_etag(etag.value_or(meeting.etag()));
    request.set_actual_date(actual);
    request.set_election(election);
    request.add_decisions("adopt the work plan");
    for (const v1::Member& m : roster) {
      auto* a = request.add_attendance();
      a->set_member_id(m.id());
      a->set_present(std::any_of(present.begin(), present.end(),
                                 [&](const v1::Member& p) { return p.id() == m.id(); }));
      if (!a->present()) a->set_absence_reason("ill");
    }
    v1::Meeting out;
    auto status = meetings_->RecordMeeting(principals_.Context(scope).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // Plans and records a meeting in one go.
  absl::StatusOr<v1::Meeting> Hold(const std::string& organisation, v1::MeetingType type,
                                   const std::string& actual, const std::vector<v1::Member>& roster,
                                   const std::vector<v1::Member>& present, bool election = false) {
    auto planned = Plan(organisation, type, actual);
    if (!planned.ok()) return planned.status();
    return Record(*planned, actual, roster, present, election);
  }

  // "TYPE:due[+days overdue]" for each clock of the organisation.
  std::string ClockText(const std::string& organisation) {
    v1::GetMeetingClockRequest request;
    request.set_organisation_id(organisation);
    v1::MeetingClock clock;
    auto status = meetings_->GetMeetingClock(principals_.Context("").get(), request, &clock);
    if (!status.ok()) return status.error_message();
    std::vector<std::string> words;
    for (const auto& c : clock.clocks()) {
      words.push_back(absl::StrCat(v1::MeetingType_Name(c.type()), ":", c.due_date(),
                                   c.overdue() ? absl::StrCat("+", c.days_overdue()) : ""));
    }
    return absl::StrJoin(words, " ");
  }

  // Every overdue clock below `root`, "path TYPE days", paged.
  std::vector<std::string> OverdueBelow(const std::string& root, const std::string& scope = "",
                                        int page_size = 1) {
    std::vector<std::string> out;
    v1::ListOverdueMeetingsRequest request;
    request.set_organisation_id(root);
    request.set_page_size(page_size);
    for (;;) {
      v1::ListOverdueMeetingsResponse page;
      auto status =
          meetings_->ListOverdueMeetings(principals_.Context(scope).get(), request, &page);
      if (!status.ok()) return {GrpcCodeName(status.error_code())};
      for (const auto& o : page.overdue()) {
        out.push_back(absl::StrCat(o.organisation_path(), " ",
                                   v1::MeetingType_Name(o.clock().type()), " ",
                                   o.clock().days_overdue()));
      }
      if (page.next_page_token().empty()) return out;
      request.set_page_token(page.next_page_token());
    }
  }

  static std::string ReasonOf(const absl::Status& status) {
    return ErrorReason(status).value_or(status.ok() ? "OK" : status.ToString());
  }

  static InProcessService* service_;
  static PersonalDataCipher* cipher_;
  static AreaStore* area_store_;
  static AreaHandler* area_handler_;
  static OrganisationStore* organisation_store_;
  static OrganisationHandler* organisation_handler_;
  static MemberStore* member_store_;
  static MemberHandler* member_handler_;
  static TransferStore* transfer_store_;
  static TransferHandler* transfer_handler_;
  static DuesStore* dues_store_;
  static DuesHandler* dues_handler_;
  static CommitteeStore* committee_store_;
  static CommitteeHandler* committee_handler_;
  static ManualClock* clock_;
  static ServiceEnv* meeting_env_;
  static MeetingStore* meeting_store_;
  static MeetingHandler* meeting_handler_;
  static int serial_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::MemberService::Stub> members_;
  std::unique_ptr<v1::TransferService::Stub> transfers_;
  std::unique_ptr<v1::DuesService::Stub> dues_;
  std::unique_ptr<v1::CommitteeService::Stub> committees_;
  std::unique_ptr<v1::MeetingService::Stub> meetings_;
};

InProcessService* MeetingServiceTest::service_ = nullptr;
PersonalDataCipher* MeetingServiceTest::cipher_ = nullptr;
AreaStore* MeetingServiceTest::area_store_ = nullptr;
AreaHandler* MeetingServiceTest::area_handler_ = nullptr;
OrganisationStore* MeetingServiceTest::organisation_store_ = nullptr;
OrganisationHandler* MeetingServiceTest::organisation_handler_ = nullptr;
MemberStore* MeetingServiceTest::member_store_ = nullptr;
MemberHandler* MeetingServiceTest::member_handler_ = nullptr;
TransferStore* MeetingServiceTest::transfer_store_ = nullptr;
TransferHandler* MeetingServiceTest::transfer_handler_ = nullptr;
DuesStore* MeetingServiceTest::dues_store_ = nullptr;
DuesHandler* MeetingServiceTest::dues_handler_ = nullptr;
CommitteeStore* MeetingServiceTest::committee_store_ = nullptr;
CommitteeHandler* MeetingServiceTest::committee_handler_ = nullptr;
ManualClock* MeetingServiceTest::clock_ = nullptr;
ServiceEnv* MeetingServiceTest::meeting_env_ = nullptr;
MeetingStore* MeetingServiceTest::meeting_store_ = nullptr;
MeetingHandler* MeetingServiceTest::meeting_handler_ = nullptr;
int MeetingServiceTest::serial_ = 0;

TEST_F(MeetingServiceTest, TheRosterOnADayFollowsTransfersAndConversions) {
  Tree t = MakeTree("ms1");
  const v1::Member stays = AddMember(t.branch1, v1::FULL, "2010-07-01");
  // Joined three months ago (its dues are paid before the transfer).
  const CivilDay mover_joined = CivilDay(absl::CivilMonth(Today()) - 3);
  const v1::Member mover = AddMember(t.branch1, v1::FULL, Text(mover_joined));
  const v1::Member probationer = AddMember(t.branch1, v1::PROBATIONARY, "2024-07-01", "2025-07-01");
  auto word = [](const v1::Member& m, const char* status) {
    return absl::StrCat(m.id(), ":", status);
  };
  // Before anyone joined, and on the joining days.
  EXPECT_EQ(RosterText(t.branch1, CivilDay(2010, 6, 30)), "");
  EXPECT_EQ(RosterText(t.branch1, CivilDay(2012, 3, 1)), word(stays, "FULL"));
  EXPECT_EQ(RosterText(t.branch1, CivilDay(2024, 7, 1)),
            Sorted({word(stays, "FULL"), word(probationer, "PROBATIONARY")}, " "));
  EXPECT_EQ(RosterText(t.branch1, mover_joined - 1),
            Sorted({word(stays, "FULL"), word(probationer, "PROBATIONARY")}, " "));
  EXPECT_EQ(
      RosterText(t.branch1, mover_joined),
      Sorted({word(stays, "FULL"), word(mover, "FULL"), word(probationer, "PROBATIONARY")}, " "));

  // Converted, dated back to the end of probation: full from that day only.
  v1::ConvertToFullMemberRequest convert;
  convert.set_id(probationer.id());
  convert.set_etag(probationer.etag());
  convert.set_conversion_date("2025-07-01");
  v1::Member converted;
  ASSERT_TRUE(
      members_->ConvertToFullMember(principals_.Context("").get(), convert, &converted).ok());
  EXPECT_EQ(RosterText(t.branch1, CivilDay(2025, 6, 30)),
            Sorted({word(stays, "FULL"), word(probationer, "PROBATIONARY")}, " "));
  EXPECT_EQ(RosterText(t.branch1, CivilDay(2025, 7, 1)),
            Sorted({word(stays, "FULL"), word(probationer, "FULL")}, " "));
  EXPECT_EQ(RosterText(t.branch1, mover_joined),
            Sorted({word(stays, "FULL"), word(mover, "FULL"), word(probationer, "FULL")}, " "));

  // Transferred today: on the old roster until yesterday, on the new one from today.
  Transfer(mover, t.branch2);
  const CivilDay today = Today();
  EXPECT_EQ(RosterText(t.branch1, today - 1),
            Sorted({word(stays, "FULL"), word(mover, "FULL"), word(probationer, "FULL")}, " "));
  EXPECT_EQ(RosterText(t.branch1, today),
            Sorted({word(stays, "FULL"), word(probationer, "FULL")}, " "));
  EXPECT_EQ(RosterText(t.branch2, today - 1), "");
  EXPECT_EQ(RosterText(t.branch2, today), word(mover, "FULL"));
  // The same through the API, masked, as a meeting's roster.
  auto roster = [&](const std::string& organisation, CivilDay day) {
    v1::GetMeetingRosterRequest request;
    request.set_organisation_id(organisation);
    request.set_type(v1::MEMBER_ASSEMBLY);
    request.set_date(Text(day));
    v1::MeetingRoster out;
    auto status = meetings_->GetMeetingRoster(principals_.Context("").get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> words;
    for (const auto& m : out.members()) {
      EXPECT_EQ(m.name(), "党*甲");
      words.push_back(absl::StrCat(m.member_id(), ":", v1::MemberStatus_Name(m.status())));
    }
    return absl::StrJoin(words, " ");
  };
  EXPECT_EQ(roster(t.branch1, today - 1), RosterText(t.branch1, today - 1));
  EXPECT_EQ(roster(t.branch1, CivilDay(2025, 6, 30)),
            Sorted({word(stays, "FULL"), word(probationer, "PROBATIONARY")}, " "));
  // A meeting held yesterday has the mover on its roster; one held today does not.
  SetToday(today);
  const std::vector<v1::Member> before_move{stays, mover, probationer};
  EXPECT_TRUE(Hold(t.branch1, v1::MEMBER_ASSEMBLY, Text(today - 1), before_move, before_move).ok());
  EXPECT_EQ(
      ReasonOf(
          Hold(t.branch1, v1::MEMBER_ASSEMBLY, Text(today), before_move, before_move).status()),
      "ATTENDEE_NOT_ON_ROSTER");
  EXPECT_TRUE(
      Hold(t.branch1, v1::MEMBER_ASSEMBLY, Text(today), {stays, probationer}, {stays}).ok());
  // Past days keep the old membership; the periods do not overlap.
  EXPECT_EQ(RosterText(t.branch1, mover_joined),
            Sorted({word(stays, "FULL"), word(mover, "FULL"), word(probationer, "FULL")}, " "));
  EXPECT_EQ(
      QueryInt(pool(), "SELECT COUNT(*) FROM memberships WHERE member_id = '" + mover.id() + "'"),
      2);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM memberships WHERE member_id = '" + mover.id() +
                                 "' AND valid_to IS NULL AND area_path = 'ms1/s2/c2'"),
            1);
}

TEST_F(MeetingServiceTest, CommitteeSeatsFollowTheRules) {
  Tree t = MakeTree("ms2");
  std::vector<v1::Member> full;
  for (int i = 0; i < 8; ++i) full.push_back(AddMember(t.branch1));
  const v1::Member probationer = AddMember(t.branch1, v1::PROBATIONARY, "2026-01-05", "2027-01-05");
  const v1::Member elsewhere = AddMember(t.branch2);
  const v1::Member in_group = AddMember(t.group1);

  // Nine full members (one in the branch's party group) and nobody in a
  // seat: a committee is needed, and a secretary.
  auto empty = Committee(t.branch1);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->full_members(), 9);
  EXPECT_FALSE(empty->meets_rules());
  EXPECT_EQ(Rules(*empty), "BRANCH_COMMITTEE_REQUIRED NO_SECRETARY");
  EXPECT_NE(empty->findings(0).message().find("9 full members, 0 seats"), std::string::npos);

  // Idempotent appointment.
  auto secretary = Appoint(t.branch1, full[0], v1::SECRETARY, "2024-01-10", "appoint-sec");
  ASSERT_TRUE(secretary.ok()) << secretary.status();
  auto again = Appoint(t.branch1, full[0], v1::SECRETARY, "2024-01-10", "appoint-sec");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), secretary->id());
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM committee_seats WHERE organisation_id = '" +
                                 t.branch1 + "'"),
            1);
  EXPECT_NE(secretary->name().find('*'), std::string::npos);
  // One secretary at a time; holders are full members of this organisation.
  EXPECT_EQ(ReasonOf(Appoint(t.branch1, full[1], v1::SECRETARY, "2025-01-01").status()),
            "SECRETARY_SEAT_TAKEN");
  EXPECT_EQ(ReasonOf(Appoint(t.branch1, probationer, v1::COMMITTEE_MEMBER, "2026-02-01").status()),
            "SEAT_HOLDER_NOT_FULL_MEMBER");
  auto stranger = Appoint(t.branch1, elsewhere, v1::COMMITTEE_MEMBER, "2026-02-01");
  EXPECT_EQ(ReasonOf(stranger.status()), "SEAT_HOLDER_NOT_FULL_MEMBER");
  EXPECT_NE(stranger.status().message().find(elsewhere.id()), std::string::npos);
  // Joined 2010: not a member on a day before that.
  EXPECT_EQ(ReasonOf(Appoint(t.branch1, full[1], v1::COMMITTEE_MEMBER, "2009-12-31").status()),
            "SEAT_HOLDER_NOT_FULL_MEMBER");
  EXPECT_EQ(ReasonOf(Appoint(t.branch1, full[0], v1::COMMITTEE_MEMBER, "2025-01-01").status()),
            "MEMBER_HOLDS_SEAT");
  EXPECT_EQ(ReasonOf(Appoint(t.branch1, full[1], v1::COMMITTEE_MEMBER, Text(Today() + 1)).status()),
            "DATE_IN_FUTURE");
  // A building group keeps no committee.
  EXPECT_EQ(ReasonOf(Appoint(t.group1, full[1], v1::COMMITTEE_MEMBER, "2025-01-01").status()),
            "COMMITTEE_NOT_KEPT");
  // Another street's officer can neither appoint nor read.
  EXPECT_EQ(
      Appoint(t.branch1, full[1], v1::COMMITTEE_MEMBER, "2025-01-01", "", "ms2/s2").status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Committee(t.branch1, "", "ms2/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Committee(t.branch1, "", "ms2/s1").ok());

  auto deputy = Appoint(t.branch1, full[1], v1::DEPUTY_SECRETARY, "2024-01-10");
  // A member of the branch's party group may hold a branch seat.
  auto member = Appoint(t.branch1, in_group, v1::COMMITTEE_MEMBER, "2024-01-10");
  ASSERT_TRUE(deputy.ok() && member.ok());
  auto complete = Committee(t.branch1, "2025-06-01");
  ASSERT_TRUE(complete.ok());
  EXPECT_TRUE(complete->meets_rules()) << Rules(*complete);
  ASSERT_EQ(complete->seats_size(), 3);
  EXPECT_EQ(complete->seats(0).role(), v1::SECRETARY);
  EXPECT_TRUE(complete->seats(0).holder_is_full_member());
  // Before the appointments the committee was empty.
  EXPECT_EQ(Committee(t.branch1, "2024-01-09")->seats_size(), 0);

  // Ending a seat needs the current etag; the committee of earlier days keeps it.
  EXPECT_EQ(EndSeat(*member, "2026-03-01", "99").status().code(), absl::StatusCode::kAborted);
  auto ended = EndSeat(*member, "2026-03-01", member->etag());
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->end_date(), "2026-03-01");
  EXPECT_EQ(ReasonOf(EndSeat(*ended, "2026-03-02", ended->etag()).status()), "SEAT_ENDED");
  EXPECT_EQ(Committee(t.branch1, "2026-02-28")->seats_size(), 3);
  EXPECT_EQ(Rules(*Committee(t.branch1, "2026-03-01")), "BRANCH_COMMITTEE_REQUIRED");
  // The same member may take a seat again from the day the last one ended.
  ASSERT_TRUE(Appoint(t.branch1, in_group, v1::COMMITTEE_MEMBER, "2026-03-01").ok());
  EXPECT_TRUE(Committee(t.branch1, "2026-03-01")->meets_rules());

  // The history, paged by start date.
  std::vector<std::string> listed;
  v1::ListCommitteeSeatsRequest list;
  list.set_organisation_id(t.branch1);
  list.set_page_size(2);
  for (;;) {
    v1::ListCommitteeSeatsResponse page;
    auto status = committees_->ListCommitteeSeats(principals_.Context("").get(), list, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& seat : page.seats()) {
      listed.push_back(absl::StrCat(seat.start_date(), "/", seat.end_date()));
    }
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(absl::StrJoin(listed, " "),
            "2024-01-10/ 2024-01-10/ 2024-01-10/2026-03-01 2026-03-01/");
}

TEST_F(MeetingServiceTest, ASeatHolderTransferredAwayNoLongerCounts) {
  Tree t = MakeTree("ms3");
  const CivilDay joined = CivilDay(absl::CivilMonth(Today()) - 2);
  std::vector<v1::Member> full;
  for (int i = 0; i < 7; ++i) full.push_back(AddMember(t.branch1, v1::FULL, Text(joined)));
  ASSERT_TRUE(Appoint(t.branch1, full[0], v1::SECRETARY, Text(joined)).ok());
  ASSERT_TRUE(Appoint(t.branch1, full[1], v1::COMMITTEE_MEMBER, Text(joined)).ok());
  ASSERT_TRUE(Appoint(t.branch1, full[2], v1::COMMITTEE_MEMBER, Text(joined)).ok());
  EXPECT_TRUE(Committee(t.branch1)->meets_rules());
  Transfer(full[2], t.branch2);
  auto after = Committee(t.branch1);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->full_members(), 6);
  // Six full members: no committee needed any more, but the seat is flagged.
  EXPECT_EQ(Rules(*after), "SEAT_HOLDER_NOT_FULL_MEMBER");
  ASSERT_EQ(after->seats_size(), 3);
  EXPECT_FALSE(after->seats(2).holder_is_full_member());
  EXPECT_TRUE(Committee(t.branch1, Text(Today() - 1))->meets_rules());
}

TEST_F(MeetingServiceTest, TheCoverageEngineAsksBranchesOfSevenForACommittee) {
  Tree t = MakeTree("ms11");
  // Seven full members on the branch's roster, two of them in its party
  // group, and a probationer; the other street's branch has six.
  std::vector<v1::Member> full;
  for (int i = 0; i < 5; ++i) full.push_back(AddMember(t.branch1));
  for (int i = 0; i < 2; ++i) full.push_back(AddMember(t.group1));
  AddMember(t.branch1, v1::PROBATIONARY, "2026-01-05", "2027-01-05");
  for (int i = 0; i < 6; ++i) AddMember(t.branch2);
  auto items = [&](const std::string& scope) {
    std::vector<std::string> out;
    v1::ListFormationWorkItemsRequest request;
    request.set_parent_id(scope.empty() ? t.district : "");
    request.set_page_size(2);
    for (;;) {
      v1::ListFormationWorkItemsResponse page;
      auto status =
          organisations_->ListFormationWorkItems(principals_.Context(scope).get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return out;
      for (const auto& item : page.items()) {
        out.push_back(absl::StrCat(item.organisation_path(), " ",
                                   v1::FormationWorkItem::Action_Name(item.action()), " ",
                                   item.rule(), " ", item.full_members(), ": ", item.message()));
      }
      if (page.next_page_token().empty()) return out;
      request.set_page_token(page.next_page_token());
    }
  };

  // Two seats, one held by the group's member: no committee yet, as the
  // committee's own findings say too.
  ASSERT_TRUE(Appoint(t.branch1, full[0], v1::SECRETARY, "2024-01-10").ok());
  ASSERT_TRUE(Appoint(t.branch1, full[5], v1::COMMITTEE_MEMBER, "2024-01-10").ok());
  const std::string required =
      "ms11/s1/c1/g1 FORM_COMMITTEE BRANCH_COMMITTEE_REQUIRED 7: a branch with 7 or more full "
      "members needs a branch committee of 3 to 5: 7 full members, 2 seats";
  EXPECT_EQ(items(""), std::vector<std::string>{required});
  EXPECT_EQ(Rules(*Committee(t.branch1)), "BRANCH_COMMITTEE_REQUIRED");
  // Scope: the branch's street sees it, the other street does not.
  EXPECT_EQ(items("ms11/s1"), std::vector<std::string>{required});
  EXPECT_EQ(items("ms11/s2"), std::vector<std::string>{});

  // Three seats meet the rule; six are too many.
  ASSERT_TRUE(Appoint(t.branch1, full[1], v1::DEPUTY_SECRETARY, "2024-01-10").ok());
  EXPECT_EQ(items(""), std::vector<std::string>{});
  for (int i = 2; i < 5; ++i) {
    ASSERT_TRUE(Appoint(t.branch1, full[i], v1::COMMITTEE_MEMBER, "2024-01-10").ok());
  }
  EXPECT_EQ(items(""),
            std::vector<std::string>{
                "ms11/s1/c1/g1 FORM_COMMITTEE BRANCH_COMMITTEE_TOO_LARGE 7: a branch with 7 or "
                "more full members needs a branch committee of 3 to 5: 7 full members, 6 seats"});
  EXPECT_EQ(Rules(*Committee(t.branch1)), "BRANCH_COMMITTEE_TOO_LARGE");
}

TEST_F(MeetingServiceTest, ANewCommunityTermEndsThePreviousTermsSeatsTogether) {
  Tree t = MakeTree("ms4");
  std::vector<v1::Member> full;
  for (int i = 0; i < 4; ++i) full.push_back(AddMember(t.community1));
  auto start = [&](const std::string& organisation, const std::string& day,
                   const std::string& request_id) -> absl::StatusOr<v1::CommitteeTerm> {
    v1::StartCommitteeTermRequest request;
    request.set_organisation_id(organisation);
    request.set_start_date(day);
    request.set_request_id(request_id);
    v1::CommitteeTerm term;
    auto status = committees_->StartCommitteeTerm(principals_.Context("").get(), request, &term);
    if (!status.ok()) return FromGrpcStatus(status);
    return term;
  };
  auto first = start(t.community1, "2020-01-10", "term-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->end_date(), "2025-01-10");
  EXPECT_TRUE(first->expired());
  EXPECT_EQ(start(t.community1, "2020-01-10", "term-1")->id(), first->id());
  EXPECT_EQ(ReasonOf(start(t.branch1, "2020-01-10", "").status()), "TERM_NOT_KEPT");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Appoint(t.community1, full[i], i == 0 ? v1::SECRETARY : v1::COMMITTEE_MEMBER, "2020-01-10")
            .ok());
  }
  EXPECT_TRUE(Committee(t.community1, "2025-01-09")->meets_rules());
  auto lapsed = Committee(t.community1, "2025-01-10");
  EXPECT_EQ(Rules(*lapsed), "COMMITTEE_TERM_EXPIRED");
  EXPECT_EQ(lapsed->term().id(), first->id());

  // The next term, elected late: the old seats end on its first day, all at once.
  const int64_t changes_before = QueryInt(pool(), "SELECT COUNT(*) FROM change_log");
  auto second = start(t.community1, "2025-03-01", "term-2");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->end_date(), "2030-03-01");
  EXPECT_FALSE(second->expired());
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM committee_seats WHERE organisation_id = '" +
                                 t.community1 + "' AND end_date = '2025-03-01' AND end_reason = " +
                                 std::to_string(v1::CommitteeSeat::TERM_END)),
            3);
  // The term and its three ended seats; the first term had ended already.
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM change_log") - changes_before, 4);
  EXPECT_EQ(Committee(t.community1, "2025-03-01")->seats_size(), 0);
  EXPECT_EQ(Committee(t.community1, "2025-02-28")->seats_size(), 3);
  EXPECT_EQ(ReasonOf(start(t.community1, "2025-03-01", "").status()), "TERM_NOT_AFTER_PREVIOUS");
  // A refused term changes nothing.
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM committee_terms WHERE organisation_id = '" +
                                 t.community1 + "'"),
            2);
  // An early election cuts the running term short, in the same transaction.
  ASSERT_TRUE(Appoint(t.community1, full[3], v1::SECRETARY, "2025-03-01").ok());
  auto third = start(t.community1, "2026-05-01", "term-3");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM committee_terms WHERE id = '" + second->id() +
                                 "' AND end_date = '2026-05-01'"),
            1);
  EXPECT_EQ(Committee(t.community1, "2026-04-30")->term().id(), second->id());
  EXPECT_EQ(Committee(t.community1, "2026-05-01")->term().id(), third->id());
  EXPECT_EQ(Rules(*Committee(t.community1, "2026-05-01")), "NO_SECRETARY");
}

TEST_F(MeetingServiceTest, PlanningIsIdempotentAndFitsTheOrganisation) {
  Tree t = MakeTree("ms5");
  auto first = Plan(t.branch1, v1::PARTY_LECTURE, "2026-03-10", "plan-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state(), v1::Meeting::PLANNED);
  EXPECT_EQ(first->area_path(), "ms5/s1/c1");
  auto again = Plan(t.branch1, v1::PARTY_LECTURE, "2026-03-10", "plan-1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(
      QueryInt(pool(), "SELECT COUNT(*) FROM meetings WHERE organisation_id = '" + t.branch1 + "'"),
      1);
  // Who holds what.
  EXPECT_EQ(ReasonOf(Plan(t.group1, v1::MEMBER_ASSEMBLY, "2026-03-10").status()),
            "MEETING_TYPE_NOT_HELD");
  EXPECT_EQ(ReasonOf(Plan(t.district, v1::PARTY_LECTURE, "2026-03-10").status()),
            "MEETING_TYPE_NOT_HELD");
  EXPECT_EQ(ReasonOf(Plan(t.community1, v1::MEMBER_ASSEMBLY, "2026-03-10").status()),
            "MEETING_TYPE_NOT_HELD");
  EXPECT_TRUE(Plan(t.community1, v1::BRANCH_COMMITTEE, "2026-03-10").ok());
  auto bad_date = Plan(t.branch1, v1::PARTY_LECTURE, "2026-02-30");
  EXPECT_EQ(ErrorField(bad_date.status()).value_or(""), "meeting.planned_date");
  // Another street neither plans nor reads here.
  EXPECT_EQ(Plan(t.branch1, v1::PARTY_LECTURE, "2026-03-10", "", "ms5/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::GetMeetingRequest get;
  get.set_id(first->id());
  v1::Meeting read;
  EXPECT_EQ(meetings_->GetMeeting(principals_.Context("ms5/s2").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(meetings_->GetMeeting(principals_.Context("ms5/s1").get(), get, &read).ok());

  // Cancelled once, with the current etag; nothing follows a cancellation.
  auto cancel = [&](const v1::Meeting& m, const std::string& etag) -> absl::StatusOr<v1::Meeting> {
    v1::CancelMeetingRequest request;
    request.set_id(m.id());
    request.set_etag(etag);
    request.set_reason("the secretary is away");
    v1::Meeting out;
    auto status = meetings_->CancelMeeting(principals_.Context("").get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  };
  EXPECT_EQ(cancel(*first, "7").status().code(), absl::StatusCode::kAborted);
  auto cancelled = cancel(*first, first->etag());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::Meeting::CANCELLED);
  EXPECT_EQ(cancelled->cancel_reason(), "the secretary is away");
  EXPECT_EQ(ReasonOf(cancel(*cancelled, cancelled->etag()).status()), "MEETING_CANCELLED");
  EXPECT_EQ(ReasonOf(Record(*cancelled, "2026-03-10", {}, {}).status()), "MEETING_CANCELLED");
  // The retry of the first plan still answers as it did.
  EXPECT_EQ(Plan(t.branch1, v1::PARTY_LECTURE, "2026-03-10", "plan-1")->state(),
            v1::Meeting::PLANNED);

  // Listed newest planned first, paged, optionally by type.
  ASSERT_TRUE(Plan(t.branch1, v1::MEMBER_ASSEMBLY, "2026-01-05").ok());
  ASSERT_TRUE(Plan(t.branch1, v1::PARTY_LECTURE, "2026-05-05").ok());
  ASSERT_TRUE(Plan(t.branch1, v1::MEMBER_ASSEMBLY, "2026-04-05").ok());
  auto list = [&](v1::MeetingType type) {
    std::vector<std::string> out;
    v1::ListMeetingsRequest request;
    request.set_organisation_id(t.branch1);
    request.set_type(type);
    request.set_page_size(2);
    for (;;) {
      v1::ListMeetingsResponse page;
      auto status = meetings_->ListMeetings(principals_.Context("").get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      for (const auto& m : page.meetings()) out.push_back(m.planned_date());
      if (!status.ok() || page.next_page_token().empty()) return absl::StrJoin(out, " ");
      request.set_page_token(page.next_page_token());
    }
  };
  EXPECT_EQ(list(v1::MEETING_TYPE_UNSPECIFIED), "2026-05-05 2026-04-05 2026-03-10 2026-01-05");
  EXPECT_EQ(list(v1::MEMBER_ASSEMBLY), "2026-04-05 2026-01-05");
}

TEST_F(MeetingServiceTest, AMemberAssemblyNeedsMoreThanHalfOfItsFullMembers) {
  Tree t = MakeTree("ms6");
  std::vector<v1::Member> full;
  for (int i = 0; i < 4; ++i) full.push_back(AddMember(t.branch1));
  const v1::Member probationer = AddMember(t.branch1, v1::PROBATIONARY, "2024-07-01", "2025-07-01");
  std::vector<v1::Member> roster = full;
  roster.push_back(probationer);

  // Two of four full members (the probationary member does not count).
  auto missed =
      Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-03-10", roster, {full[0], full[1], probationer});
  ASSERT_TRUE(missed.ok()) << missed.status();
  EXPECT_EQ(missed->state(), v1::Meeting::HELD);
  EXPECT_FALSE(missed->valid());
  EXPECT_FALSE(missed->quorum().quorate());
  EXPECT_EQ(missed->quorum().eligible(), 4);
  EXPECT_EQ(missed->quorum().present(), 2);
  EXPECT_EQ(missed->quorum().required(), 3);
  EXPECT_EQ(missed->quorum().message(),
            "a member assembly needs more than half of the full members present: 2 of 4 came, 3 "
            "needed");
  // Kept as recorded: attendance by member id, reasons, decisions.
  v1::GetMeetingRequest get;
  get.set_id(missed->id());
  v1::Meeting read;
  ASSERT_TRUE(meetings_->GetMeeting(principals_.Context("").get(), get, &read).ok());
  EXPECT_EQ(read.attendance_size(), 5);
  EXPECT_EQ(read.quorum().message(), missed->quorum().message());
  EXPECT_EQ(read.decisions_size(), 1);
  EXPECT_FALSE(read.valid());
  EXPECT_EQ(read.attendance(0).member_id() < read.attendance(1).member_id(), true);
  int absent_with_reason = 0;
  for (const auto& a : read.attendance())
    absent_with_reason += !a.present() && a.absence_reason() == "ill";
  EXPECT_EQ(absent_with_reason, 2);

  auto met =
      Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-03-11", roster, {full[0], full[1], full[2]});
  ASSERT_TRUE(met.ok());
  EXPECT_TRUE(met->valid());
  EXPECT_EQ(met->quorum().rule(), "MEMBER_ASSEMBLY_MORE_THAN_HALF");

  // An election needs more than four fifths: with five full members, four is not enough.
  v1::ConvertToFullMemberRequest convert;
  convert.set_id(probationer.id());
  convert.set_etag(probationer.etag());
  convert.set_conversion_date("2025-07-01");
  v1::Member converted;
  ASSERT_TRUE(
      members_->ConvertToFullMember(principals_.Context("").get(), convert, &converted).ok());
  auto four = Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-04-10", roster,
                   {full[0], full[1], full[2], full[3]}, /*election=*/true);
  ASSERT_TRUE(four.ok()) << four.status();
  EXPECT_TRUE(four->election());
  EXPECT_FALSE(four->valid());
  EXPECT_EQ(four->quorum().rule(), "ELECTION_MORE_THAN_FOUR_FIFTHS");
  EXPECT_EQ(four->quorum().message(),
            "an election needs more than four fifths of the full members present: 4 of 5 came, 5 "
            "needed");
  auto five = Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-04-11", roster, roster, true);
  ASSERT_TRUE(five.ok());
  EXPECT_TRUE(five->valid());
  // The same four without an election are quorate.
  EXPECT_TRUE(Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-04-12", roster,
                   {full[0], full[1], full[2], full[3]})
                  ->valid());
  EXPECT_EQ(
      ReasonOf(Hold(t.branch1, v1::PARTY_LECTURE, "2026-04-12", roster, roster, true).status()),
      "ELECTION_NOT_AT_ASSEMBLY");
  // A lecture records attendance without a quorum.
  auto lecture = Hold(t.branch1, v1::PARTY_LECTURE, "2026-04-13", roster, {full[0]});
  ASSERT_TRUE(lecture.ok());
  EXPECT_TRUE(lecture->valid());
  EXPECT_FALSE(lecture->quorum().applies());
  EXPECT_EQ(lecture->quorum().rule(), "NO_QUORUM");
}

TEST_F(MeetingServiceTest, AttendanceNamesOnlyTheRosterOfTheDay) {
  Tree t = MakeTree("ms7");
  const v1::Member a = AddMember(t.branch1), b = AddMember(t.branch1);
  const v1::Member late = AddMember(t.branch1, v1::FULL, "2026-05-01");
  const v1::Member other = AddMember(t.branch2);
  auto planned = Plan(t.branch1, v1::MEMBER_ASSEMBLY, "2026-04-20");
  ASSERT_TRUE(planned.ok());
  // Joined after the meeting: not on that day's roster; the refusal names the member.
  auto refused = Record(*planned, "2026-04-20", {a, b, late}, {a, b, late});
  EXPECT_EQ(ReasonOf(refused.status()), "ATTENDEE_NOT_ON_ROSTER");
  EXPECT_EQ(ErrorField(refused.status()).value_or(""), "attendance[2].member_id");
  EXPECT_NE(refused.status().message().find(late.id()), std::string::npos);
  EXPECT_EQ(ReasonOf(Record(*planned, "2026-04-20", {a, b, other}, {a}).status()),
            "ATTENDEE_NOT_ON_ROSTER");
  auto incomplete = Record(*planned, "2026-04-20", {a}, {a});
  EXPECT_EQ(ReasonOf(incomplete.status()), "ATTENDANCE_INCOMPLETE");
  EXPECT_NE(incomplete.status().message().find(b.id()), std::string::npos);
  EXPECT_EQ(ReasonOf(Record(*planned, Text(Today() + 1), {a, b}, {a}).status()), "DATE_IN_FUTURE");
  EXPECT_EQ(Record(*planned, "2026-04-20", {a, b}, {a}, false, "", "99").status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Record(*planned, "2026-04-20", {a, b}, {a}, false, "ms7/s2").status().code(),
            absl::StatusCode::kPermissionDenied);
  // Refusals wrote nothing.
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = '" +
                                 planned->id() + "'"),
            0);
  EXPECT_EQ(QueryInt(pool(), "SELECT state FROM meetings WHERE id = '" + planned->id() + "'"),
            v1::Meeting::PLANNED);

  // Recorded once: the meeting, its attendance and decisions and one change row together.
  const int64_t changes_before = QueryInt(
      pool(), "SELECT COUNT(*) FROM change_log WHERE resource_id = '" + planned->id() + "'");
  auto held = Record(*planned, "2026-04-20", {b, a}, {a, b});
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_TRUE(held->valid());
  EXPECT_EQ(held->etag(), "2");
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = '" +
                                 planned->id() + "'"),
            2);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM meeting_decisions WHERE meeting_id = '" +
                                 planned->id() + "'"),
            1);
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM change_log WHERE resource_id = '" + planned->id() + "'"),
            changes_before + 1);
  EXPECT_EQ(ReasonOf(Record(*held, "2026-04-21", {a, b}, {a, b}).status()), "MEETING_ALREADY_HELD");
  // On 1 May the late joiner is on the roster.
  EXPECT_EQ(ReasonOf(Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-05-01", {a, b}, {a, b}).status()),
            "ATTENDANCE_INCOMPLETE");
  EXPECT_TRUE(Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-05-01", {a, b, late}, {a, b}).ok());
}

TEST_F(MeetingServiceTest, ACommitteeMeetingCountsTheSeatsOfTheDay) {
  Tree t = MakeTree("ms8");
  std::vector<v1::Member> full;
  for (int i = 0; i < 7; ++i) full.push_back(AddMember(t.branch1));
  ASSERT_TRUE(Appoint(t.branch1, full[0], v1::SECRETARY, "2025-01-01").ok());
  ASSERT_TRUE(Appoint(t.branch1, full[1], v1::COMMITTEE_MEMBER, "2025-01-01").ok());
  ASSERT_TRUE(Appoint(t.branch1, full[2], v1::COMMITTEE_MEMBER, "2025-01-01").ok());
  const std::vector<v1::Member> seats{full[0], full[1], full[2]};
  auto one = Hold(t.branch1, v1::BRANCH_COMMITTEE, "2026-02-10", seats, {full[0]});
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_FALSE(one->valid());
  EXPECT_EQ(one->quorum().message(),
            "a branch committee meeting needs more than half of the committee's seats present: 1 "
            "of 3 came, 2 needed");
  EXPECT_TRUE(
      Hold(t.branch1, v1::BRANCH_COMMITTEE, "2026-02-11", seats, {full[0], full[1]})->valid());
  // Members without a seat are not on a committee meeting's roster.
  EXPECT_EQ(ReasonOf(Hold(t.branch1, v1::BRANCH_COMMITTEE, "2026-02-12",
                          {full[0], full[1], full[2], full[3]}, {full[0]})
                         .status()),
            "ATTENDEE_NOT_ON_ROSTER");
  // Before the committee existed nobody counts: never quorate.
  auto none = Hold(t.branch1, v1::BRANCH_COMMITTEE, "2024-12-31", {}, {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->valid());
  EXPECT_EQ(none->quorum().eligible(), 0);
  v1::GetMeetingRosterRequest request;
  request.set_organisation_id(t.branch1);
  request.set_type(v1::BRANCH_COMMITTEE);
  request.set_date("2026-02-10");
  v1::MeetingRoster roster;
  ASSERT_TRUE(meetings_->GetMeetingRoster(principals_.Context("").get(), request, &roster).ok());
  EXPECT_EQ(roster.members_size(), 3);
}

TEST_F(MeetingServiceTest, TheNextDueClockOverdueListAndCompliance) {
  Tree t = MakeTree("ms9");
  std::vector<v1::Member> f, g;
  for (int i = 0; i < 3; ++i) f.push_back(AddMember(t.branch1));
  for (int i = 0; i < 2; ++i) g.push_back(AddMember(t.group1));
  // The party group's members are members of the branch too.
  std::vector<v1::Member> branch = f;
  branch.insert(branch.end(), g.begin(), g.end());

  // The branch's first recorded meeting (10 January) is its start: each
  // quarterly type is due by the end of the second quarter.
  SetToday(CivilDay(2026, 2, 1));
  ASSERT_TRUE(Hold(t.branch1, v1::PARTY_LECTURE, "2026-01-10", branch, {f[0]}).ok());
  EXPECT_EQ(ClockText(t.branch1), "MEMBER_ASSEMBLY:2026-06-30 PARTY_LECTURE:2026-06-30");
  EXPECT_EQ(ClockText(t.group1).find('+'), std::string::npos);
  SetToday(CivilDay(2026, 6, 30));
  EXPECT_EQ(ClockText(t.branch1), "MEMBER_ASSEMBLY:2026-06-30 PARTY_LECTURE:2026-06-30");
  SetToday(CivilDay(2026, 7, 1));
  EXPECT_EQ(ClockText(t.branch1), "MEMBER_ASSEMBLY:2026-06-30+1 PARTY_LECTURE:2026-06-30+1");
  // An assembly without a quorum does not reset the clock; one with a quorum does.
  ASSERT_FALSE(Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-07-01", branch, {f[0], g[0]})->valid());
  EXPECT_EQ(ClockText(t.branch1), "MEMBER_ASSEMBLY:2026-06-30+1 PARTY_LECTURE:2026-06-30+1");
  ASSERT_TRUE(
      Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-07-01", branch, {f[0], f[1], g[0]})->valid());
  EXPECT_EQ(ClockText(t.branch1), "MEMBER_ASSEMBLY:2026-12-31 PARTY_LECTURE:2026-06-30+1");
  // The building group met on 31 May: due again by 30 June.
  ASSERT_TRUE(Hold(t.group1, v1::GROUP_MEETING, "2026-05-31", g, {g[0]}).ok());
  EXPECT_EQ(ClockText(t.group1), "GROUP_MEETING:2026-06-30+1");
  // A committee of three brings the monthly committee clock, from its formation.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Appoint(t.branch1, f[i], i == 0 ? v1::SECRETARY : v1::COMMITTEE_MEMBER, "2026-06-15").ok());
  }
  EXPECT_EQ(ClockText(t.branch1),
            "BRANCH_COMMITTEE:2026-07-31 MEMBER_ASSEMBLY:2026-12-31 PARTY_LECTURE:2026-06-30+1");

  // Ten days on: the overdue list of the district, one organisation a page.
  SetToday(CivilDay(2026, 7, 11));
  EXPECT_EQ(OverdueBelow(t.district),
            (std::vector<std::string>{"ms9/s1/c1/g1 PARTY_LECTURE 11",
                                      "ms9/s1/c1/g1/b1 GROUP_MEETING 11"}));
  EXPECT_EQ(OverdueBelow(t.district, "", 100), OverdueBelow(t.district));
  EXPECT_TRUE(OverdueBelow(t.district, "ms9/s2").empty());
  EXPECT_EQ(OverdueBelow(t.branch1, "ms9/s2"), std::vector<std::string>{"PermissionDenied"});

  // Compliance over the first half year: an assembly in May is recorded late.
  ASSERT_TRUE(
      Hold(t.branch1, v1::MEMBER_ASSEMBLY, "2026-05-20", branch, {f[0], f[1], g[1]})->valid());
  auto compliance = [&](const std::string& root, const std::string& scope) {
    v1::GetMeetingComplianceRequest request;
    request.set_organisation_id(root);
    request.set_from_date("2026-01-01");
    request.set_to_date("2026-06-30");
    v1::MeetingCompliance out;
    auto status = meetings_->GetMeetingCompliance(principals_.Context(scope).get(), request, &out);
    if (!status.ok()) return absl::StatusOr<v1::MeetingCompliance>(FromGrpcStatus(status));
    return absl::StatusOr<v1::MeetingCompliance>(out);
  };
  auto report = compliance(t.district, "");
  ASSERT_TRUE(report.ok()) << report.status();
  std::vector<std::string> rows;
  for (const auto& row : report->rows()) {
    if (row.figures().required() == 0 && row.figures().held() == 0) continue;
    rows.push_back(absl::StrCat(row.organisation_path(), " ", v1::MeetingType_Name(row.type()), " ",
                                row.figures().required(), "/", row.figures().met(), "/",
                                row.figures().held(), "/", row.figures().valid()));
  }
  // Quarterly from the second quarter (the start's quarter is grace); the
  // group monthly from June; no committee in the period's cycles but June's.
  EXPECT_EQ(rows,
            (std::vector<std::string>{
                "ms9/s1/c1/g1 BRANCH_COMMITTEE 1/0/0/0", "ms9/s1/c1/g1 MEMBER_ASSEMBLY 1/1/1/1",
                "ms9/s1/c1/g1 PARTY_LECTURE 1/0/1/1", "ms9/s1/c1/g1/b1 GROUP_MEETING 1/0/1/1"}));
  EXPECT_EQ(report->totals().required(), 4);
  EXPECT_EQ(report->totals().met(), 1);
  EXPECT_EQ(report->totals().held(), 3);
  EXPECT_EQ(report->totals().valid(), 3);
  EXPECT_DOUBLE_EQ(report->totals().rate(), 0.25);
  ASSERT_EQ(report->totals_by_type_size(), 4);
  EXPECT_EQ(report->totals_by_type(2).type(), v1::MEMBER_ASSEMBLY);
  EXPECT_DOUBLE_EQ(report->totals_by_type(2).figures().rate(), 1.0);
  // Another street sees only its own organisations, and none of this branch.
  auto other = compliance(t.district, "ms9/s2");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->totals().required(), 0);
  for (const auto& row : other->rows()) EXPECT_TRUE(row.organisation_path().starts_with("ms9/s2"));
  EXPECT_EQ(compliance(t.branch1, "ms9/s2").status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(MeetingServiceTest, ConcurrentWritesKeepOneSecretaryAndOneMeetingPerRequest) {
  Tree t = MakeTree("ms10");
  std::vector<v1::Member> full;
  for (int i = 0; i < 8; ++i) full.push_back(AddMember(t.branch1));
  std::vector<absl::Status> appointed(8);
  std::vector<std::string> planned(8);
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        appointed[i] = Appoint(t.branch1, full[i], v1::SECRETARY, "2026-01-05").status();
        auto meeting = Plan(t.branch1, v1::PARTY_LECTURE, "2026-02-01", "same-plan");
        planned[i] = meeting.ok() ? meeting->id() : meeting.status().ToString();
      });
    }
    for (auto& thread : threads) thread.join();
  }
  int ok = 0;
  for (const auto& status : appointed) {
    if (status.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(ReasonOf(status), "SECRETARY_SEAT_TAKEN");
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM committee_seats WHERE organisation_id = '" +
                                 t.branch1 + "'"),
            1);
  for (const auto& id : planned) EXPECT_EQ(id, planned[0]);
  EXPECT_EQ(
      QueryInt(pool(), "SELECT COUNT(*) FROM meetings WHERE organisation_id = '" + t.branch1 + "'"),
      1);
}

}  // namespace
}  // namespace grassroots::orgs
