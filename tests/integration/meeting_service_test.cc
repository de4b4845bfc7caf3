// Organisational life against a real MariaDB: the roster history through
// transfers and conversions, committees, meetings with their quorum, the
// next-due clock moved by a ManualClock, overdue listings and compliance.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto/personal_data.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/dues.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/transfer.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/dues_handler.h"
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
    service_->Start(
        {area_handler_, organisation_handler_, member_handler_, transfer_handler_, dues_handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
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
    std::vector<std::string> words;
    EXPECT_TRUE(db::RunReadOnly(pool(), [&](db::Connection& c) {
                  for (const auto& m : MembershipHistory::RosterOn(c, organisation, day)) {
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
  static int serial_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::MemberService::Stub> members_;
  std::unique_ptr<v1::TransferService::Stub> transfers_;
  std::unique_ptr<v1::DuesService::Stub> dues_;
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

}  // namespace
}  // namespace grassroots::orgs
