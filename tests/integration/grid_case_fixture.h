// A case test's setting: a department, a category sent to it and grids,
// with helpers to report cases and take steps, for the case and figures
// suites.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "tests/integration/grid_fixture.h"

namespace grassroots::grid::testing {

using ::grassroots::testing::QueryInt;
using Stub = v1::CaseService::Stub;

const std::vector<std::string> kReporter = {"grid.reporter"};
const std::vector<std::string> kSupervisor = {"grid.supervisor"};
const std::vector<std::string> kDispatcher = {"grid.dispatcher"};
const std::vector<std::string> kHandler = {"grid.handler"};
const std::vector<std::string> kAdmin = {"grid.admin"};

class GridCaseTest : public GridServiceTest {
 protected:
  // A department, a category sent to it (round-the-clock deadlines, so the
  // test does not depend on the weekday it runs), and a grid in c1.
  void SetUp() override {
    tree_ = MakeTree(absl::StrCat("cs", ++counter_));
    grid_ = CreateGrid(tree_.c1, "g01")->id();
    other_grid_ = CreateGrid(tree_.c3, "g01")->id();
    v1::CreateDepartmentRequest dept;
    dept.mutable_department()->set_code(absl::StrCat("SANITATION_", counter_));
    dept.mutable_department()->set_name("District sanitation bureau");
    dept.mutable_department()->set_area_path(tree_.code);
    auto made =
        Rpc(*case_setup_, &v1::CaseSetupService::Stub::CreateDepartment, dept, "", "admin", kAdmin);
    ASSERT_TRUE(made.ok()) << made.status();
    department_ = made->id();
    v1::CreateCategoryRequest category;
    auto* c = category.mutable_category();
    c->set_code(absl::StrCat("LITTER_", counter_));
    category_ = c->code();
    c->set_name("Litter in public space");
    c->set_kind(v1::Case::INCIDENT);
    c->set_department_id(department_);
    c->set_continuous_clock(true);
    auto* d = c->mutable_deadlines();
    d->set_register_minutes(60);
    d->set_dispatch_minutes(30);
    d->set_accept_minutes(60);
    d->set_handle_minutes(240);
    d->set_verify_minutes(120);
    c->set_duplicate_radius_meters(50);
    c->set_duplicate_window_minutes(24 * 60);
    auto cat = Rpc(*case_setup_, &v1::CaseSetupService::Stub::CreateCategory, category, "", "admin",
                   kAdmin);
    ASSERT_TRUE(cat.ok()) << cat.status();
  }

  v1::ReportCaseRequest ReportAt(double lat, double lon, const std::string& grid = "") {
    v1::ReportCaseRequest r;
    auto* c = r.mutable_case_();
    c->set_kind(v1::Case::INCIDENT);
    c->set_source(v1::Case::GRID_WORKER);
    c->set_category_code(category_);
    c->set_grid_id(grid.empty() ? grid_ : grid);
    c->set_latitude(lat);
    c->set_longitude(lon);
    c->set_description("bags of rubbish by the bus stop");
    c->add_photo_refs("photo://1");
    c->set_reporter_ref("worker-17");
    return r;
  }

  v1::Case Report(double lat = 30.2741, double lon = 120.1551) {
    auto r = Rpc(*cases_, &Stub::ReportCase, ReportAt(lat, lon), "", "worker-17", kReporter);
    EXPECT_TRUE(r.ok()) << r.status();
    EXPECT_FALSE(r->duplicate());
    return r->case_();
  }

  v1::CaseStepRequest StepOn(const v1::Case& c, const std::string& note = "") {
    v1::CaseStepRequest s;
    s.set_case_id(c.id());
    s.set_etag(c.etag());
    s.set_note(note);
    return s;
  }

  template <typename Request>
  v1::Case Take(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, v1::Case*),
                const Request& request, const std::vector<std::string>& roles,
                const std::string& actor = "officer") {
    auto r = Rpc(*cases_, method, request, "", actor, roles);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : v1::Case();
  }

  int Steps(const std::string& case_id, const std::string& action) {
    return QueryInt(pool(), absl::StrCat("SELECT COUNT(*) FROM case_steps WHERE case_id = '",
                                         case_id, "' AND action = '", action, "'"));
  }

  static inline int counter_ = 0;
  Tree tree_;
  std::string grid_, other_grid_, department_, category_;
};

}  // namespace grassroots::grid::testing
