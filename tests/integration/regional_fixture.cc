#include "tests/integration/regional_fixture.h"

#include "common/testing/private_mariadb.h"
#include "services/orgs/area_handler.h"
#include "services/orgs/big_committee_handler.h"
#include "services/orgs/co_building_handler.h"
#include "services/orgs/joint_meeting_handler.h"
#include "services/orgs/organisation_handler.h"
#include "services/orgs/resident_unit_handler.h"
#include "services/orgs/resource_handler.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs::testing {
namespace {

// Everything the suite runs, built once (a server per suite: starting one
// costs seconds).
struct Suite {
  std::unique_ptr<::grassroots::testing::InProcessService> service;
  std::unique_ptr<PersonalDataCipher> cipher;
  std::unique_ptr<ManualClock> clock;
  // The service's environment with the manual clock: what the regional
  // handlers see.
  std::unique_ptr<ServiceEnv> timed;
  std::unique_ptr<AreaStore> areas;
  std::unique_ptr<AreaHandler> area_handler;
  std::unique_ptr<OrganisationStore> organisations;
  std::unique_ptr<OrganisationHandler> organisation_handler;
  std::unique_ptr<ResidentUnitStore> units;
  std::unique_ptr<ResidentUnitHandler> unit_handler;
  std::unique_ptr<BigCommitteeStore> committees;
  std::unique_ptr<BigCommitteeHandler> committee_handler;
  std::unique_ptr<JointMeetingStore> meetings;
  std::unique_ptr<JointMeetingHandler> meeting_handler;
  std::unique_ptr<CoBuildingStore> projects;
  std::unique_ptr<CoBuildingHandler> project_handler;
  std::unique_ptr<ResourceStore> resources;
  std::unique_ptr<ResourceHandler> resource_handler;
};

Suite* suite = nullptr;

absl::Time Noon(absl::CivilDay day) {
  return absl::FromCivil(absl::CivilHour(day) + 12, absl::UTCTimeZone());
}

}  // namespace

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

void RegionalServiceTest::SetUpTestSuite() {
  suite = new Suite;
  suite->service = std::make_unique<::grassroots::testing::InProcessService>(
      "orgs", ::grassroots::testing::FreshSchema("orgs_regional"),
      std::vector<const db::MigrationSet*>{&db::orgs_migrations()});
  const ServiceEnv& env = suite->service->env();
  suite->cipher = *PersonalDataCipher::Create(::grassroots::testing::kTestPersonalDataKey);
  suite->clock = std::make_unique<ManualClock>(Noon(kStartDay));
  suite->timed = std::make_unique<ServiceEnv>(env);
  suite->timed->clock = suite->clock.get();
  suite->areas = std::make_unique<AreaStore>(*env.pool, *env.changes);
  suite->area_handler = std::make_unique<AreaHandler>(env, *suite->areas);
  suite->organisations = std::make_unique<OrganisationStore>(*env.pool, *env.changes);
  suite->organisation_handler = std::make_unique<OrganisationHandler>(env, *suite->organisations);
  suite->units = std::make_unique<ResidentUnitStore>(*env.pool, *env.changes, *suite->cipher);
  suite->unit_handler = std::make_unique<ResidentUnitHandler>(*suite->timed, *suite->units);
  suite->committees = std::make_unique<BigCommitteeStore>(*env.pool, *env.changes);
  suite->committee_handler =
      std::make_unique<BigCommitteeHandler>(*suite->timed, *suite->committees);
  suite->meetings = std::make_unique<JointMeetingStore>(*env.pool, *env.changes);
  suite->meeting_handler = std::make_unique<JointMeetingHandler>(*suite->timed, *suite->meetings);
  suite->projects = std::make_unique<CoBuildingStore>(*env.pool, *env.changes);
  suite->project_handler = std::make_unique<CoBuildingHandler>(*suite->timed, *suite->projects);
  suite->resources = std::make_unique<ResourceStore>(*env.pool, *env.changes);
  suite->resource_handler = std::make_unique<ResourceHandler>(*suite->timed, *suite->resources);
  suite->service->Start({suite->area_handler.get(), suite->organisation_handler.get(),
                         suite->unit_handler.get(), suite->committee_handler.get(),
                         suite->meeting_handler.get(), suite->project_handler.get(),
                         suite->resource_handler.get()});
}

void RegionalServiceTest::TearDownTestSuite() {
  suite->service->Stop();
  delete suite;
  suite = nullptr;
}

void RegionalServiceTest::SetUp() {
  auto channel = suite->service->Channel();
  areas_ = v1::AreaService::NewStub(channel);
  organisations_ = v1::OrganisationService::NewStub(channel);
  units_ = v1::ResidentUnitService::NewStub(channel);
  committees_ = v1::BigPartyCommitteeService::NewStub(channel);
  meetings_ = v1::JointMeetingService::NewStub(channel);
  matching_ = v1::ResourceMatchingService::NewStub(channel);
  projects_ = v1::CoBuildingProjectService::NewStub(channel);
  SetToday(kStartDay);
}

db::ConnectionPool& RegionalServiceTest::pool() { return *suite->service->env().pool; }

ManualClock& RegionalServiceTest::clock() { return *suite->clock; }

void RegionalServiceTest::SetToday(absl::CivilDay day) { suite->clock->Set(Noon(day)); }

std::string RegionalServiceTest::AreaId(v1::AreaKind kind, const std::string& code,
                                        const std::string& parent) {
  v1::CreateAreaRequest request;
  request.mutable_area()->set_kind(kind);
  request.mutable_area()->set_code(code);
  request.mutable_area()->set_display_name("Area " + code);
  request.mutable_area()->set_parent_id(parent);
  auto area = Rpc(*areas_, &v1::AreaService::Stub::CreateArea, request);
  EXPECT_TRUE(area.ok()) << area.status();
  return area.ok() ? area->id() : "";
}

std::string RegionalServiceTest::OrganisationId(v1::OrganisationKind kind, const std::string& code,
                                                const std::string& parent,
                                                const std::string& area) {
  v1::CreateOrganisationRequest request;
  auto* o = request.mutable_organisation();
  o->set_kind(kind);
  o->set_code(code);
  o->set_display_name("Organisation " + code);
  o->set_parent_id(parent);
  o->set_area_id(area);
  auto organisation =
      Rpc(*organisations_, &v1::OrganisationService::Stub::CreateOrganisation, request);
  EXPECT_TRUE(organisation.ok()) << organisation.status();
  return organisation.ok() ? organisation->id() : "";
}

RegionalServiceTest::Tree RegionalServiceTest::MakeTree(const std::string& code) {
  Tree t;
  t.code = code;
  t.district = AreaId(v1::DISTRICT, code, "");
  t.s1 = AreaId(v1::STREET, "s1", t.district);
  t.s2 = AreaId(v1::STREET, "s2", t.district);
  t.c1 = AreaId(v1::COMMUNITY, "c1", t.s1);
  t.c2 = AreaId(v1::COMMUNITY, "c2", t.s1);
  t.c3 = AreaId(v1::COMMUNITY, "c3", t.s2);
  t.district_org = OrganisationId(v1::DISTRICT_COMMITTEE, code, "", t.district);
  t.s1_org = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s1", t.district_org, t.s1);
  t.s2_org = OrganisationId(v1::STREET_WORKING_COMMITTEE, "s2", t.district_org, t.s2);
  t.c1_org = OrganisationId(v1::COMMUNITY_COMMITTEE, "c1", t.s1_org, t.c1);
  t.c3_org = OrganisationId(v1::COMMUNITY_COMMITTEE, "c3", t.s2_org, t.c3);
  t.grid_org = OrganisationId(v1::GRID_BRANCH, "g1", t.c1_org, t.c1);
  return t;
}

absl::StatusOr<v1::ResidentUnit> RegionalServiceTest::AddUnit(const std::string& area,
                                                              const std::string& name,
                                                              v1::ResidentUnit::Kind kind,
                                                              const std::string& scope,
                                                              const std::string& request_id) {
  v1::CreateResidentUnitRequest request;
  auto* u = request.mutable_unit();
  u->set_area_id(area);
  u->set_display_name(name);
  u->set_kind(kind);
  u->set_employee_count(120);
  u->set_liaison_name("王小明");
  u->set_liaison_phone("139 0000-2222");
  request.set_request_id(request_id);
  return Rpc(*units_, &v1::ResidentUnitService::Stub::CreateResidentUnit, request, scope);
}

absl::StatusOr<v1::BigCommitteeSeat> RegionalServiceTest::Seat(const std::string& organisation,
                                                               const std::string& unit,
                                                               const std::string& scope,
                                                               const std::string& term_end) {
  v1::AddCommitteeUnitRequest request;
  auto* s = request.mutable_seat();
  s->set_organisation_id(organisation);
  s->set_unit_id(unit);
  s->set_role(v1::BigCommitteeSeat::PART_TIME_MEMBER);
  s->set_holder_title("Party secretary of the unit");
  s->set_term_start("2026-01-01");
  s->set_term_end(term_end);
  return Rpc(*committees_, &v1::BigPartyCommitteeService::Stub::AddCommitteeUnit, request, scope);
}

absl::StatusOr<v1::JointMeeting> RegionalServiceTest::Schedule(
    const std::string& convener, absl::CivilDay date, const std::vector<std::string>& units,
    const std::string& scope, const std::string& request_id) {
  v1::ScheduleJointMeetingRequest request;
  request.set_convener_organisation_id(convener);
  request.set_title("Joint meeting on the old compound's renovation");
  request.set_meeting_date(DayText(date));
  for (const auto& unit : units) request.add_invited_unit_ids(unit);
  request.set_request_id(request_id);
  return Rpc(*meetings_, &v1::JointMeetingService::Stub::ScheduleJointMeeting, request, scope);
}

}  // namespace grassroots::orgs::testing
