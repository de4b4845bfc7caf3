// Compounds, buildings and units against a real MariaDB: each lies in a
// grid and is seen only within the grid's jurisdiction; names are unique
// where people tell them apart; creates are idempotent; updates carry etags.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;

TEST_F(GridServiceTest, BuildingsStandInACompoundOrOnTheirOwn) {
  Tree t = MakeTree("st1");
  auto grid = *CreateGrid(t.c1, "g01");
  auto other = *CreateGrid(t.c2, "g01");
  Block block = MakeBlock(grid.id());
  v1::GetBuildingRequest get;
  get.set_id(block.building);
  auto building = Rpc(*buildings_, &v1::BuildingService::Stub::GetBuilding, get);
  ASSERT_TRUE(building.ok()) << building.status();
  EXPECT_EQ(building->grid_id(), grid.id());
  EXPECT_EQ(building->grid_path(), "st1/s1/c1/g01");
  EXPECT_EQ(building->compound_id(), block.compound);

  // On its own, the grid is required; with a compound, a different grid is refused.
  v1::CreateBuildingRequest alone;
  alone.mutable_building()->set_display_name("3号楼");  // same name, not in the compound
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::CreateBuilding, alone).status()),
            "ID_REQUIRED");
  alone.mutable_building()->set_grid_id(grid.id());
  alone.mutable_building()->set_floor_count(6);
  auto standing = Rpc(*buildings_, &v1::BuildingService::Stub::CreateBuilding, alone);
  ASSERT_TRUE(standing.ok()) << standing.status();
  EXPECT_EQ(standing->compound_id(), "");
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::CreateBuilding, alone).status()),
            "BUILDING_EXISTS");
  v1::CreateBuildingRequest mismatch;
  mismatch.mutable_building()->set_compound_id(block.compound);
  mismatch.mutable_building()->set_grid_id(other.id());
  mismatch.mutable_building()->set_display_name("5号楼");
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::CreateBuilding, mismatch).status()),
            "BUILDING_GRID_MISMATCH");
  mismatch.mutable_building()->set_floor_count(201);
  mismatch.mutable_building()->clear_grid_id();
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::CreateBuilding, mismatch).status()),
            "FLOOR_COUNT_INVALID");

  // The grid's buildings are both; the compound's only its own.
  v1::ListBuildingsRequest list;
  list.set_grid_id(grid.id());
  EXPECT_EQ(Rpc(*buildings_, &v1::BuildingService::Stub::ListBuildings, list)->buildings_size(), 2);
  list.clear_grid_id();
  list.set_compound_id(block.compound);
  auto in_compound = Rpc(*buildings_, &v1::BuildingService::Stub::ListBuildings, list);
  ASSERT_EQ(in_compound->buildings_size(), 1);
  EXPECT_EQ(in_compound->buildings(0).id(), block.building);
  list.set_grid_id(grid.id());
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::ListBuildings, list).status()),
            "LISTING_PARENT_REQUIRED");
}

TEST_F(GridServiceTest, WhatIsInAGridIsSeenOnlyInItsJurisdiction) {
  Tree t = MakeTree("st2");
  auto grid = *CreateGrid(t.c3, "g01");  // street s2
  Block block = MakeBlock(grid.id());
  const std::string s1 = "st2/s1", s2 = "st2/s2";
  v1::GetCompoundRequest compound;
  compound.set_id(block.compound);
  EXPECT_EQ(Rpc(*compounds_, &v1::CompoundService::Stub::GetCompound, compound, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Rpc(*compounds_, &v1::CompoundService::Stub::GetCompound, compound, s2).ok());
  v1::GetUnitRequest unit;
  unit.set_id(block.unit);
  EXPECT_EQ(Rpc(*buildings_, &v1::BuildingService::Stub::GetUnit, unit, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto seen = Rpc(*buildings_, &v1::BuildingService::Stub::GetUnit, unit, "st2/s2/c3/g01");
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->compound_id(), block.compound);
  // Creating in another street's grid or building, or listing them, is refused alike.
  v1::CreateCompoundRequest create;
  create.mutable_compound()->set_grid_id(grid.id());
  create.mutable_compound()->set_display_name("Elsewhere");
  auto refused = Rpc(*compounds_, &v1::CompoundService::Stub::CreateCompound, create, s1);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  v1::CreateUnitRequest add_unit;
  add_unit.mutable_unit()->set_building_id(block.building);
  add_unit.mutable_unit()->set_display_name("2单元");
  EXPECT_EQ(Rpc(*buildings_, &v1::BuildingService::Stub::CreateUnit, add_unit, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListUnitsRequest units;
  units.set_building_id(block.building);
  EXPECT_EQ(Rpc(*buildings_, &v1::BuildingService::Stub::ListUnits, units, s1).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListCompoundsRequest compounds;
  compounds.set_grid_id(grid.id());
  EXPECT_EQ(
      Rpc(*compounds_, &v1::CompoundService::Stub::ListCompounds, compounds, s1).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Rpc(*compounds_, &v1::CompoundService::Stub::ListCompounds, compounds, s2)->compounds_size(),
      1);
  // An unscoped caller is told the grid does not exist, naming the field.
  create.mutable_compound()->set_grid_id("gd_0000000000000000000000000000");
  auto unknown = Rpc(*compounds_, &v1::CompoundService::Stub::CreateCompound, create);
  EXPECT_EQ(Reason(unknown.status()), "GRID_NOT_FOUND");
  EXPECT_EQ(ErrorField(unknown.status()).value_or(""), "compound.grid_id");
}

TEST_F(GridServiceTest, StructureCreatesAreIdempotentAndUpdatesCarryEtags) {
  Tree t = MakeTree("st3");
  auto grid = *CreateGrid(t.c1, "g01");
  v1::CreateCompoundRequest create;
  create.mutable_compound()->set_grid_id(grid.id());
  create.mutable_compound()->set_display_name("Harbour View");
  create.mutable_compound()->set_address("12 Harbour Road");
  create.set_request_id("compound-harbour");
  auto first = Rpc(*compounds_, &v1::CompoundService::Stub::CreateCompound, create);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Rpc(*compounds_, &v1::CompoundService::Stub::CreateCompound, create);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
  create.clear_request_id();
  EXPECT_EQ(Reason(Rpc(*compounds_, &v1::CompoundService::Stub::CreateCompound, create).status()),
            "COMPOUND_EXISTS");
  EXPECT_EQ(QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM compounds WHERE grid_id = '",
                                          grid.id(), "'")),
            1);

  v1::CreateUnitRequest unit;
  Block block = MakeBlock(grid.id(), "Second Gardens");
  unit.mutable_unit()->set_building_id(block.building);
  unit.mutable_unit()->set_display_name("2单元");
  unit.set_request_id("unit-2");
  auto made = Rpc(*buildings_, &v1::BuildingService::Stub::CreateUnit, unit);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(Rpc(*buildings_, &v1::BuildingService::Stub::CreateUnit, unit)->id(), made->id());

  v1::UpdateUnitRequest rename;
  rename.mutable_unit()->set_id(made->id());
  rename.mutable_unit()->set_display_name("1单元");  // taken in this building
  rename.mutable_unit()->set_etag(made->etag());
  rename.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::UpdateUnit, rename).status()),
            "UNIT_EXISTS");
  rename.mutable_unit()->set_display_name("二单元");
  auto renamed = Rpc(*buildings_, &v1::BuildingService::Stub::UpdateUnit, rename);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->display_name(), "二单元");
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::UpdateUnit, rename).status()),
            "ETAG_MISMATCH");

  v1::UpdateCompoundRequest address;
  address.mutable_compound()->set_id(first->id());
  address.mutable_compound()->set_address("14 Harbour Road");
  address.mutable_compound()->set_etag(first->etag());
  address.mutable_update_mask()->add_paths("address");
  auto moved = Rpc(*compounds_, &v1::CompoundService::Stub::UpdateCompound, address);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->address(), "14 Harbour Road");
  EXPECT_EQ(moved->display_name(), "Harbour View");

  v1::UpdateBuildingRequest floors;
  floors.mutable_building()->set_id(block.building);
  floors.mutable_building()->set_floor_count(18);
  floors.mutable_update_mask()->add_paths("floor_count");
  EXPECT_EQ(Rpc(*buildings_, &v1::BuildingService::Stub::UpdateBuilding, floors)->floor_count(),
            18);
  floors.mutable_update_mask()->set_paths(0, "compound_id");
  EXPECT_EQ(Reason(Rpc(*buildings_, &v1::BuildingService::Stub::UpdateBuilding, floors).status()),
            "FIELD_NOT_UPDATABLE");
}

TEST_F(GridServiceTest, UnitsPageInCreationOrder) {
  Tree t = MakeTree("st4");
  auto grid = *CreateGrid(t.c1, "g01");
  Block block = MakeBlock(grid.id());
  std::vector<std::string> made = {block.unit};
  for (int i = 2; i <= 5; ++i) {
    v1::CreateUnitRequest unit;
    unit.mutable_unit()->set_building_id(block.building);
    unit.mutable_unit()->set_display_name(absl::StrCat(i, "单元"));
    made.push_back(Rpc(*buildings_, &v1::BuildingService::Stub::CreateUnit, unit)->id());
  }
  v1::ListUnitsRequest list;
  list.set_building_id(block.building);
  list.set_page_size(2);
  std::vector<std::string> seen;
  for (;;) {
    auto page = Rpc(*buildings_, &v1::BuildingService::Stub::ListUnits, list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& u : page->units()) seen.push_back(u.id());
    if (page->next_page_token().empty()) break;
    list.set_page_token(page->next_page_token());
  }
  std::sort(made.begin(), made.end());
  EXPECT_EQ(seen, made);
}

}  // namespace
}  // namespace grassroots::grid::testing
