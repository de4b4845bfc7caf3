// The organisation tree as it stood at any instant, and a temporary branch
// handing its members back when it is dissolved, against a real MariaDB.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/crypto/personal_data.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "common/time/proto_time.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/transfer.grpc.pb.h"
#include "services/orgs/area_handler.h"
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

std::string IdNumber(int serial) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  const std::string base = absl::StrFormat("3301021985%07d", serial);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (base[i] - '0') * kWeights[i];
  return base + "10X98765432"[sum % 11];
}

class OrganisationHistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_history"),
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
    service_->Start({area_handler_, organisation_handler_, member_handler_, transfer_handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
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
  }

  db::ConnectionPool& pool() { return *service_->env().pool; }
  std::unique_ptr<grpc::ClientContext> As(const std::string& scope) {
    return principals_.Context(scope, "clerk");
  }

  std::string AreaId(v1::AreaKind kind, const std::string& code, const std::string& parent) {
    v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name(code);
    request.mutable_area()->set_parent_id(parent);
    v1::Area area;
    EXPECT_TRUE(areas_->CreateArea(As("").get(), request, &area).ok());
    return area.id();
  }

  v1::Organisation Organisation(v1::OrganisationKind kind, const std::string& code,
                                const std::string& parent, const std::string& area) {
    v1::CreateOrganisationRequest request;
    auto* o = request.mutable_organisation();
    o->set_kind(kind);
    o->set_code(code);
    o->set_display_name(code);
    o->set_parent_id(parent);
    o->set_area_id(area);
    v1::Organisation organisation;
    auto status = organisations_->CreateOrganisation(As("").get(), request, &organisation);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return organisation;
  }

  // A full member who joined this month (no dues are due yet).
  v1::Member Member(const std::string& organisation) {
    v1::AddMemberRequest add;
    auto* m = add.mutable_member();
    m->set_organisation_id(organisation);
    m->set_status(v1::FULL);
    m->set_join_date(absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())));
    m->set_name("李娜");
    m->set_id_number(IdNumber(++serial_));
    v1::Member member;
    auto status = members_->AddMember(As("").get(), add, &member);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return member;
  }

  void Transfer(const std::string& member, const std::string& to) {
    v1::RequestTransferRequest request;
    request.set_member_id(member);
    request.set_to_organisation_id(to);
    request.set_reason("flood relief duty");
    v1::Transfer asked, accepted;
    auto status = transfers_->RequestTransfer(As("").get(), request, &asked);
    ASSERT_TRUE(status.ok()) << status.error_message();
    v1::DecideTransferRequest decide;
    decide.set_id(asked.id());
    status = transfers_->AcceptTransfer(As("").get(), decide, &accepted);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::string OrganisationOf(const std::string& member) {
    v1::GetMemberRequest get;
    get.set_id(member);
    v1::Member m;
    EXPECT_TRUE(members_->GetMember(As("").get(), get, &m).ok());
    return m.organisation_id();
  }

  grpc::Status Dissolve(const std::string& id, v1::Organisation* out) {
    v1::DissolveOrganisationRequest dissolve;
    dissolve.set_id(id);
    dissolve.set_reason("the flood is over");
    return organisations_->DissolveOrganisation(As("").get(), dissolve, out);
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
  static int serial_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::MemberService::Stub> members_;
  std::unique_ptr<v1::TransferService::Stub> transfers_;
};

InProcessService* OrganisationHistoryTest::service_ = nullptr;
PersonalDataCipher* OrganisationHistoryTest::cipher_ = nullptr;
AreaStore* OrganisationHistoryTest::area_store_ = nullptr;
AreaHandler* OrganisationHistoryTest::area_handler_ = nullptr;
OrganisationStore* OrganisationHistoryTest::organisation_store_ = nullptr;
OrganisationHandler* OrganisationHistoryTest::organisation_handler_ = nullptr;
MemberStore* OrganisationHistoryTest::member_store_ = nullptr;
MemberHandler* OrganisationHistoryTest::member_handler_ = nullptr;
TransferStore* OrganisationHistoryTest::transfer_store_ = nullptr;
TransferHandler* OrganisationHistoryTest::transfer_handler_ = nullptr;
int OrganisationHistoryTest::serial_ = 0;

TEST_F(OrganisationHistoryTest, TheTreeReadsAsItStoodAtAnyInstant) {
  const std::string d = AreaId(v1::DISTRICT, "oh1", "");
  const std::string s1 = AreaId(v1::STREET, "s1", d), s2 = AreaId(v1::STREET, "s2", d);
  const std::string c1 = AreaId(v1::COMMUNITY, "c1", s1);
  auto district = Organisation(v1::DISTRICT_COMMITTEE, "oh1", "", d);
  auto street1 = Organisation(v1::STREET_WORKING_COMMITTEE, "s1", district.id(), s1);
  auto street2 = Organisation(v1::STREET_WORKING_COMMITTEE, "s2", district.id(), s2);
  auto community = Organisation(v1::COMMUNITY_COMMITTEE, "c1", street1.id(), c1);
  auto grid = Organisation(v1::GRID_BRANCH, "g1", community.id(), c1);
  absl::SleepFor(absl::Milliseconds(5));
  const absl::Time before_changes = absl::Now();
  absl::SleepFor(absl::Milliseconds(5));

  // Rename the grid branch, move street 1's community under street 2's
  // committee (its place moves too), then dissolve the grid branch.
  v1::UpdateOrganisationRequest rename;
  rename.mutable_organisation()->set_id(grid.id());
  rename.mutable_organisation()->set_display_name("Riverside Grid");
  rename.mutable_update_mask()->add_paths("display_name");
  v1::Organisation renamed;
  ASSERT_TRUE(organisations_->UpdateOrganisation(As("").get(), rename, &renamed).ok());
  v1::MoveAreaRequest move_area;
  move_area.set_id(c1);
  move_area.set_new_parent_id(s2);
  v1::Area moved_area;
  ASSERT_TRUE(areas_->MoveArea(As("").get(), move_area, &moved_area).ok());
  v1::MoveOrganisationRequest move;
  move.set_id(community.id());
  move.set_new_parent_id(street2.id());
  v1::Organisation moved;
  auto status = organisations_->MoveOrganisation(As("").get(), move, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  absl::SleepFor(absl::Milliseconds(5));
  const absl::Time after_move = absl::Now();
  absl::SleepFor(absl::Milliseconds(5));
  v1::Organisation dissolved;
  ASSERT_TRUE(Dissolve(grid.id(), &dissolved).ok());

  auto get = [&](const std::string& scope, const std::string& id, absl::Time at) {
    v1::GetOrganisationRequest request;
    request.set_id(id);
    ToProtoTime(at, request.mutable_as_of_time());
    v1::Organisation out;
    auto s = organisations_->GetOrganisation(As(scope).get(), request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  v1::Organisation then = get("", grid.id(), before_changes);
  EXPECT_EQ(then.display_name(), "g1");
  EXPECT_EQ(then.path(), "oh1/s1/c1/g1");
  EXPECT_EQ(then.state(), v1::ACTIVE);
  v1::Organisation later = get("", grid.id(), after_move);
  EXPECT_EQ(later.display_name(), "Riverside Grid");
  EXPECT_EQ(later.path(), "oh1/s2/c1/g1");
  EXPECT_EQ(later.area_path(), "oh1/s2/c1");
  v1::GetOrganisationRequest now;
  now.set_id(grid.id());
  v1::Organisation current;
  ASSERT_TRUE(organisations_->GetOrganisation(As("").get(), now, &current).ok());
  EXPECT_EQ(current.state(), v1::DISSOLVED);
  // Scope applies to where it stood then: street 1 saw it before, not after.
  EXPECT_EQ(get("oh1/s1", grid.id(), before_changes).id(), grid.id());
  v1::GetOrganisationRequest request;
  request.set_id(grid.id());
  ToProtoTime(after_move, request.mutable_as_of_time());
  v1::Organisation hidden;
  EXPECT_EQ(organisations_->GetOrganisation(As("oh1/s1").get(), request, &hidden).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Before it existed there is nothing to see.
  ToProtoTime(absl::FromUnixSeconds(1000), request.mutable_as_of_time());
  EXPECT_EQ(organisations_->GetOrganisation(As("").get(), request, &hidden).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Street 1's subtree then held the community and the grid branch.
  auto subtree = [&](const std::string& parent, absl::Time at) {
    v1::ListOrganisationsRequest list;
    list.set_parent_id(parent);
    list.set_subtree(true);
    ToProtoTime(at, list.mutable_as_of_time());
    v1::ListOrganisationsResponse response;
    EXPECT_TRUE(organisations_->ListOrganisations(As("").get(), list, &response).ok());
    std::vector<std::string> paths;
    for (const auto& o : response.organisations()) paths.push_back(o.path());
    return paths;
  };
  EXPECT_EQ(subtree(street1.id(), before_changes),
            (std::vector<std::string>{"oh1/s1/c1", "oh1/s1/c1/g1"}));
  EXPECT_TRUE(subtree(street1.id(), after_move).empty());
  EXPECT_EQ(subtree(street2.id(), after_move),
            (std::vector<std::string>{"oh1/s2/c1", "oh1/s2/c1/g1"}));
  // Now the dissolved grid branch is gone from the active listing.
  EXPECT_EQ(subtree(street2.id(), absl::Now()), (std::vector<std::string>{"oh1/s2/c1"}));
  // Every change left a version: create, rename, area move, move, dissolve.
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM organisation_versions WHERE id = '",
                                          grid.id(), "'")),
            5);
}

TEST_F(OrganisationHistoryTest, ATemporaryBranchHandsItsMembersBackWhenDissolved) {
  const std::string d = AreaId(v1::DISTRICT, "oh2", "");
  const std::string s1 = AreaId(v1::STREET, "s1", d);
  const std::string c1 = AreaId(v1::COMMUNITY, "c1", s1), c2 = AreaId(v1::COMMUNITY, "c2", s1);
  auto district = Organisation(v1::DISTRICT_COMMITTEE, "oh2", "", d);
  auto street = Organisation(v1::STREET_WORKING_COMMITTEE, "s1", district.id(), s1);
  auto home1 = Organisation(v1::COMMUNITY_COMMITTEE, "c1", street.id(), c1);
  auto home2 = Organisation(v1::COMMUNITY_COMMITTEE, "c2", street.id(), c2);
  auto temporary = Organisation(v1::TEMPORARY_BRANCH, "flood", street.id(), s1);
  const v1::Member a = Member(home1.id()), b = Member(home2.id());
  Transfer(a.id(), temporary.id());
  Transfer(b.id(), temporary.id());
  EXPECT_EQ(OrganisationOf(a.id()), temporary.id());

  // A member who joined the temporary branch directly has nowhere to go back.
  const v1::Member direct = Member(temporary.id());
  v1::Organisation dissolved;
  auto refused = Dissolve(temporary.id(), &dissolved);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find(direct.id()), std::string::npos);
  EXPECT_EQ(OrganisationOf(a.id()), temporary.id());  // nothing moved
  Transfer(direct.id(), home1.id());

  ASSERT_TRUE(Dissolve(temporary.id(), &dissolved).ok());
  EXPECT_EQ(dissolved.state(), v1::DISSOLVED);
  EXPECT_EQ(OrganisationOf(a.id()), home1.id());
  EXPECT_EQ(OrganisationOf(b.id()), home2.id());
  // Each return is an accepted transfer on the record.
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM member_transfers WHERE "
                                          "from_organisation_id = '",
                                          temporary.id(),
                                          "' AND state = 2 AND reason LIKE 'the temporary "
                                          "branch was dissolved%'")),
            2);

  // Any other organisation with members is refused, naming the count.
  auto standing = Dissolve(home2.id(), &dissolved);
  EXPECT_EQ(standing.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(standing.error_message().find("1 member(s)"), std::string::npos)
      << standing.error_message();
}

}  // namespace
}  // namespace grassroots::orgs
