#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/evidence/evidence_modes.h"

namespace grassroots::evidence {
namespace {

constexpr int kMembers = 4;
constexpr int kTransferVolunteers = 4;

class Setup {
 public:
  Setup(const Gateway& gateway, const SetupOptions& options)
      : gateway_(gateway), options_(options) {}

  // The state, or the first call that failed and why.
  absl::StatusOr<State> Run() {
    const std::string d = Area(orgs::v1::DISTRICT, absl::StrCat("ev-", options_.tag), "");
    const std::string load = Area(orgs::v1::STREET, "load", d);
    const std::string s1 = Area(orgs::v1::STREET, "s1", d);
    const std::string c1 = Area(orgs::v1::COMMUNITY, "c1", s1);
    const std::string path = absl::StrCat("ev-", options_.tag, "/s1/c1");
    state_.Set("tag", options_.tag);
    state_.Set("serial", absl::StrCat(options_.serial));
    state_.Set("load_street_id", load);
    state_.Set("community_id", c1);
    state_.Set("community_path", path);

    const std::string district =
        Organisation(orgs::v1::DISTRICT_COMMITTEE, absl::StrCat("ev-", options_.tag), d, "");
    const std::string street = Organisation(orgs::v1::STREET_WORKING_COMMITTEE, "s1", s1, district);
    const std::string community = Organisation(orgs::v1::COMMUNITY_COMMITTEE, "c1", c1, street);
    const std::string employer =
        Organisation(orgs::v1::TWO_NEW_ORGANISATION, "employer", c1, community);

    GridSetup(c1);
    VolunteerSetup(path);
    DualregSetup(c1, path, employer);
    if (!error_.ok()) return error_;
    return state_;
  }

 private:
  std::string RequestId(const std::string& what) const {
    return absl::StrCat("ev-", options_.tag, "-setup-", what);
  }

  // Keeps the first failure; every later step is then skipped.
  void Check(const grpc::Status& status, const std::string& what) {
    if (!status.ok() && error_.ok()) {
      error_ = absl::FailedPreconditionError(absl::StrCat(what, ": ", Describe(status)));
    }
  }

  std::string Area(orgs::v1::AreaKind kind, const std::string& code, const std::string& parent) {
    if (!error_.ok()) return "";
    auto stub = orgs::v1::AreaService::NewStub(gateway_.channel());
    orgs::v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name(code);
    request.mutable_area()->set_parent_id(parent);
    request.set_request_id(RequestId(absl::StrCat("area-", parent, "-", code)));
    orgs::v1::Area made;
    Check(gateway_.Call([&](grpc::ClientContext* c) { return stub->CreateArea(c, request, &made); },
                        kGiveUp),
          absl::StrCat("orgs CreateArea ", code));
    return made.id();
  }

  std::string Organisation(orgs::v1::OrganisationKind kind, const std::string& code,
                           const std::string& area, const std::string& parent) {
    if (!error_.ok()) return "";
    auto stub = orgs::v1::OrganisationService::NewStub(gateway_.channel());
    orgs::v1::CreateOrganisationRequest request;
    auto* o = request.mutable_organisation();
    o->set_kind(kind);
    o->set_code(code);
    o->set_display_name(code);
    o->set_area_id(area);
    o->set_parent_id(parent);
    if (kind == orgs::v1::TWO_NEW_ORGANISATION) o->set_unit_name("Evidence Ltd");
    request.set_request_id(RequestId(absl::StrCat("organisation-", code)));
    orgs::v1::Organisation made;
    Check(gateway_.Call(
              [&](grpc::ClientContext* c) { return stub->CreateOrganisation(c, request, &made); },
              kGiveUp),
          absl::StrCat("orgs CreateOrganisation ", code));
    return made.id();
  }

  void GridSetup(const std::string& community) {
    if (!error_.ok()) return;
    auto grids = grid::v1::GridService::NewStub(gateway_.channel());
    grid::v1::CreateGridRequest grid;
    grid.mutable_grid()->set_code("g1");
    grid.mutable_grid()->set_display_name("evidence grid");
    grid.mutable_grid()->set_community_id(community);
    grid.set_request_id(RequestId("grid"));
    grid::v1::Grid made;
    Check(gateway_.Call([&](grpc::ClientContext* c) { return grids->CreateGrid(c, grid, &made); },
                        kGiveUp),
          "grid CreateGrid");
    state_.Set("grid_id", made.id());

    // Codes are [A-Z0-9_]{2,32}: EV_ and the tag.
    const std::string code =
        absl::AsciiStrToUpper(absl::StrReplaceAll(absl::StrCat("EV_", options_.tag), {{"-", "_"}}))
            .substr(0, 32);
    auto setup = grid::v1::CaseSetupService::NewStub(gateway_.channel());
    grid::v1::CreateDepartmentRequest department;
    department.mutable_department()->set_code(code);
    department.mutable_department()->set_name("evidence department");
    department.mutable_department()->set_area_path(absl::StrCat("ev-", options_.tag));
    department.set_request_id(RequestId("department"));
    grid::v1::Department made_department;
    Check(gateway_.Call(
              [&](grpc::ClientContext* c) {
                return setup->CreateDepartment(c, department, &made_department);
              },
              kGiveUp),
          "grid CreateDepartment");
    grid::v1::CreateCategoryRequest category;
    auto* k = category.mutable_category();
    k->set_code(code);
    k->set_name("evidence litter");
    k->set_kind(grid::v1::Case::INCIDENT);
    k->set_department_id(made_department.id());
    k->set_continuous_clock(true);
    k->mutable_deadlines()->set_register_minutes(60);
    k->mutable_deadlines()->set_dispatch_minutes(30);
    k->mutable_deadlines()->set_accept_minutes(60);
    k->mutable_deadlines()->set_handle_minutes(240);
    k->mutable_deadlines()->set_verify_minutes(120);
    k->set_duplicate_radius_meters(50);
    k->set_duplicate_window_minutes(1440);
    grid::v1::CaseCategory made_category;
    grpc::Status status = gateway_.Call(
        [&](grpc::ClientContext* c) { return setup->CreateCategory(c, category, &made_category); },
        kGiveUp);
    // CreateCategory has no request id: a second setup finds the first's.
    if (status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      Check(status, "grid CreateCategory");
    }
    state_.Set("category_code", code);
  }

  std::string Volunteer(const std::string& path, const std::string& member, int i) {
    if (!error_.ok()) return "";
    auto stub = volunteer::v1::VolunteerService::NewStub(gateway_.channel());
    volunteer::v1::CreateVolunteerRequest request;
    request.mutable_volunteer()->set_community_path(path);
    request.mutable_volunteer()->set_name("志愿者");
    request.mutable_volunteer()->set_member_id(member);
    request.set_request_id(RequestId(absl::StrCat("volunteer-", member.empty() ? "t" : "m", i)));
    volunteer::v1::Volunteer made;
    Check(gateway_.Call(
              [&](grpc::ClientContext* c) { return stub->CreateVolunteer(c, request, &made); },
              kGiveUp),
          "volunteer CreateVolunteer");
    return made.id();
  }

  void VolunteerSetup(const std::string& path) {
    if (!error_.ok()) return;
    std::vector<std::string> accounts;
    for (int i = 0; i < kTransferVolunteers; ++i) {
      accounts.push_back(absl::StrCat("volunteer/", Volunteer(path, "", i)));
    }
    state_.Set("transfer_accounts", absl::StrJoin(accounts, ","));
    auto ledger = volunteer::v1::LedgerService::NewStub(gateway_.channel());
    volunteer::v1::OpenAccountRequest open;
    open.mutable_account()->set_kind(volunteer::v1::ACCOUNT_KIND_ISSUING);
    open.mutable_account()->set_community_path(path);
    volunteer::v1::Account issuing;
    Check(gateway_.Call(
              [&](grpc::ClientContext* c) { return ledger->OpenAccount(c, open, &issuing); },
              kGiveUp),
          "volunteer OpenAccount");
    state_.Set("issuing_account", issuing.id());
  }

  void DualregSetup(const std::string& community, const std::string& path,
                    const std::string& employer) {
    if (!error_.ok()) return;
    auto registrations = dualreg::v1::RegistrationService::NewStub(gateway_.channel());
    dualreg::v1::RegisterUnitRequest unit;
    unit.mutable_unit()->set_organisation_id(employer);
    unit.mutable_unit()->set_community_id(community);
    unit.mutable_unit()->set_resources("meeting room");
    unit.mutable_unit()->set_agreement("evidence co-building agreement");
    unit.mutable_unit()->set_valid_until("2099-12-31");
    unit.set_request_id(RequestId("unit"));
    dualreg::v1::UnitRegistration registered_unit;
    Check(gateway_.Call(
              [&](grpc::ClientContext* c) {
                return registrations->RegisterUnit(c, unit, &registered_unit);
              },
              kGiveUp),
          "dualreg RegisterUnit");

    auto members = orgs::v1::MemberService::NewStub(gateway_.channel());
    std::vector<std::string> registration_ids, volunteer_ids;
    for (int i = 0; i < kMembers && error_.ok(); ++i) {
      orgs::v1::AddMemberRequest add;
      add.mutable_member()->set_organisation_id(employer);
      add.mutable_member()->set_status(orgs::v1::FULL);
      add.mutable_member()->set_join_date("2012-07-01");
      add.mutable_member()->set_name("党员");
      add.mutable_member()->set_id_number(IdNumber("110106", 9000 + options_.serial, i));
      add.set_request_id(RequestId(absl::StrCat("member-", i)));
      orgs::v1::Member member;
      Check(
          gateway_.Call([&](grpc::ClientContext* c) { return members->AddMember(c, add, &member); },
                        kGiveUp),
          "orgs AddMember");
      const std::string volunteer = Volunteer(path, member.id(), i);
      dualreg::v1::RegisterMemberRequest reg;
      auto* r = reg.mutable_registration();
      r->set_member_id(member.id());
      r->set_employer_organisation_id(employer);
      r->set_community_id(community);
      r->add_skills("repair");
      for (int day = 1; day <= 7; ++day) {
        auto* slot = r->add_availability();
        slot->set_weekday(day);
        slot->set_start_minute(8 * 60);
        slot->set_end_minute(22 * 60);
      }
      r->set_volunteer_id(volunteer);
      reg.set_request_id(RequestId(absl::StrCat("registration-", i)));
      dualreg::v1::MemberRegistration registered;
      Check(gateway_.Call(
                [&](grpc::ClientContext* c) {
                  return registrations->RegisterMember(c, reg, &registered);
                },
                kGiveUp),
            "dualreg RegisterMember");
      registration_ids.push_back(registered.id());
      volunteer_ids.push_back(volunteer);
    }
    state_.Set("registrations", absl::StrJoin(registration_ids, ","));
    state_.Set("registration_volunteers", absl::StrJoin(volunteer_ids, ","));
  }

  static constexpr absl::Duration kGiveUp = absl::Seconds(60);
  const Gateway& gateway_;
  const SetupOptions& options_;
  State state_;
  absl::Status error_;
};

}  // namespace

int RunSetup(const Gateway& gateway, const SetupOptions& options) {
  absl::StatusOr<State> state = Setup(gateway, options).Run();
  if (!state.ok()) {
    std::fprintf(stderr, "setup %s: %s\n", options.tag.c_str(), state.status().ToString().c_str());
    return 1;
  }
  if (auto s = state->Write(options.state_path); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("setup %s: records made, state in %s\n", options.tag.c_str(),
              options.state_path.c_str());
  return 0;
}

}  // namespace grassroots::evidence
