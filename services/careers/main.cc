// careers: community workers' records, staffing quotas, pay, training, the
// qualification feed grid follows and the annual assessment (with case
// performance from grid). Wiring only.
#include <cppconn/driver.h>

#include <cstdio>

#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/server/balanced_channel.h"
#include "common/server/service_host.h"
#include "grassroots/careers/v1/feed.grpc.pb.h"
#include "services/careers/assessment_handler.h"
#include "services/careers/pay_handler.h"
#include "services/careers/qualification_feed.h"
#include "services/careers/staffing_handler.h"
#include "services/careers/training_handler.h"
#include "services/careers/worker_handler.h"

namespace grassroots::db {
const MigrationSet& careers_migrations();
}

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  get_driver_instance();  // its first call is not thread-safe
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7104,
                                                          /*default_metrics_port=*/9104);
  options.push_back({"personal-data-key", grassroots::ConfigOption::Kind::kString, "",
                     "master key (32+ bytes) for workers' names and ID numbers at rest", true,
                     true});
  // Not waited for at start: only assessments need grid, and they answer
  // UNAVAILABLE while it is away.
  options.push_back({"grid-address", grassroots::ConfigOption::Kind::kString, "127.0.0.1:7102",
                     "grid's gRPC address, asked for the case performance of assessments"});
  options.push_back({"grid-deadline-ms", grassroots::ConfigOption::Kind::kInt, "10000",
                     "deadline of each call to grid, a community's worker figures (100 to 60000)"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "careers: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  const int64_t grid_deadline_ms = config->GetInt("grid-deadline-ms");
  if (grid_deadline_ms < 100 || grid_deadline_ms > 60000) {
    std::fprintf(stderr, "careers: --grid-deadline-ms must be 100 to 60000\n");
    return 2;
  }
  auto host =
      grassroots::ServiceHost::Create("careers", *config, {&grassroots::db::careers_migrations()});
  if (!host.ok()) {
    std::fprintf(stderr, "careers: %s\n", std::string(host.status().message()).c_str());
    return 2;
  }
  if ((*host)->migrate_only()) {
    auto status = (*host)->MigrateOnly();
    if (!status.ok()) std::fprintf(stderr, "careers: %s\n", status.ToString().c_str());
    return status.ok() ? 0 : 1;
  }
  auto cipher = grassroots::PersonalDataCipher::Create(config->GetString("personal-data-key"));
  if (!cipher.ok()) {
    std::fprintf(stderr, "careers: %s\n", std::string(cipher.status().message()).c_str());
    return 2;
  }
  const grassroots::ServiceEnv& env = (*host)->env();
  grassroots::careers::WorkerStore workers(*env.pool, *env.changes, **cipher);
  grassroots::careers::WorkerHandler worker_handler(env, workers);
  grassroots::careers::StaffingStore staffing(*env.pool, *env.changes);
  grassroots::careers::StaffingHandler staffing_handler(env, staffing);
  grassroots::careers::PayStore pay(*env.pool, *env.changes);
  grassroots::careers::PayHandler pay_handler(env, pay);
  grassroots::careers::TrainingStore training(*env.pool, *env.changes);
  grassroots::careers::QualificationFeed qualifications(*env.pool);
  grassroots::careers::TrainingHandler training_handler(env, training, qualifications);
  grassroots::careers::AssessmentStore assessments(*env.pool, *env.changes);
  grassroots::careers::GridCaseFigures grid(
      grassroots::PeerChannel(config->GetString("grid-address")),
      absl::Milliseconds(grid_deadline_ms));
  grassroots::careers::AssessmentHandler assessment_handler(env, assessments, grid);
  grassroots::ChangeFeedHandler<grassroots::careers::v1::ChangeFeedService> feed(env);
  (*host)->AddService(&worker_handler);
  (*host)->AddService(&staffing_handler);
  (*host)->AddService(&pay_handler);
  (*host)->AddService(&training_handler);
  (*host)->AddService(&assessment_handler);
  (*host)->AddService(&feed);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "careers: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
