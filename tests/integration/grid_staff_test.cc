// Grid staff against a real MariaDB: one grid leader at a time even under
// concurrent appointments, building leaders of buildings in the grid, only
// masked names kept, periods moved with etags, scope on the grid.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {
namespace {

using ::grassroots::testing::QueryInt;

v1::AssignStaffRequest Assignment(const std::string& grid, v1::StaffRole role,
                                  const std::string& person, const std::string& start,
                                  const std::string& end = "", const std::string& building = "") {
  v1::AssignStaffRequest request;
  auto* a = request.mutable_assignment();
  a->set_grid_id(grid);
  a->set_role(role);
  a->set_person_ref(person);
  a->set_person_name("王小明");
  a->set_start_date(start);
  a->set_end_date(end);
  a->set_building_id(building);
  return request;
}

TEST_F(GridServiceTest, OneGridLeaderAtATimeAndTheSuccessorStartsOnTheEndDay) {
  Tree t = MakeTree("sf1");
  auto grid = *CreateGrid(t.c1, "g01");
  auto first = Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                   Assignment(grid.id(), v1::GRID_LEADER, "careers:wk1", "2026-01-01"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->person_name(), "王*明");
  EXPECT_EQ(first->grid_path(), "sf1/s1/c1/g01");
  EXPECT_EQ(QueryInt(pool(),
                     "SELECT COUNT(*) FROM staff_assignments WHERE"
                     " INSTR(person_name_masked, '王小明') > 0"),
            0);
  auto second = Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                    Assignment(grid.id(), v1::GRID_LEADER, "careers:wk2", "2026-07-01"));
  EXPECT_EQ(Reason(second.status()), "GRID_LEADER_TAKEN");
  EXPECT_NE(second.status().message().find("王*明 leads it from 2026-01-01 on"),
            absl::string_view::npos)
      << second.status();
  // Ending the first on 2026-07-01 frees that day for the successor.
  v1::UpdateStaffAssignmentRequest end;
  end.mutable_assignment()->set_id(first->id());
  end.mutable_assignment()->set_end_date("2026-07-01");
  end.mutable_assignment()->set_etag(first->etag());
  end.mutable_update_mask()->add_paths("end_date");
  auto ended = Rpc(*staff_, &v1::GridStaffService::Stub::UpdateStaffAssignment, end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->end_date(), "2026-07-01");
  EXPECT_EQ(Reason(Rpc(*staff_, &v1::GridStaffService::Stub::UpdateStaffAssignment, end).status()),
            "ETAG_MISMATCH");
  auto successor = Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                       Assignment(grid.id(), v1::GRID_LEADER, "careers:wk2", "2026-07-01"));
  ASSERT_TRUE(successor.ok()) << successor.status();
  // Extending the first again would overlap the successor.
  end.mutable_assignment()->set_end_date("2026-07-02");
  end.mutable_assignment()->set_etag(ended->etag());
  EXPECT_EQ(Reason(Rpc(*staff_, &v1::GridStaffService::Stub::UpdateStaffAssignment, end).status()),
            "GRID_LEADER_TAKEN");
  end.mutable_assignment()->set_end_date("2025-12-31");
  EXPECT_EQ(Reason(Rpc(*staff_, &v1::GridStaffService::Stub::UpdateStaffAssignment, end).status()),
            "END_NOT_AFTER_START");

  // Who leads on a day.
  v1::ListStaffAssignmentsRequest list;
  list.set_grid_id(grid.id());
  list.set_role(v1::GRID_LEADER);
  list.set_active_on("2026-06-30");
  auto june = Rpc(*staff_, &v1::GridStaffService::Stub::ListStaffAssignments, list);
  ASSERT_EQ(june->assignments_size(), 1);
  EXPECT_EQ(june->assignments(0).person_ref(), "careers:wk1");
  list.set_active_on("2026-07-01");
  auto july = Rpc(*staff_, &v1::GridStaffService::Stub::ListStaffAssignments, list);
  ASSERT_EQ(july->assignments_size(), 1);
  EXPECT_EQ(july->assignments(0).person_ref(), "careers:wk2");
}

TEST_F(GridServiceTest, ConcurrentGridLeadersLeaveExactlyOne) {
  Tree t = MakeTree("sf2");
  auto grid = *CreateGrid(t.c2, "g01");
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<v1::StaffAssignment>> results(8, absl::UnknownError("not run"));
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
              Assignment(grid.id(), v1::GRID_LEADER, absl::StrCat("careers:wk", i), "2026-03-01"));
    });
  }
  for (auto& thread : threads) thread.join();
  int appointed = 0;
  for (const auto& result : results) {
    if (result.ok()) {
      ++appointed;
    } else {
      EXPECT_EQ(Reason(result.status()), "GRID_LEADER_TAKEN");
    }
  }
  EXPECT_EQ(appointed, 1);
  EXPECT_EQ(
      QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM staff_assignments WHERE grid_id = '",
                                    grid.id(), "'")),
      1);
}

TEST_F(GridServiceTest, BuildingLeadersLeadBuildingsOfTheirGrid) {
  Tree t = MakeTree("sf3");
  auto grid = *CreateGrid(t.c1, "g01");
  auto other = *CreateGrid(t.c1, "g02");
  Block mine = MakeBlock(grid.id());
  Block theirs = MakeBlock(other.id());
  auto lead = Rpc(
      *staff_, &v1::GridStaffService::Stub::AssignStaff,
      Assignment(grid.id(), v1::BUILDING_LEADER, "member:mb1", "2026-02-01", "", mine.building));
  ASSERT_TRUE(lead.ok()) << lead.status();
  EXPECT_EQ(lead->building_id(), mine.building);
  EXPECT_EQ(Reason(Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                       Assignment(grid.id(), v1::BUILDING_LEADER, "member:mb2", "2026-02-01", "",
                                  theirs.building))
                       .status()),
            "BUILDING_NOT_IN_GRID");
  EXPECT_EQ(Reason(Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                       Assignment(grid.id(), v1::BUILDING_LEADER, "member:mb2", "2026-02-01"))
                       .status()),
            "BUILDING_REQUIRED");
  // The same person twice in the same role for overlapping days is refused;
  // workers are many.
  EXPECT_EQ(Reason(Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                       Assignment(grid.id(), v1::BUILDING_LEADER, "member:mb1", "2026-05-01", "",
                                  mine.building))
                       .status()),
            "ASSIGNMENT_OVERLAPS");
  for (const char* person : {"careers:wk7", "careers:wk8"}) {
    ASSERT_TRUE(Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff,
                    Assignment(grid.id(), v1::GRID_WORKER, person, "2026-02-01"))
                    .ok());
  }
  v1::ListStaffAssignmentsRequest list;
  list.set_grid_id(grid.id());
  list.set_page_size(2);
  int seen = 0;
  for (;;) {
    auto page = Rpc(*staff_, &v1::GridStaffService::Stub::ListStaffAssignments, list);
    ASSERT_TRUE(page.ok()) << page.status();
    seen += page->assignments_size();
    if (page->next_page_token().empty()) break;
    list.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen, 3);
}

TEST_F(GridServiceTest, StaffAreSeenAndAssignedOnlyInTheirStreet) {
  Tree t = MakeTree("sf4");
  auto grid = *CreateGrid(t.c3, "g01");  // street s2
  auto request = Assignment(grid.id(), v1::GRID_WORKER, "careers:wk1", "2026-01-01");
  request.set_request_id("assign-wk1");
  EXPECT_EQ(
      Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff, request, "sf4/s1").status().code(),
      absl::StatusCode::kPermissionDenied);
  auto made = Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff, request, "sf4/s2");
  ASSERT_TRUE(made.ok()) << made.status();
  auto again = Rpc(*staff_, &v1::GridStaffService::Stub::AssignStaff, request, "sf4/s2");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), made->id());
  v1::GetStaffAssignmentRequest get;
  get.set_id(made->id());
  EXPECT_EQ(
      Rpc(*staff_, &v1::GridStaffService::Stub::GetStaffAssignment, get, "sf4/s1").status().code(),
      absl::StatusCode::kPermissionDenied);
  v1::UpdateStaffAssignmentRequest end;
  end.mutable_assignment()->set_id(made->id());
  end.mutable_assignment()->set_end_date("2026-02-01");
  end.mutable_update_mask()->add_paths("end_date");
  EXPECT_EQ(Rpc(*staff_, &v1::GridStaffService::Stub::UpdateStaffAssignment, end, "sf4/s1")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListStaffAssignmentsRequest list;
  list.set_grid_id(grid.id());
  EXPECT_EQ(Rpc(*staff_, &v1::GridStaffService::Stub::ListStaffAssignments, list, "sf4/s1")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace grassroots::grid::testing
