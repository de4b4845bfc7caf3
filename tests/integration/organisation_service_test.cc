// The party organisation tree through its gRPC service, against a real MariaDB.
#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/organisation_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::InProcessService;
using grassroots::testing::TestPrincipals;

class OrganisationServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_organisations"),
                                    {&db::orgs_migrations()});
    area_store_ = new AreaStore(*service_->env().pool, *service_->env().changes);
    area_handler_ = new AreaHandler(service_->env(), *area_store_);
    store_ = new OrganisationStore(*service_->env().pool, *service_->env().changes);
    handler_ = new OrganisationHandler(service_->env(), *store_);
    service_->Start({area_handler_, handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete handler_;
    delete store_;
    delete area_handler_;
    delete area_store_;
    delete service_;
  }

  void SetUp() override {
    areas_ = v1::AreaService::NewStub(service_->Channel());
    stub_ = v1::OrganisationService::NewStub(service_->Channel());
  }

  v1::Area Area(v1::AreaKind kind, const std::string& code, const std::string& parent) {
    v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name("Area " + code);
    request.mutable_area()->set_parent_id(parent);
    v1::Area area;
    EXPECT_TRUE(areas_->CreateArea(principals_.Context("").get(), request, &area).ok());
    return area;
  }

  absl::StatusOr<v1::Organisation> Create(const std::string& scope, v1::OrganisationKind kind,
                                          const std::string& code, const std::string& parent,
                                          const std::string& area_id,
                                          const std::string& request_id = "",
                                          const std::string& unit_name = "") {
    v1::CreateOrganisationRequest request;
    auto* o = request.mutable_organisation();
    o->set_kind(kind);
    o->set_code(code);
    o->set_display_name("Organisation " + code);
    o->set_parent_id(parent);
    o->set_area_id(area_id);
    o->set_unit_name(unit_name);
    request.set_request_id(request_id);
    v1::Organisation out;
    auto status = stub_->CreateOrganisation(principals_.Context(scope).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Organisation> Get(const std::string& scope, const std::string& id) {
    v1::GetOrganisationRequest request;
    request.set_id(id);
    v1::Organisation out;
    auto status = stub_->GetOrganisation(principals_.Context(scope).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  std::vector<std::string> ListPaths(const std::string& scope,
                                     v1::ListOrganisationsRequest request) {
    std::vector<std::string> paths;
    request.set_page_size(2);  // several pages
    for (;;) {
      v1::ListOrganisationsResponse response;
      auto status = stub_->ListOrganisations(principals_.Context(scope).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& o : response.organisations()) paths.push_back(o.path());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return paths;
  }

  // d -> s1 (c1, c2), s2 (c3) as areas; the committee chain over them.
  struct Tree {
    v1::Area d, s1, s2, c1, c2, c3;
    v1::Organisation district, street1, street2, community1;
  };
  Tree MakeTree(const std::string& prefix) {
    Tree t;
    t.d = Area(v1::DISTRICT, prefix, "");
    t.s1 = Area(v1::STREET, "s1", t.d.id());
    t.s2 = Area(v1::STREET, "s2", t.d.id());
    t.c1 = Area(v1::COMMUNITY, "c1", t.s1.id());
    t.c2 = Area(v1::COMMUNITY, "c2", t.s1.id());
    t.c3 = Area(v1::COMMUNITY, "c3", t.s2.id());
    t.district = *Create("", v1::DISTRICT_COMMITTEE, prefix, "", t.d.id());
    t.street1 = *Create("", v1::STREET_WORKING_COMMITTEE, "s1", t.district.id(), t.s1.id());
    t.street2 = *Create("", v1::STREET_WORKING_COMMITTEE, "s2", t.district.id(), t.s2.id());
    t.community1 = *Create("", v1::COMMUNITY_COMMITTEE, "c1", t.street1.id(), t.c1.id());
    return t;
  }

  static InProcessService* service_;
  static AreaStore* area_store_;
  static AreaHandler* area_handler_;
  static OrganisationStore* store_;
  static OrganisationHandler* handler_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::OrganisationService::Stub> stub_;
};

InProcessService* OrganisationServiceTest::service_ = nullptr;
AreaStore* OrganisationServiceTest::area_store_ = nullptr;
AreaHandler* OrganisationServiceTest::area_handler_ = nullptr;
OrganisationStore* OrganisationServiceTest::store_ = nullptr;
OrganisationHandler* OrganisationServiceTest::handler_ = nullptr;

TEST_F(OrganisationServiceTest, BuildsTheChainBoundToPlaces) {
  Tree t = MakeTree("ot1");
  EXPECT_EQ(t.community1.path(), "ot1/s1/c1");
  EXPECT_EQ(t.community1.area_path(), "ot1/s1/c1");
  EXPECT_EQ(t.community1.state(), v1::ACTIVE);
  auto grid = Create("", v1::GRID_BRANCH, "g1", t.community1.id(), t.c1.id());
  ASSERT_TRUE(grid.ok()) << grid.status();
  auto building = Create("", v1::BUILDING_GROUP, "b1", grid->id(), t.c1.id());
  ASSERT_TRUE(building.ok()) << building.status();
  EXPECT_EQ(building->path(), "ot1/s1/c1/g1/b1");

  // The chain's order is enforced, naming the kinds.
  auto skipped = Create("", v1::BUILDING_GROUP, "b2", t.community1.id(), t.c1.id());
  EXPECT_EQ(ErrorReason(skipped.status()).value_or(""), "PLACEMENT_INVALID");
  // A place outside the parent's place is refused.
  auto elsewhere = Create("", v1::COMMUNITY_COMMITTEE, "c3", t.street1.id(), t.c3.id());
  EXPECT_EQ(ErrorReason(elsewhere.status()).value_or(""), "PLACE_OUTSIDE_PARENT");
  // Sibling codes are unique.
  auto twin = Create("", v1::GRID_BRANCH, "g1", t.community1.id(), t.c1.id());
  EXPECT_EQ(twin.status().code(), absl::StatusCode::kAlreadyExists);
  // A "two new" organisation names its unit.
  auto unnamed = Create("", v1::TWO_NEW_ORGANISATION, "tn1", t.street1.id(), t.s1.id());
  EXPECT_EQ(ErrorReason(unnamed.status()).value_or(""), "UNIT_NAME_REQUIRED");
  auto named = Create("", v1::TWO_NEW_ORGANISATION, "tn1", t.street1.id(), t.s1.id(), "",
                      "Riverside Logistics Ltd");
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->unit_name(), "Riverside Logistics Ltd");
}

TEST_F(OrganisationServiceTest, CreateIsIdempotentByRequestId) {
  Tree t = MakeTree("ot2");
  auto first = Create("", v1::GRID_BRANCH, "g1", t.community1.id(), t.c1.id(), "req-g1");
  auto again = Create("", v1::GRID_BRANCH, "g1", t.community1.id(), t.c1.id(), "req-g1");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(first->id(), again->id());
}

TEST_F(OrganisationServiceTest, ListsChildrenSubtreeByKindAndPlace) {
  Tree t = MakeTree("ot3");
  ASSERT_TRUE(Create("", v1::GRID_BRANCH, "g1", t.community1.id(), t.c1.id()).ok());
  ASSERT_TRUE(Create("", v1::GRID_BRANCH, "g2", t.community1.id(), t.c1.id()).ok());
  ASSERT_TRUE(Create("", v1::TEMPORARY_BRANCH, "t1", t.street1.id(), t.s1.id()).ok());
  v1::ListOrganisationsRequest children;
  children.set_parent_id(t.street1.id());
  EXPECT_EQ(ListPaths("", children), (std::vector<std::string>{"ot3/s1/c1", "ot3/s1/t1"}));
  v1::ListOrganisationsRequest subtree;
  subtree.set_parent_id(t.district.id());
  subtree.set_subtree(true);
  EXPECT_EQ(ListPaths("", subtree),
            (std::vector<std::string>{"ot3/s1", "ot3/s1/c1", "ot3/s1/c1/g1", "ot3/s1/c1/g2",
                                      "ot3/s1/t1", "ot3/s2"}));
  v1::ListOrganisationsRequest grids = subtree;
  grids.set_kind(v1::GRID_BRANCH);
  EXPECT_EQ(ListPaths("", grids), (std::vector<std::string>{"ot3/s1/c1/g1", "ot3/s1/c1/g2"}));
  v1::ListOrganisationsRequest at_street = subtree;
  at_street.set_area_id(t.s1.id());
  EXPECT_EQ(ListPaths("", at_street), (std::vector<std::string>{"ot3/s1", "ot3/s1/t1"}));
}

TEST_F(OrganisationServiceTest, ScopeLimitsEveryCall) {
  Tree t = MakeTree("ot4");
  const std::string street1 = "ot4/s1";
  // Inside its street: read, and form branches under its street committee.
  EXPECT_TRUE(Get(street1, t.community1.id()).ok());
  EXPECT_TRUE(Create(street1, v1::COMMUNITY_COMMITTEE, "c2", t.street1.id(), t.c2.id()).ok());
  // Outside: refused alike whether the record exists or not.
  EXPECT_EQ(Get(street1, t.street2.id()).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(street1, "og_does_not_exist").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Create(street1, v1::COMMUNITY_COMMITTEE, "c3", t.street2.id(), t.c3.id()).status().code(),
      absl::StatusCode::kPermissionDenied);
  // Its listing of the district's subtree holds only what lies in the street.
  v1::ListOrganisationsRequest subtree;
  subtree.set_parent_id(t.district.id());
  subtree.set_subtree(true);
  EXPECT_EQ(ListPaths(street1, subtree),
            (std::vector<std::string>{"ot4/s1", "ot4/s1/c1", "ot4/s1/c2"}));
}

TEST_F(OrganisationServiceTest, UpdateAndDissolveKeepHistory) {
  Tree t = MakeTree("ot5");
  auto temporary = *Create("", v1::TEMPORARY_BRANCH, "flood", t.street1.id(), t.s1.id());
  v1::UpdateOrganisationRequest update;
  update.mutable_organisation()->set_id(temporary.id());
  update.mutable_organisation()->set_etag(temporary.etag());
  update.mutable_organisation()->set_display_name("Flood response branch");
  update.mutable_update_mask()->add_paths("display_name");
  v1::Organisation updated;
  ASSERT_TRUE(stub_->UpdateOrganisation(principals_.Context("").get(), update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Flood response branch");
  // A stale etag is refused.
  v1::Organisation ignored;
  EXPECT_EQ(stub_->UpdateOrganisation(principals_.Context("").get(), update, &ignored).error_code(),
            grpc::StatusCode::ABORTED);

  // A committee with active children cannot be dissolved.
  v1::DissolveOrganisationRequest dissolve;
  dissolve.set_id(t.street1.id());
  auto refused = stub_->DissolveOrganisation(principals_.Context("").get(), dissolve, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("2 active"), std::string::npos) << refused.error_message();

  dissolve.set_id(temporary.id());
  dissolve.set_etag(updated.etag());
  dissolve.set_reason("flood over");
  v1::Organisation dissolved;
  ASSERT_TRUE(
      stub_->DissolveOrganisation(principals_.Context("").get(), dissolve, &dissolved).ok());
  EXPECT_EQ(dissolved.state(), v1::DISSOLVED);
  EXPECT_EQ(dissolved.dissolve_reason(), "flood over");
  EXPECT_TRUE(dissolved.has_dissolve_time());
  // Kept, readable, listed only when asked for.
  EXPECT_EQ(Get("", temporary.id())->state(), v1::DISSOLVED);
  v1::ListOrganisationsRequest children;
  children.set_parent_id(t.street1.id());
  EXPECT_EQ(ListPaths("", children), (std::vector<std::string>{"ot5/s1/c1"}));
  children.set_include_dissolved(true);
  EXPECT_EQ(ListPaths("", children), (std::vector<std::string>{"ot5/s1/c1", "ot5/s1/flood"}));
  // Nothing new under a dissolved organisation; it no longer changes.
  EXPECT_EQ(ErrorReason(Create("", v1::BUILDING_GROUP, "x", temporary.id(), t.s1.id()).status())
                .value_or(""),
            "PARENT_DISSOLVED");
}

TEST_F(OrganisationServiceTest, MovesFollowPlacesAndPlacesCarryTheirOrganisations) {
  Tree t = MakeTree("ot6");
  auto grid = *Create("", v1::GRID_BRANCH, "g1", t.community1.id(), t.c1.id());
  // Community c1 is reassigned from street s1 to street s2: the area moves,
  // and the organisations bound there carry the new place (scope follows).
  v1::MoveAreaRequest move_area;
  move_area.set_id(t.c1.id());
  move_area.set_new_parent_id(t.s2.id());
  v1::Area moved_area;
  ASSERT_TRUE(areas_->MoveArea(principals_.Context("").get(), move_area, &moved_area).ok());
  EXPECT_EQ(Get("", t.community1.id())->area_path(), "ot6/s2/c1");
  EXPECT_EQ(Get("", grid.id())->area_path(), "ot6/s2/c1");
  EXPECT_TRUE(Get("ot6/s2", grid.id()).ok());
  EXPECT_EQ(Get("ot6/s1", grid.id()).status().code(), absl::StatusCode::kPermissionDenied);

  // Then the community committee moves under street s2's committee, with its subtree.
  auto current = *Get("", t.community1.id());
  v1::MoveOrganisationRequest move;
  move.set_id(current.id());
  move.set_new_parent_id(t.street2.id());
  move.set_etag(current.etag());
  v1::Organisation moved;
  ASSERT_TRUE(stub_->MoveOrganisation(principals_.Context("").get(), move, &moved).ok());
  EXPECT_EQ(moved.path(), "ot6/s2/c1");
  EXPECT_EQ(Get("", grid.id())->path(), "ot6/s2/c1/g1");
  // Back under s1's committee is refused: the place is no longer s1's.
  move.set_new_parent_id(t.street1.id());
  move.set_etag(moved.etag());
  v1::Organisation ignored;
  auto refused = stub_->MoveOrganisation(principals_.Context("").get(), move, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("outside the new parent's place"), std::string::npos);
  // Below itself: refused.
  move.set_new_parent_id(grid.id());
  EXPECT_EQ(stub_->MoveOrganisation(principals_.Context("").get(), move, &ignored).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // An area with organisations cannot be deleted.
  v1::DeleteAreaRequest remove;
  remove.set_id(t.c1.id());
  v1::DeleteAreaResponse removed;
  auto kept = areas_->DeleteArea(principals_.Context("").get(), remove, &removed);
  EXPECT_EQ(kept.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(FromGrpcStatus(kept)).value_or(""), "AREA_HAS_ORGANISATIONS");
}

}  // namespace
}  // namespace grassroots::orgs
