// Places, what organisations cover, the coverage report and regions' own
// thresholds, over gRPC against a real MariaDB.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/crypto/personal_data.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/orgs/v1/place.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/formation_handler.h"
#include "services/orgs/member_handler.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/place_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::InProcessService;
using grassroots::testing::QueryInt;
using grassroots::testing::TestPrincipals;

// A valid GB 11643 ID number for each serial.
std::string IdNumber(int serial) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  const std::string base = absl::StrFormat("1101021980%07d", serial);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (base[i] - '0') * kWeights[i];
  return base + "10X98765432"[sum % 11];
}

class PlaceServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_places"),
                                    {&db::orgs_migrations()});
    const ServiceEnv& env = service_->env();
    cipher_ = PersonalDataCipher::Create(grassroots::testing::kTestPersonalDataKey)->release();
    area_store_ = new AreaStore(*env.pool, *env.changes);
    area_handler_ = new AreaHandler(env, *area_store_);
    regions_ = new FormationThresholdStore(*env.pool, *env.changes, FormationThresholds{});
    formation_handler_ = new FormationHandler(env, *regions_);
    organisation_store_ = new OrganisationStore(*env.pool, *env.changes);
    organisation_handler_ =
        new OrganisationHandler(env, *organisation_store_, FormationThresholds{}, regions_);
    member_store_ = new MemberStore(*env.pool, *env.changes, *cipher_);
    member_handler_ = new MemberHandler(env, *member_store_);
    store_ = new PlaceStore(*env.pool, *env.changes, *regions_);
    handler_ = new PlaceHandler(env, *store_);
    service_->Start(
        {area_handler_, formation_handler_, organisation_handler_, member_handler_, handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete handler_;
    delete store_;
    delete member_handler_;
    delete member_store_;
    delete organisation_handler_;
    delete organisation_store_;
    delete formation_handler_;
    delete regions_;
    delete area_handler_;
    delete area_store_;
    delete cipher_;
    delete service_;
  }

  void SetUp() override {
    areas_ = v1::AreaService::NewStub(service_->Channel());
    organisations_ = v1::OrganisationService::NewStub(service_->Channel());
    members_ = v1::MemberService::NewStub(service_->Channel());
    places_ = v1::PlaceService::NewStub(service_->Channel());
    formation_ = v1::FormationService::NewStub(service_->Channel());
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

  std::string OrganisationId(v1::OrganisationKind kind, const std::string& code,
                             const std::string& parent, const std::string& area) {
    v1::CreateOrganisationRequest request;
    auto* o = request.mutable_organisation();
    o->set_kind(kind);
    o->set_code(code);
    o->set_display_name(code);
    o->set_parent_id(parent);
    o->set_area_id(area);
    if (kind == v1::TWO_NEW_ORGANISATION) o->set_unit_name("Unit " + code);
    v1::Organisation organisation;
    auto status = organisations_->CreateOrganisation(As("").get(), request, &organisation);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return organisation.id();
  }

  // District <code> with streets s1 (community c1) and s2 (community c2),
  // their committees, and a joint branch in c1.
  struct Tree {
    std::string district, s1, s2, c1, c2;
    std::string community1, community2, joint;
  };
  Tree MakeTree(const std::string& code) {
    Tree t;
    t.district = AreaId(v1::DISTRICT, code, "");
    t.s1 = AreaId(v1::STREET, "s1", t.district);
    t.s2 = AreaId(v1::STREET, "s2", t.district);
    t.c1 = AreaId(v1::COMMUNITY, "c1", t.s1);
    t.c2 = AreaId(v1::COMMUNITY, "c2", t.s2);
    const std::string d = OrganisationId(v1::DISTRICT_COMMITTEE, code, "", t.district);
    const std::string s1 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s1", d, t.s1);
    const std::string s2 = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s2", d, t.s2);
    t.community1 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c1", s1, t.c1);
    t.community2 = OrganisationId(v1::COMMUNITY_COMMITTEE, "c2", s2, t.c2);
    t.joint = OrganisationId(v1::JOINT_BRANCH, "j1", t.community1, t.c1);
    return t;
  }

  absl::StatusOr<v1::Place> Create(const std::string& scope, v1::PlaceKind kind,
                                   const std::string& name, const std::string& area, int residents,
                                   int employees, const std::string& request_id = "") {
    v1::CreatePlaceRequest request;
    auto* p = request.mutable_place();
    p->set_kind(kind);
    p->set_display_name(name);
    p->set_area_id(area);
    p->set_resident_count(residents);
    p->set_employee_count(employees);
    request.set_request_id(request_id);
    v1::Place out;
    auto status = places_->CreatePlace(As(scope).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // `full` full members of `organisation` recorded at `place`.
  void Residents(const std::string& organisation, const std::string& place, int full) {
    for (int i = 0; i < full; ++i) {
      v1::AddMemberRequest add;
      auto* m = add.mutable_member();
      m->set_organisation_id(organisation);
      m->set_status(v1::FULL);
      m->set_join_date("2012-07-01");
      m->set_name("王伟");
      m->set_id_number(IdNumber(++serial_));
      v1::Member member;
      auto status = members_->AddMember(As("").get(), add, &member);
      ASSERT_TRUE(status.ok()) << status.error_message();
      v1::SetMemberPlaceRequest at;
      at.set_member_id(member.id());
      at.set_place_id(place);
      v1::MemberPlace recorded;
      status = places_->SetMemberPlace(As("").get(), at, &recorded);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  grpc::Status Cover(const std::string& scope, const std::string& organisation,
                     const std::string& place) {
    v1::CoverPlaceRequest request;
    request.set_organisation_id(organisation);
    request.set_place_id(place);
    v1::PlaceCoverage out;
    return places_->CoverPlace(As(scope).get(), request, &out);
  }

  std::vector<v1::UncoveredPlace> Uncovered(const std::string& scope, const std::string& area,
                                            int page_size = 0) {
    std::vector<v1::UncoveredPlace> all;
    v1::ListUncoveredPlacesRequest request;
    request.set_area_id(area);
    request.set_page_size(page_size);
    do {
      v1::ListUncoveredPlacesResponse response;
      auto status = places_->ListUncoveredPlaces(As(scope).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& p : response.places()) all.push_back(p);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  static InProcessService* service_;
  static PersonalDataCipher* cipher_;
  static AreaStore* area_store_;
  static AreaHandler* area_handler_;
  static FormationThresholdStore* regions_;
  static FormationHandler* formation_handler_;
  static OrganisationStore* organisation_store_;
  static OrganisationHandler* organisation_handler_;
  static MemberStore* member_store_;
  static MemberHandler* member_handler_;
  static PlaceStore* store_;
  static PlaceHandler* handler_;
  static int serial_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> organisations_;
  std::unique_ptr<v1::MemberService::Stub> members_;
  std::unique_ptr<v1::PlaceService::Stub> places_;
  std::unique_ptr<v1::FormationService::Stub> formation_;
};

InProcessService* PlaceServiceTest::service_ = nullptr;
PersonalDataCipher* PlaceServiceTest::cipher_ = nullptr;
AreaStore* PlaceServiceTest::area_store_ = nullptr;
AreaHandler* PlaceServiceTest::area_handler_ = nullptr;
FormationThresholdStore* PlaceServiceTest::regions_ = nullptr;
FormationHandler* PlaceServiceTest::formation_handler_ = nullptr;
OrganisationStore* PlaceServiceTest::organisation_store_ = nullptr;
OrganisationHandler* PlaceServiceTest::organisation_handler_ = nullptr;
MemberStore* PlaceServiceTest::member_store_ = nullptr;
MemberHandler* PlaceServiceTest::member_handler_ = nullptr;
PlaceStore* PlaceServiceTest::store_ = nullptr;
PlaceHandler* PlaceServiceTest::handler_ = nullptr;
int PlaceServiceTest::serial_ = 0;

TEST_F(PlaceServiceTest, PlacesAreCreatedOnceReadInScopeAndUpdatedWithEtags) {
  Tree t = MakeTree("pl1");
  auto first = Create("", v1::RESIDENTIAL_COMPOUND, "Garden Court", t.c1, 820, 0, "pl1-garden");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->area_path(), "pl1/s1/c1");
  auto again = Create("", v1::RESIDENTIAL_COMPOUND, "Garden Court", t.c1, 820, 0, "pl1-garden");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM places WHERE display_name = 'Garden Court'"), 1);
  // Counts belong to the kind; a district is no place's area.
  EXPECT_EQ(Create("", v1::RESIDENTIAL_COMPOUND, "Bad", t.c1, 100, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto in_district = Create("", v1::MARKET, "Bad", t.district, 0, 5);
  EXPECT_EQ(ErrorReason(in_district.status()), "PLACE_AREA_KIND");
  // Street s2 sees nothing of street s1, and cannot place anything there.
  v1::GetPlaceRequest get;
  get.set_id(first->id());
  v1::Place read;
  EXPECT_EQ(places_->GetPlace(As("pl1/s2").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create("pl1/s2", v1::MARKET, "Fish Market", t.c1, 0, 40).status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(places_->GetPlace(As("pl1/s1").get(), get, &read).ok());
  EXPECT_EQ(read.resident_count(), 820);

  v1::UpdatePlaceRequest update;
  update.mutable_place()->set_id(first->id());
  update.mutable_place()->set_resident_count(900);
  update.mutable_place()->set_etag(first->etag());
  update.mutable_update_mask()->add_paths("resident_count");
  v1::Place updated;
  ASSERT_TRUE(places_->UpdatePlace(As("").get(), update, &updated).ok());
  EXPECT_EQ(updated.resident_count(), 900);
  EXPECT_EQ(places_->UpdatePlace(As("").get(), update, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  update.mutable_place()->set_etag(updated.etag());
  update.mutable_place()->set_employee_count(4);
  update.mutable_update_mask()->add_paths("employee_count");
  EXPECT_EQ(places_->UpdatePlace(As("").get(), update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Listing pages through a street in jurisdiction order.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Create("", v1::ENTERPRISE, absl::StrCat("Firm ", i), t.c1, 0, 10 + i).ok());
  }
  ASSERT_TRUE(Create("", v1::ENTERPRISE, "Far Firm", t.c2, 0, 10).ok());
  v1::ListPlacesRequest list;
  list.set_area_id(t.s1);
  list.set_page_size(2);
  int seen = 0;
  do {
    v1::ListPlacesResponse page;
    ASSERT_TRUE(places_->ListPlaces(As("pl1/s1").get(), list, &page).ok());
    seen += page.places_size();
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(seen, 6);
}

TEST_F(PlaceServiceTest, TheCoverageReportListsPlacesThatMustHaveAnOrganisation) {
  Tree t = MakeTree("pl2");
  auto compound = Create("", v1::RESIDENTIAL_COMPOUND, "Big Compound", t.c1, 600, 0);
  auto small_compound = Create("", v1::RESIDENTIAL_COMPOUND, "Small Compound", t.c1, 450, 0);
  auto tower = Create("", v1::COMMERCIAL_BUILDING, "Tower", t.c1, 0, 320);
  auto firm = Create("", v1::ENTERPRISE, "Three Member Firm", t.c1, 0, 30);
  auto shop = Create("", v1::ENTERPRISE, "Two Member Shop", t.c1, 0, 8);
  auto other = Create("", v1::MARKET, "Other Street Market", t.c2, 0, 500);
  for (auto* p : {&compound, &small_compound, &tower, &firm, &shop, &other}) {
    ASSERT_TRUE(p->ok()) << p->status();
  }
  Residents(t.community1, compound->id(), 3);
  Residents(t.community1, small_compound->id(), 4);
  Residents(t.community1, firm->id(), 3);
  Residents(t.community1, shop->id(), 2);

  auto findings = Uncovered("pl2/s1", t.s1, /*page_size=*/2);
  std::map<std::string, std::string> rule_by_place;
  for (const auto& f : findings) rule_by_place[f.place().display_name()] = f.rule();
  EXPECT_EQ(rule_by_place, (std::map<std::string, std::string>{
                               {"Big Compound", "COMPOUND_COVERAGE"},
                               {"Tower", "WORKPLACE_COVERAGE"},
                               {"Three Member Firm", "UNIT_MUST_FORM_BRANCH"},
                               {"Two Member Shop", "UNIT_MUST_JOIN_JOINT_BRANCH"}}));
  for (const auto& f : findings) {
    if (f.place().display_name() == "Big Compound") {
      EXPECT_EQ(f.place().full_members(), 3);
      EXPECT_NE(f.message().find("3 full members and 600 residents"), std::string::npos)
          << f.message();
    }
  }
  // The other street's market is not in street s1's report; the city sees it.
  EXPECT_EQ(Uncovered("", t.district).size(), 5u);

  // Covering a place takes it off the report.
  const std::string compound_branch =
      OrganisationId(v1::COMPOUND_BRANCH, "big", t.community1, t.c1);
  ASSERT_TRUE(Cover("pl2/s1", compound_branch, compound->id()).ok());
  ASSERT_TRUE(Cover("", t.joint, shop->id()).ok());
  ASSERT_TRUE(Cover("", t.joint, tower->id()).ok());
  const std::string firm_branch =
      OrganisationId(v1::TWO_NEW_ORGANISATION, "firm", t.community1, t.c1);
  ASSERT_TRUE(Cover("", firm_branch, firm->id()).ok());
  EXPECT_TRUE(Uncovered("pl2/s1", t.s1).empty());
  // Street s2 cannot cover a place in s1, nor read s1's report.
  EXPECT_EQ(Cover("pl2/s2", t.community2, compound->id()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListUncoveredPlacesRequest foreign;
  foreign.set_area_id(t.s1);
  v1::ListUncoveredPlacesResponse none;
  EXPECT_EQ(places_->ListUncoveredPlaces(As("pl2/s2").get(), foreign, &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A community organisation cannot cover a place in another community.
  auto outside = Cover("", t.community2, compound->id());
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(outside.error_message().find("outside the organisation's place"), std::string::npos);
  // Dissolving the compound branch puts the compound back on the report.
  v1::DissolveOrganisationRequest dissolve;
  dissolve.set_id(compound_branch);
  dissolve.set_reason("merged");
  v1::Organisation dissolved;
  ASSERT_TRUE(organisations_->DissolveOrganisation(As("").get(), dissolve, &dissolved).ok());
  auto after = Uncovered("pl2/s1", t.s1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].place().id(), compound->id());
}

TEST_F(PlaceServiceTest, AJointBranchCoversAtMostFiveUnitsEvenUnderConcurrentCovers) {
  Tree t = MakeTree("pl3");
  std::vector<std::string> units;
  for (int i = 0; i < 8; ++i) {
    auto unit = Create("", v1::ENTERPRISE, absl::StrCat("Workshop ", i), t.c1, 0, 12);
    ASSERT_TRUE(unit.ok()) << unit.status();
    units.push_back(unit->id());
  }
  std::atomic<int> covered{0}, refused{0};
  std::vector<std::thread> threads;
  for (const std::string& unit : units) {
    threads.emplace_back([&, unit] {
      auto status = Cover("", t.joint, unit);
      if (status.ok()) ++covered;
      if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
          status.error_message().find("at most 5 units") != std::string::npos) {
        ++refused;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(covered.load(), 5);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM organisation_places WHERE "
                                          "organisation_id = '",
                                          t.joint, "'")),
            5);
  // A unit big enough for its own branch is refused, naming the rule.
  auto big = Create("", v1::ENTERPRISE, "Big Workshop", t.c1, 0, 40);
  ASSERT_TRUE(big.ok());
  Residents(t.community1, big->id(), 3);
  // Which five won the race varies: take one of them out again.
  std::string covered_unit;
  for (const std::string& unit : units) {
    if (QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM organisation_places WHERE place_id = '",
                                      unit, "'")) == 1) {
      covered_unit = unit;
    }
  }
  v1::UncoverPlaceRequest uncover;
  uncover.set_organisation_id(t.joint);
  uncover.set_place_id(covered_unit);
  v1::PlaceCoverage coverage;
  ASSERT_TRUE(places_->UncoverPlace(As("").get(), uncover, &coverage).ok());
  EXPECT_EQ(coverage.covered_place_ids_size(), 4);
  auto status = Cover("", t.joint, big->id());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("forms its own branch"), std::string::npos);
  // A compound is no unit of a joint branch.
  auto compound = Create("", v1::RESIDENTIAL_COMPOUND, "Court", t.c1, 300, 0);
  ASSERT_TRUE(compound.ok());
  EXPECT_EQ(Cover("", t.joint, compound->id()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Each cover and uncover is in the change feed.
  EXPECT_EQ(
      QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM change_log WHERE resource_id LIKE '",
                                    t.joint, "/%'")),
      6);
}

TEST_F(PlaceServiceTest, ARegionsOwnThresholdsApplyBelowIt) {
  Tree t = MakeTree("pl4");
  auto compound = Create("", v1::RESIDENTIAL_COMPOUND, "Mid Compound", t.c1, 350, 0);
  ASSERT_TRUE(compound.ok());
  Residents(t.community1, compound->id(), 3);
  EXPECT_TRUE(Uncovered("", t.s1).empty());

  v1::GetFormationThresholdsRequest get;
  get.set_area_id(t.c1);
  v1::RegionThresholds before;
  ASSERT_TRUE(formation_->GetFormationThresholds(As("").get(), get, &before).ok());
  EXPECT_EQ(before.thresholds().compound_min_residents(), 500);
  EXPECT_EQ(before.source_area_path(), "");
  EXPECT_EQ(before.etag(), "");

  v1::SetFormationThresholdsRequest set;
  set.set_area_id(t.s1);
  set.mutable_thresholds()->set_compound_min_residents(300);
  set.mutable_thresholds()->set_joint_branch_max_units(2);
  v1::RegionThresholds street;
  ASSERT_TRUE(formation_->SetFormationThresholds(As("").get(), set, &street).ok());
  EXPECT_EQ(street.etag(), "1");
  EXPECT_EQ(street.thresholds().max_branch_members(), 50);  // inherited default

  auto findings = Uncovered("", t.s1);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule(), "COMPOUND_COVERAGE");
  EXPECT_EQ(findings[0].thresholds_area_path(), "pl4/s1");
  EXPECT_NE(findings[0].message().find("300 residents"), std::string::npos);
  // The community below the street inherits; the other street does not.
  v1::RegionThresholds community;
  ASSERT_TRUE(formation_->GetFormationThresholds(As("").get(), get, &community).ok());
  EXPECT_EQ(community.thresholds().compound_min_residents(), 300);
  EXPECT_EQ(community.source_area_path(), "pl4/s1");
  get.set_area_id(t.s2);
  v1::RegionThresholds other;
  ASSERT_TRUE(formation_->GetFormationThresholds(As("").get(), get, &other).ok());
  EXPECT_EQ(other.thresholds().compound_min_residents(), 500);
  // The joint branch limit in force is the street's 2.
  for (int i = 0; i < 3; ++i) {
    auto unit = Create("", v1::ENTERPRISE, absl::StrCat("Stall ", i), t.c1, 0, 5);
    ASSERT_TRUE(unit.ok());
    auto status = Cover("", t.joint, unit->id());
    EXPECT_EQ(status.ok(), i < 2) << status.error_message();
  }
  // Concurrent edits are caught by the etag; a contradiction is refused.
  set.set_etag("7");
  EXPECT_EQ(formation_->SetFormationThresholds(As("").get(), set, &street).error_code(),
            grpc::StatusCode::ABORTED);
  set.set_etag("1");
  set.mutable_thresholds()->set_max_branch_members(150);
  EXPECT_EQ(formation_->SetFormationThresholds(As("").get(), set, &street).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A street officer may read its thresholds but not another street's.
  EXPECT_EQ(formation_->GetFormationThresholds(As("pl4/s1").get(), get, &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The organisation work items use the region's limit too.
  v1::ListFormationWorkItemsRequest items;
  v1::ListFormationWorkItemsResponse answer;
  set.set_area_id(t.c1);
  set.clear_etag();
  set.mutable_thresholds()->Clear();
  set.mutable_thresholds()->set_joint_branch_max_units(1);
  ASSERT_TRUE(formation_->SetFormationThresholds(As("").get(), set, &street).ok());
  ASSERT_TRUE(organisations_->ListFormationWorkItems(As("pl4/s1").get(), items, &answer).ok());
  bool flagged = false;
  for (const auto& item : answer.items()) {
    if (item.organisation_id() == t.joint && item.rule() == "JOINT_BRANCH_MAX_UNITS")
      flagged = true;
  }
  EXPECT_TRUE(flagged);
}

TEST_F(PlaceServiceTest, PlacesMembersAndScopeFollowAnAreaMove) {
  Tree t = MakeTree("pl5");
  auto compound = Create("", v1::RESIDENTIAL_COMPOUND, "Moving Court", t.c1, 700, 0);
  ASSERT_TRUE(compound.ok());
  Residents(t.community1, compound->id(), 3);
  v1::MoveAreaRequest move;
  move.set_id(t.c1);
  move.set_new_parent_id(t.s2);
  v1::Area moved;
  ASSERT_TRUE(areas_->MoveArea(As("").get(), move, &moved).ok());
  // Street s2 now sees the place and its members; street s1 does not.
  v1::GetPlaceRequest get;
  get.set_id(compound->id());
  v1::Place read;
  ASSERT_TRUE(places_->GetPlace(As("pl5/s2").get(), get, &read).ok());
  EXPECT_EQ(read.area_path(), "pl5/s2/c1");
  EXPECT_EQ(read.full_members(), 3);
  EXPECT_EQ(places_->GetPlace(As("pl5/s1").get(), get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM members WHERE area_path = 'pl5/s2/c1'"), 3);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM members WHERE area_path LIKE 'pl5/s1%'"), 0);
  EXPECT_EQ(Uncovered("pl5/s2", t.s2).size(), 1u);
  // An area with places cannot be deleted.
  const std::string c3 = AreaId(v1::COMMUNITY, "c3", t.s2);
  auto market = Create("", v1::MARKET, "Stay Market", c3, 0, 10);
  ASSERT_TRUE(market.ok());
  v1::DeleteAreaRequest remove;
  remove.set_id(c3);
  v1::DeleteAreaResponse deleted;
  auto refused = areas_->DeleteArea(As("").get(), remove, &deleted);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("compounds or workplaces"), std::string::npos);
}

// Sends `data` in two pieces to an import method of `stub`.
template <typename Stub, typename Method>
grpc::Status Import(Stub& stub, Method method, std::unique_ptr<grpc::ClientContext> context,
                    common::v1::FileFormat format, const std::string& data,
                    const std::string& request_id, common::v1::ImportResult* result) {
  auto writer = ((*stub).*method)(context.get(), result);
  common::v1::ImportChunk chunk;
  chunk.set_format(format);
  chunk.set_request_id(request_id);
  chunk.set_data(data.substr(0, data.size() / 2));
  writer->Write(chunk);
  chunk.Clear();
  chunk.set_data(data.substr(data.size() / 2));
  writer->Write(chunk);
  writer->WritesDone();
  return writer->Finish();
}

TEST_F(PlaceServiceTest, OrganisationsAndPlacesAreImportedAllOrNothing) {
  Tree t = MakeTree("pl6");
  const std::string tree =
      "kind,code,display_name,parent_path,area_path,unit_name\n"
      "GRID_BRANCH,g1,Grid One,pl6/s1/c1,pl6/s1/c1,\n"
      "BUILDING_GROUP,b1,\"Building 1, East\",pl6/s1/c1/g1,pl6/s1/c1,\n"
      "TWO_NEW_ORGANISATION,tn,Firm Branch,pl6/s1/c1,pl6/s1/c1,Acme Ltd\n";
  common::v1::ImportResult result;
  auto status = Import(organisations_, &v1::OrganisationService::Stub::ImportOrganisations, As(""),
                       common::v1::CSV, tree, "pl6-tree", &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(result.created_count(), 3);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM organisations WHERE path LIKE 'pl6/s1/c1/%'"),
            4);  // the joint branch and the three imported
  // The same import again answers the first result and creates nothing.
  status = Import(organisations_, &v1::OrganisationService::Stub::ImportOrganisations, As(""),
                  common::v1::CSV, tree, "pl6-tree", &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(result.created_count(), 3);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM organisations WHERE path LIKE 'pl6/s1/c1/%'"),
            4);
  // A bad line fails the whole file, naming the line; nothing is kept.
  const std::string broken =
      "{\"kind\":\"GRID_BRANCH\",\"code\":\"g2\",\"displayName\":\"Two\","
      "\"parentPath\":\"pl6/s1/c1\",\"areaPath\":\"pl6/s1/c1\"}\n"
      "{\"kind\":\"GRID_BRANCH\",\"code\":\"g3\",\"displayName\":\"Three\","
      "\"parentPath\":\"pl6/s1/c9\",\"areaPath\":\"pl6/s1/c1\"}\n";
  status = Import(organisations_, &v1::OrganisationService::Stub::ImportOrganisations, As(""),
                  common::v1::JSON_LINES, broken, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "line 2: parent_path: no organisation has path pl6/s1/c9");
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM organisations WHERE code = 'g2'"), 0);
  // A placement rule broken on a line is named with it.
  const std::string misplaced =
      "kind,code,display_name,parent_path,area_path,unit_name\n"
      "BUILDING_GROUP,b9,Nine,pl6/s1/c1,pl6/s1/c1,\n";
  status = Import(organisations_, &v1::OrganisationService::Stub::ImportOrganisations, As(""),
                  common::v1::CSV, misplaced, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().substr(0, 8), "line 2: ") << status.error_message();
  // A street officer cannot import into another street.
  const std::string foreign =
      "kind,code,display_name,parent_path,area_path,unit_name\n"
      "GRID_BRANCH,g5,Five,pl6/s2/c2,pl6/s2/c2,\n";
  status = Import(organisations_, &v1::OrganisationService::Stub::ImportOrganisations, As("pl6/s1"),
                  common::v1::CSV, foreign, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM organisations WHERE code = 'g5'"), 0);

  // Places the same way.
  const std::string places =
      "kind,display_name,area_path,resident_count,employee_count\n"
      "RESIDENTIAL_COMPOUND,Court,pl6/s1/c1,900,0\n"
      "MARKET,Market,pl6/s1,0,350\n";
  status = Import(places_, &v1::PlaceService::Stub::ImportPlaces, As("pl6/s1"), common::v1::CSV,
                  places, "", &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(result.created_count(), 2);
  EXPECT_EQ(Uncovered("pl6/s1", t.s1).size(), 1u);  // the market; the court has no members
  const std::string wrong_count =
      "kind,display_name,area_path,resident_count,employee_count\n"
      "MARKET,Second Market,pl6/s1,0,20\n"
      "RESIDENTIAL_COMPOUND,Bad Court,pl6/s1/c1,900,4\n";
  status = Import(places_, &v1::PlaceService::Stub::ImportPlaces, As("pl6/s1"), common::v1::CSV,
                  wrong_count, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("line 3: "), std::string::npos) << status.error_message();
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM places WHERE display_name = 'Second Market'"),
            0);

  // Members, personal data in clear in the file, only encrypted in the table.
  const std::string members =
      absl::StrCat("organisation_path,status,join_date,probation_end_date,name,phone,id_number\n",
                   "pl6/s1/c1/g1,FULL,2011-05-01,,赵丽,13955550001,", IdNumber(9001), "\n",
                   "pl6/s1/c1/g1,PROBATIONARY,2026-06-01,2027-06-01,钱强,,", IdNumber(9002), "\n");
  status = Import(members_, &v1::MemberService::Stub::ImportMembers, As("pl6/s1"), common::v1::CSV,
                  members, "pl6-members", &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(result.created_count(), 2);
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM members WHERE area_path = 'pl6/s1/c1' AND "
                     "name_masked = '赵*' AND phone_masked = '139****0001'"),
            1);
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM members WHERE CAST(name_cipher AS CHAR) LIKE "
                     "'%赵丽%' OR phone_masked LIKE '%55550001%'"),
            0);
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM memberships m JOIN members b ON b.id = "
                     "m.member_id WHERE b.area_path = 'pl6/s1/c1'"),
            2);
  // A bad ID number, a repeated person, an organisation elsewhere: each
  // fails the file at its line.
  const std::string bad_id =
      absl::StrCat("organisation_path,status,join_date,probation_end_date,name,phone,id_number\n",
                   "pl6/s1/c1/g1,FULL,2011-05-01,,孙伟,,", IdNumber(9003), "\n",
                   "pl6/s1/c1/g1,FULL,2011-05-01,,李伟,,110101199003071234\n");
  status = Import(members_, &v1::MemberService::Stub::ImportMembers, As(""), common::v1::CSV,
                  bad_id, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("line 3: member.id_number"), std::string::npos)
      << status.error_message();
  const std::string repeated =
      absl::StrCat("organisation_path,status,join_date,probation_end_date,name,phone,id_number\n",
                   "pl6/s1/c1/g1,FULL,2011-05-01,,孙伟,,", IdNumber(9003), "\n",
                   "pl6/s1/c1/tn,FULL,2011-05-01,,孙伟,,", IdNumber(9003), "\n");
  status = Import(members_, &v1::MemberService::Stub::ImportMembers, As(""), common::v1::CSV,
                  repeated, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(status.error_message().substr(0, 8), "line 3: ") << status.error_message();
  const std::string elsewhere =
      absl::StrCat("organisation_path,status,join_date,probation_end_date,name,phone,id_number\n",
                   "pl6/s2/c2,FULL,2011-05-01,,周杰,,", IdNumber(9004), "\n");
  status = Import(members_, &v1::MemberService::Stub::ImportMembers, As("pl6/s1"), common::v1::CSV,
                  elsewhere, "", &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(QueryInt(pool(), "SELECT COUNT(*) FROM members WHERE name_masked IN ('孙*', '周*')"),
            0);
}

}  // namespace
}  // namespace grassroots::orgs
