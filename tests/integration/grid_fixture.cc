#include "tests/integration/grid_fixture.h"

#include <prometheus/text_serializer.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/server/balanced_channel.h"
#include "common/status/errors.h"
#include "common/testing/private_mariadb.h"
#include "services/grid/area_directory.h"
#include "services/grid/building_handler.h"
#include "services/grid/case_figure_aggregator.h"
#include "services/grid/case_figures_handler.h"
#include "services/grid/case_handler.h"
#include "services/grid/case_setup_handler.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/compound_handler.h"
#include "services/grid/external_case_handler.h"
#include "services/grid/grid_handler.h"
#include "services/grid/household_handler.h"
#include "services/grid/key_person_handler.h"
#include "services/grid/staff_handler.h"
#include "services/grid/visit_handler.h"
#include "services/orgs/area_handler.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
const MigrationSet& grid_migrations();
}  // namespace grassroots::db

namespace grassroots::grid::testing {

using ::grassroots::testing::InProcessService;

struct GridSuite {
  std::unique_ptr<InProcessService> orgs;
  std::unique_ptr<orgs::AreaStore> area_store;
  std::unique_ptr<orgs::AreaHandler> area_handler;
  std::unique_ptr<ChangeFeedHandler<orgs::v1::ChangeFeedService>> orgs_feed;
  std::unique_ptr<InProcessService> grid;
  std::unique_ptr<PersonalDataCipher> cipher;
  std::unique_ptr<AreaDirectory> directory;
  std::unique_ptr<GridStore> grids;
  std::unique_ptr<GridHandler> grid_handler;
  std::unique_ptr<CompoundStore> compounds;
  std::unique_ptr<CompoundHandler> compound_handler;
  std::unique_ptr<BuildingStore> buildings;
  std::unique_ptr<UnitStore> units;
  std::unique_ptr<BuildingHandler> building_handler;
  std::unique_ptr<HouseholdStore> households;
  std::unique_ptr<HouseholdHandler> household_handler;
  std::unique_ptr<StaffStore> staff;
  std::unique_ptr<StaffHandler> staff_handler;
  std::unique_ptr<KeyPersonStore> key_persons;
  std::unique_ptr<KeyPersonHandler> key_person_handler;
  std::unique_ptr<VisitStore> visits;
  std::unique_ptr<VisitReportStore> visit_reports;
  std::unique_ptr<VisitHandler> visit_handler;
  std::unique_ptr<ChangeFeedHandler<v1::ChangeFeedService>> feed;
  std::unique_ptr<AreaMoveStore> moves;
  std::unique_ptr<CaseSetupStore> case_setup;
  std::unique_ptr<CaseSetupHandler> case_setup_handler;
  std::unique_ptr<CaseViewCache> case_cache;
  std::unique_ptr<CaseStore> cases;
  std::unique_ptr<CaseStore> uncached_cases;
  std::unique_ptr<OrgsTaskAdmission> admission;
  std::unique_ptr<WhistleStore> whistles;
  std::unique_ptr<MediationStore> mediations;
  std::unique_ptr<CaseHandler> case_handler;
  std::unique_ptr<CaseFigureStore> figures;
  std::unique_ptr<StreetCaseGauges> street_gauges;
  std::unique_ptr<CaseFigureAggregator> aggregator;
  std::unique_ptr<CaseFiguresHandler> figures_handler;
  std::unique_ptr<ExternalTicketStore> tickets;
  std::unique_ptr<ExternalCaseHandler> external_case_handler;

  ~GridSuite() {
    if (case_cache) case_cache->Stop();
    if (grid) grid->Stop();
    if (orgs) orgs->Stop();
  }
};

void GridSuiteDeleter::operator()(GridSuite* suite) const { delete suite; }

GridSuitePtr StartGridSuite(const std::string& name) {
  GridSuitePtr suite(new GridSuite);
  suite->orgs = std::make_unique<InProcessService>(
      "orgs", ::grassroots::testing::FreshSchema(name + "_orgs"),
      std::vector<const db::MigrationSet*>{&db::orgs_migrations()});
  const ServiceEnv& orgs_env = suite->orgs->env();
  suite->area_store = std::make_unique<orgs::AreaStore>(*orgs_env.pool, *orgs_env.changes);
  suite->area_handler = std::make_unique<orgs::AreaHandler>(orgs_env, *suite->area_store);
  suite->orgs_feed = std::make_unique<ChangeFeedHandler<orgs::v1::ChangeFeedService>>(orgs_env);
  suite->orgs->Start({suite->area_handler.get(), suite->orgs_feed.get()});

  suite->grid = std::make_unique<InProcessService>(
      "grid", ::grassroots::testing::FreshSchema(name),
      std::vector<const db::MigrationSet*>{&db::grid_migrations()});
  const ServiceEnv& env = suite->grid->env();
  suite->cipher = *PersonalDataCipher::Create(::grassroots::testing::kTestPersonalDataKey);
  suite->directory = OrgsAreaDirectory::Connect(
      absl::StrCat("127.0.0.1:", suite->orgs->host().grpc_port()), absl::Seconds(5));
  suite->grids = std::make_unique<GridStore>(*env.pool, *env.changes);
  suite->grid_handler = std::make_unique<GridHandler>(env, *suite->grids, *suite->directory);
  suite->compounds = std::make_unique<CompoundStore>(*env.pool, *env.changes);
  suite->compound_handler = std::make_unique<CompoundHandler>(env, *suite->compounds);
  suite->buildings = std::make_unique<BuildingStore>(*env.pool, *env.changes);
  suite->units = std::make_unique<UnitStore>(*env.pool, *env.changes);
  suite->building_handler =
      std::make_unique<BuildingHandler>(env, *suite->buildings, *suite->units);
  suite->households = std::make_unique<HouseholdStore>(*env.pool, *env.changes, *suite->cipher);
  suite->household_handler = std::make_unique<HouseholdHandler>(env, *suite->households);
  suite->staff = std::make_unique<StaffStore>(*env.pool, *env.changes);
  suite->staff_handler = std::make_unique<StaffHandler>(env, *suite->staff);
  suite->key_persons = std::make_unique<KeyPersonStore>(*env.pool, *env.changes, *suite->cipher);
  suite->key_person_handler = std::make_unique<KeyPersonHandler>(env, *suite->key_persons);
  suite->visits = std::make_unique<VisitStore>(*env.pool, *env.changes);
  suite->visit_reports = std::make_unique<VisitReportStore>(*env.pool);
  suite->visit_handler = std::make_unique<VisitHandler>(env, *suite->visits, *suite->visit_reports);
  suite->feed = std::make_unique<ChangeFeedHandler<v1::ChangeFeedService>>(env);
  suite->moves = std::make_unique<AreaMoveStore>(*env.pool, *env.changes);
  suite->case_setup = std::make_unique<CaseSetupStore>(*env.pool, *env.changes);
  suite->case_setup_handler = std::make_unique<CaseSetupHandler>(env, *suite->case_setup);
  // Every case test runs with the cache, as grid does: each read after a
  // write is a check of read-your-writes.
  suite->case_cache = std::make_unique<CaseViewCache>(*env.pool, *env.changes, env.sequencer,
                                                      *env.log, /*capacity=*/10000);
  suite->cases = std::make_unique<CaseStore>(*env.pool, *env.changes, suite->case_cache.get());
  suite->uncached_cases = std::make_unique<CaseStore>(*env.pool, *env.changes);
  suite->admission = std::make_unique<OrgsTaskAdmission>(
      PeerChannel(absl::StrCat("127.0.0.1:", suite->orgs->host().grpc_port())), absl::Seconds(5));
  suite->whistles =
      std::make_unique<WhistleStore>(*env.pool, *env.changes, suite->case_cache.get());
  suite->mediations =
      std::make_unique<MediationStore>(*env.pool, *env.changes, suite->case_cache.get());
  suite->case_handler =
      std::make_unique<CaseHandler>(env, *suite->cases, *suite->case_setup, *suite->grids,
                                    *suite->whistles, *suite->mediations, *suite->admission);
  suite->figures = std::make_unique<CaseFigureStore>(*env.pool);
  suite->street_gauges = std::make_unique<StreetCaseGauges>(suite->grid->host().registry());
  // Not started: tests count the figures when they choose (CountFigures).
  suite->aggregator = std::make_unique<CaseFigureAggregator>(
      env, *suite->figures, *suite->street_gauges, suite->grid->host().registry(),
      absl::Milliseconds(100), /*batch=*/50);
  suite->figures_handler = std::make_unique<CaseFiguresHandler>(env, *suite->figures, *suite->cases,
                                                                *suite->grids, *suite->case_setup);
  suite->tickets = std::make_unique<ExternalTicketStore>(*env.pool);
  suite->external_case_handler = std::make_unique<ExternalCaseHandler>(env, *suite->tickets);
  suite->grid->Start({suite->external_case_handler.get(), suite->case_setup_handler.get(),
                      suite->case_handler.get(), suite->figures_handler.get(),
                      suite->grid_handler.get(), suite->compound_handler.get(),
                      suite->building_handler.get(), suite->household_handler.get(),
                      suite->staff_handler.get(), suite->key_person_handler.get(),
                      suite->visit_handler.get(), suite->feed.get()});
  if (auto s = suite->case_cache->Start(); !s.ok()) ADD_FAILURE() << s;  // migrated now
  return suite;
}

void StopOrgs(GridSuite& suite) { suite.orgs->Stop(); }

std::unique_ptr<AreaMoveFollower> MakeFollower(GridSuite& suite) {
  return std::make_unique<AreaMoveFollower>(
      PeerChannel(absl::StrCat("127.0.0.1:", suite.orgs->host().grpc_port())), suite.grid->env(),
      *suite.moves, absl::Milliseconds(100), absl::Seconds(5));
}
InProcessService& GridService(GridSuite& suite) { return *suite.grid; }
InProcessService& OrgsService(GridSuite& suite) { return *suite.orgs; }
CaseStore& Cases(GridSuite& suite) { return *suite.cases; }
WhistleStore& Whistles(GridSuite& suite) { return *suite.whistles; }
CaseStore& AnotherReplicasCases(GridSuite& suite) { return *suite.uncached_cases; }
CaseViewCache& CaseCache(GridSuite& suite) { return *suite.case_cache; }
absl::Status CatchUpCaseCache(GridSuite& suite) {
  auto sequenced = suite.grid->env().sequencer->SequenceOnce();
  if (!sequenced.ok()) return sequenced.status();
  return suite.case_cache->CatchUp();
}
absl::StatusOr<int64_t> CountFigures(GridSuite& suite) {
  auto sequenced = suite.grid->env().sequencer->SequenceOnce();
  if (!sequenced.ok()) return sequenced.status();
  return suite.aggregator->CatchUp();
}
std::string StreetGaugesText(GridSuite& suite) {
  return prometheus::TextSerializer().Serialize(suite.grid->host().registry().Collect());
}

GridClient::GridClient(GridSuite& suite) : suite_(suite) {
  areas_ = orgs::v1::AreaService::NewStub(suite.orgs->Channel());
  auto channel = suite.grid->Channel();
  grids_ = v1::GridService::NewStub(channel);
  compounds_ = v1::CompoundService::NewStub(channel);
  buildings_ = v1::BuildingService::NewStub(channel);
  households_ = v1::HouseholdService::NewStub(channel);
  staff_ = v1::GridStaffService::NewStub(channel);
  key_persons_ = v1::KeyPersonService::NewStub(channel);
  visits_ = v1::VisitService::NewStub(channel);
  feed_ = v1::ChangeFeedService::NewStub(channel);
  cases_ = v1::CaseService::NewStub(channel);
  case_setup_ = v1::CaseSetupService::NewStub(channel);
  figures_ = v1::CaseFiguresService::NewStub(channel);
  external_cases_ = v1::ExternalCaseService::NewStub(channel);
}

db::ConnectionPool& GridClient::pool() { return *suite_.grid->env().pool; }

std::string GridClient::AreaId(orgs::v1::AreaKind kind, const std::string& code,
                               const std::string& parent) {
  orgs::v1::CreateAreaRequest request;
  request.mutable_area()->set_kind(kind);
  request.mutable_area()->set_code(code);
  request.mutable_area()->set_display_name("Area " + code);
  request.mutable_area()->set_parent_id(parent);
  auto area = Rpc(*areas_, &orgs::v1::AreaService::Stub::CreateArea, request);
  EXPECT_TRUE(area.ok()) << area.status();
  return area.ok() ? area->id() : "";
}

GridClient::Tree GridClient::MakeTree(const std::string& code) {
  Tree t;
  t.code = code;
  t.district = AreaId(orgs::v1::DISTRICT, code, "");
  t.s1 = AreaId(orgs::v1::STREET, "s1", t.district);
  t.s2 = AreaId(orgs::v1::STREET, "s2", t.district);
  t.c1 = AreaId(orgs::v1::COMMUNITY, "c1", t.s1);
  t.c2 = AreaId(orgs::v1::COMMUNITY, "c2", t.s1);
  t.c3 = AreaId(orgs::v1::COMMUNITY, "c3", t.s2);
  return t;
}

absl::StatusOr<v1::Grid> GridClient::CreateGrid(const std::string& community,
                                                const std::string& code, const std::string& scope,
                                                const std::string& request_id) {
  v1::CreateGridRequest request;
  request.mutable_grid()->set_community_id(community);
  request.mutable_grid()->set_code(code);
  request.mutable_grid()->set_display_name("Grid " + code);
  request.set_request_id(request_id);
  return Rpc(*grids_, &v1::GridService::Stub::CreateGrid, request, scope);
}

GridClient::Block GridClient::MakeBlock(const std::string& grid, const std::string& name) {
  Block block;
  v1::CreateCompoundRequest compound;
  compound.mutable_compound()->set_grid_id(grid);
  compound.mutable_compound()->set_display_name(name);
  auto made = Rpc(*compounds_, &v1::CompoundService::Stub::CreateCompound, compound);
  EXPECT_TRUE(made.ok()) << made.status();
  block.compound = made.ok() ? made->id() : "";
  v1::CreateBuildingRequest building;
  building.mutable_building()->set_compound_id(block.compound);
  building.mutable_building()->set_display_name("3号楼");
  auto built = Rpc(*buildings_, &v1::BuildingService::Stub::CreateBuilding, building);
  EXPECT_TRUE(built.ok()) << built.status();
  block.building = built.ok() ? built->id() : "";
  v1::CreateUnitRequest unit;
  unit.mutable_unit()->set_building_id(block.building);
  unit.mutable_unit()->set_display_name("1单元");
  auto unit_made = Rpc(*buildings_, &v1::BuildingService::Stub::CreateUnit, unit);
  EXPECT_TRUE(unit_made.ok()) << unit_made.status();
  block.unit = unit_made.ok() ? unit_made->id() : "";
  return block;
}

absl::StatusOr<v1::Household> GridClient::AddHousehold(
    const std::string& unit, const std::string& address, const std::string& phone,
    const std::string& id_number, const std::string& scope, const std::string& request_id) {
  v1::CreateHouseholdRequest request;
  auto* h = request.mutable_household();
  h->set_unit_id(unit);
  h->set_address(address);
  h->set_head_name("张三丰");
  h->set_head_phone(phone);
  h->set_head_id_number(id_number);
  h->set_resident_count(3);
  request.set_request_id(request_id);
  return Rpc(*households_, &v1::HouseholdService::Stub::CreateHousehold, request, scope);
}

namespace {

// An import stream's chunks: `data` in pieces of at most 700 bytes, the
// format and request id on the first.
absl::StatusOr<common::v1::ImportResult> SendImport(
    grpc::ClientWriter<common::v1::ImportChunk>& writer, common::v1::ImportResult& result,
    const std::string& data, common::v1::FileFormat format, const std::string& request_id) {
  for (size_t offset = 0; offset == 0 || offset < data.size(); offset += 700) {
    common::v1::ImportChunk chunk;
    if (offset == 0) {
      chunk.set_format(format);
      chunk.set_request_id(request_id);
    }
    chunk.set_data(data.substr(offset, 700));
    if (!writer.Write(chunk)) break;
  }
  writer.WritesDone();
  grpc::Status status = writer.Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  return result;
}

}  // namespace

absl::StatusOr<common::v1::ImportResult> GridClient::ImportHouseholds(
    const std::string& data, common::v1::FileFormat format, const std::string& scope,
    const std::string& request_id) {
  auto context = principals_.Context(scope);
  common::v1::ImportResult result;
  auto writer = households_->ImportHouseholds(context.get(), &result);
  return SendImport(*writer, result, data, format, request_id);
}

absl::StatusOr<common::v1::ImportResult> GridClient::ImportCases(const std::string& data,
                                                                 common::v1::FileFormat format,
                                                                 const std::string& scope,
                                                                 const std::string& request_id) {
  auto context = principals_.Context(scope, "migration", {"grid.admin"});
  common::v1::ImportResult result;
  auto writer = cases_->ImportCases(context.get(), &result);
  return SendImport(*writer, result, data, format, request_id);
}

GridSuite* GridServiceTest::suite_ = nullptr;

void GridServiceTest::TearDownTestSuite() {
  GridSuiteDeleter()(suite_);
  suite_ = nullptr;
}

absl::Status MoveArea(GridClient& client, const std::string& id, const std::string& parent) {
  orgs::v1::GetAreaRequest get;
  get.set_id(id);
  auto area = client.Rpc(*client.areas_, &orgs::v1::AreaService::Stub::GetArea, get);
  if (!area.ok()) return area.status();
  orgs::v1::MoveAreaRequest move;
  move.set_id(id);
  move.set_new_parent_id(parent);
  move.set_etag(area->etag());
  return client.Rpc(*client.areas_, &orgs::v1::AreaService::Stub::MoveArea, move).status();
}

std::string PathAfterCatchUp(GridClient& client, AreaMoveFollower& follower,
                             const std::string& grid_id, const std::string& expected) {
  v1::GetGridRequest get;
  get.set_id(grid_id);
  std::string path;
  for (int i = 0; i < 100 && path != expected; ++i) {
    EXPECT_TRUE(follower.CatchUp().ok());
    path = client.Rpc(*client.grids_, &v1::GridService::Stub::GetGrid, get)->path();
    if (path != expected) absl::SleepFor(absl::Milliseconds(50));
  }
  return path;
}

std::string Reason(const absl::Status& status) {
  return status.ok() ? "OK" : ErrorReason(status).value_or(status.ToString());
}

}  // namespace grassroots::grid::testing
