// grid: grids under orgs' communities and what is in them. Wiring only.
#include <cppconn/driver.h>

#include <cstdio>
#include <memory>

#include "absl/time/time.h"
#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/server/balanced_channel.h"
#include "common/server/service_host.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "services/grid/area_directory.h"
#include "services/grid/area_move_follower.h"
#include "services/grid/area_move_store.h"
#include "services/grid/building_handler.h"
#include "services/grid/case_assignment_handler.h"
#include "services/grid/case_assignment_store.h"
#include "services/grid/case_figure_aggregator.h"
#include "services/grid/case_figure_store.h"
#include "services/grid/case_figures_handler.h"
#include "services/grid/case_handler.h"
#include "services/grid/case_setup_handler.h"
#include "services/grid/case_setup_store.h"
#include "services/grid/case_store.h"
#include "services/grid/case_sweeper.h"
#include "services/grid/case_view_cache.h"
#include "services/grid/compound_handler.h"
#include "services/grid/external_case_handler.h"
#include "services/grid/grid_handler.h"
#include "services/grid/grid_store.h"
#include "services/grid/household_handler.h"
#include "services/grid/key_person_handler.h"
#include "services/grid/qualification_follower.h"
#include "services/grid/qualification_store.h"
#include "services/grid/staff_handler.h"
#include "services/grid/street_case_gauges.h"
#include "services/grid/task_admission.h"
#include "services/grid/visit_handler.h"

namespace grassroots::db {
const MigrationSet& grid_migrations();
}

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  get_driver_instance();  // its first call is not thread-safe
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7102,
                                                          /*default_metrics_port=*/9102);
  options.push_back({"personal-data-key", grassroots::ConfigOption::Kind::kString, "",
                     "master key (32+ bytes) for residents' personal data at rest", true, true});
  options.push_back({"orgs-address", grassroots::ConfigOption::Kind::kString, "127.0.0.1:7101",
                     "the orgs service (the jurisdiction tree), host:port"});
  options.push_back({"orgs-deadline-ms", grassroots::ConfigOption::Kind::kInt, "2000",
                     "deadline of each call to orgs (100 to 30000)"});
  options.push_back({"orgs-feed-interval-ms", grassroots::ConfigOption::Kind::kInt, "1000",
                     "how often orgs' change feed is read for area moves (100 to 60000)"});
  options.push_back({"careers-address", grassroots::ConfigOption::Kind::kString, "127.0.0.1:7104",
                     "the careers service (its qualification feed, the training rule), host:port"});
  options.push_back({"careers-feed-interval-ms", grassroots::ConfigOption::Kind::kInt, "1000",
                     "how often careers' qualification feed is read (100 to 60000)"});
  options.push_back({"case-sweep-interval-ms", grassroots::ConfigOption::Kind::kInt, "1000",
                     "how often overdue cases are looked for and escalated (100 to 60000)"});
  options.push_back({"case-figures-interval-ms", grassroots::ConfigOption::Kind::kInt, "1000",
                     "how often case changes are counted into the live figures (100 to 60000)"});
  options.push_back({"case-cache-size", grassroots::ConfigOption::Kind::kInt, "100000",
                     "cases kept in memory for GetCase (0 turns the cache off; up to 10000000)"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "grid: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  const int64_t orgs_deadline_ms = config->GetInt("orgs-deadline-ms");
  if (orgs_deadline_ms < 100 || orgs_deadline_ms > 30000) {
    std::fprintf(stderr, "grid: --orgs-deadline-ms must be between 100 and 30000\n");
    return 2;
  }
  const int64_t feed_interval_ms = config->GetInt("orgs-feed-interval-ms");
  if (feed_interval_ms < 100 || feed_interval_ms > 60000) {
    std::fprintf(stderr, "grid: --orgs-feed-interval-ms must be between 100 and 60000\n");
    return 2;
  }
  const int64_t careers_interval_ms = config->GetInt("careers-feed-interval-ms");
  if (careers_interval_ms < 100 || careers_interval_ms > 60000) {
    std::fprintf(stderr, "grid: --careers-feed-interval-ms must be between 100 and 60000\n");
    return 2;
  }
  const int64_t sweep_interval_ms = config->GetInt("case-sweep-interval-ms");
  if (sweep_interval_ms < 100 || sweep_interval_ms > 60000) {
    std::fprintf(stderr, "grid: --case-sweep-interval-ms must be between 100 and 60000\n");
    return 2;
  }
  const int64_t figures_interval_ms = config->GetInt("case-figures-interval-ms");
  if (figures_interval_ms < 100 || figures_interval_ms > 60000) {
    std::fprintf(stderr, "grid: --case-figures-interval-ms must be between 100 and 60000\n");
    return 2;
  }
  const int64_t case_cache_size = config->GetInt("case-cache-size");
  if (case_cache_size < 0 || case_cache_size > 10000000) {
    std::fprintf(stderr, "grid: --case-cache-size must be between 0 and 10000000\n");
    return 2;
  }
  auto host =
      grassroots::ServiceHost::Create("grid", *config, {&grassroots::db::grid_migrations()});
  if (!host.ok()) {
    std::fprintf(stderr, "grid: %s\n", std::string(host.status().message()).c_str());
    return 2;
  }
  if ((*host)->migrate_only()) {
    auto status = (*host)->MigrateOnly();
    if (!status.ok()) std::fprintf(stderr, "grid: %s\n", status.ToString().c_str());
    return status.ok() ? 0 : 1;
  }
  auto cipher = grassroots::PersonalDataCipher::Create(config->GetString("personal-data-key"));
  if (!cipher.ok()) {
    std::fprintf(stderr, "grid: %s\n", std::string(cipher.status().message()).c_str());
    return 2;
  }
  const grassroots::ServiceEnv& env = (*host)->env();
  // One channel to orgs for both: the tree's lookups and its feed.
  auto orgs = grassroots::PeerChannel(config->GetString("orgs-address"));
  grassroots::grid::OrgsAreaDirectory areas(orgs, absl::Milliseconds(orgs_deadline_ms));
  grassroots::grid::AreaMoveStore moves(*env.pool, *env.changes);
  grassroots::grid::AreaMoveFollower follower(
      orgs, env, moves, absl::Milliseconds(feed_interval_ms), absl::Milliseconds(orgs_deadline_ms));
  (*host)->AddReadinessStep("follow orgs' area moves", [&follower] {
    if (auto s = follower.SkipHistoryIfNew(); !s.ok()) return s;
    follower.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&follower] { follower.Stop(); });
  grassroots::grid::GridStore grids(*env.pool, *env.changes);
  grassroots::grid::GridHandler grid_handler(env, grids, areas);
  grassroots::grid::CompoundStore compounds(*env.pool, *env.changes);
  grassroots::grid::CompoundHandler compound_handler(env, compounds);
  grassroots::grid::BuildingStore buildings(*env.pool, *env.changes);
  grassroots::grid::UnitStore units(*env.pool, *env.changes);
  grassroots::grid::BuildingHandler building_handler(env, buildings, units);
  grassroots::grid::HouseholdStore households(*env.pool, *env.changes, **cipher);
  grassroots::grid::HouseholdHandler household_handler(env, households);
  grassroots::grid::StaffStore staff(*env.pool, *env.changes);
  grassroots::grid::StaffHandler staff_handler(env, staff);
  grassroots::grid::KeyPersonStore key_persons(*env.pool, *env.changes, **cipher);
  grassroots::grid::KeyPersonHandler key_person_handler(env, key_persons);
  grassroots::grid::CaseSetupStore case_setup(*env.pool, *env.changes);
  grassroots::grid::CaseSetupHandler case_setup_handler(env, case_setup);
  std::unique_ptr<grassroots::grid::CaseViewCache> case_cache;
  if (case_cache_size > 0) {
    case_cache = std::make_unique<grassroots::grid::CaseViewCache>(
        *env.pool, *env.changes, env.sequencer, *env.log, static_cast<size_t>(case_cache_size));
    (*host)->AddReadinessStep("follow case changes into the case cache",
                              [&case_cache] { return case_cache->Start(); });
    (*host)->AddStopHook([&case_cache] { case_cache->Stop(); });
  }
  grassroots::grid::CaseStore cases(*env.pool, *env.changes, case_cache.get());
  grassroots::grid::OrgsTaskAdmission admission(orgs, absl::Milliseconds(orgs_deadline_ms));
  grassroots::grid::WhistleStore whistles(*env.pool, *env.changes, case_cache.get());
  grassroots::grid::MediationStore mediations(*env.pool, *env.changes, case_cache.get());
  grassroots::grid::CaseHandler case_handler(env, cases, case_setup, grids, whistles, mediations,
                                             admission);
  grassroots::grid::CaseSweeper sweeper(env, cases, whistles, (*host)->registry(),
                                        absl::Milliseconds(sweep_interval_ms), /*batch=*/200);
  (*host)->AddReadinessStep("sweep overdue cases", [&sweeper] {
    sweeper.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&sweeper] { sweeper.Stop(); });
  grassroots::grid::CaseFigureStore figures(*env.pool);
  grassroots::grid::StreetCaseGauges street_gauges((*host)->registry());
  grassroots::grid::CaseFigureAggregator aggregator(
      env, figures, street_gauges, (*host)->registry(), absl::Milliseconds(figures_interval_ms),
      /*batch=*/1000);
  (*host)->AddReadinessStep("count case changes into the live figures", [&aggregator] {
    aggregator.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&aggregator] { aggregator.Stop(); });
  grassroots::grid::CaseFiguresHandler figures_handler(env, figures, cases, grids, case_setup);
  // careers' training rule, followed without waiting for careers: grid
  // serves (and assigns with what it last learnt) while careers is down.
  // Its channel reconnects like orgs'.
  grassroots::grid::QualificationStore qualifications(*env.pool);
  grassroots::grid::QualificationFollower qualification_follower(
      grassroots::PeerChannel(config->GetString("careers-address")), env, qualifications,
      absl::Milliseconds(careers_interval_ms), absl::Milliseconds(orgs_deadline_ms));
  (*host)->AddReadinessStep("follow careers' qualifications", [&qualification_follower] {
    qualification_follower.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&qualification_follower] { qualification_follower.Stop(); });
  grassroots::grid::CaseAssignmentStore assignments(*env.pool, *env.changes);
  grassroots::grid::CaseAssignmentHandler assignment_handler(env, assignments, qualifications);
  grassroots::grid::VisitStore visits(*env.pool, *env.changes);
  grassroots::grid::VisitReportStore visit_reports(*env.pool);
  grassroots::grid::VisitHandler visit_handler(env, visits, visit_reports);
  grassroots::ChangeFeedHandler<grassroots::grid::v1::ChangeFeedService> feed(env);
  grassroots::grid::ExternalTicketStore tickets(*env.pool);
  grassroots::grid::ExternalCaseHandler external_case_handler(env, tickets);
  (*host)->AddService(&grid_handler);
  (*host)->AddService(&compound_handler);
  (*host)->AddService(&building_handler);
  (*host)->AddService(&household_handler);
  (*host)->AddService(&staff_handler);
  (*host)->AddService(&key_person_handler);
  (*host)->AddService(&case_setup_handler);
  (*host)->AddService(&case_handler);
  (*host)->AddService(&figures_handler);
  (*host)->AddService(&visit_handler);
  (*host)->AddService(&assignment_handler);
  (*host)->AddService(&feed);
  (*host)->AddService(&external_case_handler);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "grid: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
