// volunteer: volunteers, activities and hours, the points ledger and the
// love supermarket. Wiring only.
#include <cppconn/driver.h>

#include <cstdio>

#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/server/balanced_channel.h"
#include "common/server/service_host.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "services/volunteer/activity_handler.h"
#include "services/volunteer/business_metrics.h"
#include "services/volunteer/careers_roster.h"
#include "services/volunteer/certificate_handler.h"
#include "services/volunteer/credit_handler.h"
#include "services/volunteer/expiry_handler.h"
#include "services/volunteer/expiry_sweeper.h"
#include "services/volunteer/invariant_store.h"
#include "services/volunteer/ledger_handler.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/roster_handler.h"
#include "services/volunteer/roster_store.h"
#include "services/volunteer/supermarket_handler.h"
#include "services/volunteer/volunteer_handler.h"
#include "services/volunteer/wish_handler.h"
#include "services/volunteer/wish_sweeper.h"

namespace grassroots::db {
const MigrationSet& volunteer_migrations();
}

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  get_driver_instance();  // its first call is not thread-safe
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7103,
                                                          /*default_metrics_port=*/9103);
  options.push_back({"personal-data-key", grassroots::ConfigOption::Kind::kString, "",
                     "master key (32+ bytes) for volunteers' names at rest", true, true});
  options.push_back({"wish-sweep-interval-ms", grassroots::ConfigOption::Kind::kInt, "60000",
                     "how often lapsed claims and unclaimed micro-wishes are looked for (100 to "
                     "3600000)"});
  options.push_back({"points-expiry-interval-ms", grassroots::ConfigOption::Kind::kInt, "3600000",
                     "how often points older than their community's period are expired, as of "
                     "today (1000 to 86400000)"});
  options.push_back({"careers-address", grassroots::ConfigOption::Kind::kString, "127.0.0.1:7104",
                     "the careers service, source of community workers' working hours, "
                     "host:port (empty: the service's own roster only)"});
  options.push_back({"careers-deadline-ms", grassroots::ConfigOption::Kind::kInt, "2000",
                     "deadline of a call to careers (100 to 30000)"});
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "volunteer: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  const int64_t wish_sweep_ms = config->GetInt("wish-sweep-interval-ms");
  if (wish_sweep_ms < 100 || wish_sweep_ms > 3600000) {
    std::fprintf(stderr, "volunteer: --wish-sweep-interval-ms must be between 100 and 3600000\n");
    return 2;
  }
  const int64_t expiry_ms = config->GetInt("points-expiry-interval-ms");
  if (expiry_ms < 1000 || expiry_ms > 86400000) {
    std::fprintf(stderr,
                 "volunteer: --points-expiry-interval-ms must be between 1000 and 86400000\n");
    return 2;
  }
  const int64_t careers_deadline_ms = config->GetInt("careers-deadline-ms");
  if (careers_deadline_ms < 100 || careers_deadline_ms > 30000) {
    std::fprintf(stderr, "volunteer: --careers-deadline-ms must be between 100 and 30000\n");
    return 2;
  }
  auto host = grassroots::ServiceHost::Create("volunteer", *config,
                                              {&grassroots::db::volunteer_migrations()});
  if (!host.ok()) {
    std::fprintf(stderr, "volunteer: %s\n", std::string(host.status().message()).c_str());
    return 2;
  }
  if ((*host)->migrate_only()) {
    auto status = (*host)->MigrateOnly();
    if (!status.ok()) std::fprintf(stderr, "volunteer: %s\n", status.ToString().c_str());
    return status.ok() ? 0 : 1;
  }
  auto cipher = grassroots::PersonalDataCipher::Create(config->GetString("personal-data-key"));
  if (!cipher.ok()) {
    std::fprintf(stderr, "volunteer: %s\n", std::string(cipher.status().message()).c_str());
    return 2;
  }
  const grassroots::ServiceEnv& env = (*host)->env();
  grassroots::volunteer::BusinessMetrics metrics((*host)->registry());
  grassroots::volunteer::LedgerStore ledger(*env.pool, *env.changes);
  grassroots::volunteer::InvariantStore invariants(*env.pool);
  grassroots::volunteer::LedgerHandler ledger_handler(env, ledger, invariants);
  grassroots::volunteer::VolunteerStore volunteers(*env.pool, *env.changes, **cipher);
  grassroots::volunteer::VolunteerHandler volunteer_handler(env, volunteers, metrics);
  grassroots::volunteer::ActivityStore activities(*env.pool, *env.changes);
  // careers answers for volunteers linked to a careers worker; the
  // service's own roster for the rest (and for all, without careers).
  grassroots::volunteer::RosterStore roster(*env.pool, *env.changes);
  grassroots::volunteer::RosterHandler roster_handler(env, roster);
  std::unique_ptr<grassroots::volunteer::CareersRoster> careers_roster;
  if (const std::string careers = config->GetString("careers-address"); !careers.empty()) {
    careers_roster = std::make_unique<grassroots::volunteer::CareersRoster>(
        grassroots::PeerChannel(careers), *env.principals, roster,
        absl::Milliseconds(careers_deadline_ms));
  }
  const grassroots::volunteer::WorkRoster& work_roster =
      careers_roster ? static_cast<const grassroots::volunteer::WorkRoster&>(*careers_roster)
                     : roster;
  grassroots::volunteer::AttendanceStore attendances(*env.pool, *env.changes, work_roster);
  grassroots::volunteer::ActivityHandler activity_handler(env, activities, attendances, metrics);
  grassroots::volunteer::SupermarketStore supermarket(*env.pool, *env.changes);
  grassroots::volunteer::SupermarketHandler supermarket_handler(env, supermarket, metrics);
  grassroots::volunteer::CreditStore credits(*env.pool, *env.changes);
  grassroots::volunteer::CreditHandler credit_handler(env, credits, metrics);
  grassroots::volunteer::CertificateStore certificates(*env.pool, *env.changes);
  grassroots::volunteer::CertificateHandler certificate_handler(env, certificates, *env.clock);
  grassroots::volunteer::WishStore wishes(*env.pool, *env.changes);
  grassroots::volunteer::WishHandler wish_handler(env, wishes, metrics);
  grassroots::volunteer::WishSweeper wish_sweeper(env, wishes, *env.clock, (*host)->registry(),
                                                  absl::Milliseconds(wish_sweep_ms),
                                                  /*batch=*/200);
  (*host)->AddReadinessStep("sweep due micro-wishes", [&wish_sweeper] {
    wish_sweeper.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&wish_sweeper] { wish_sweeper.Stop(); });
  grassroots::volunteer::ExpiryStore expiry(*env.pool, *env.changes);
  grassroots::volunteer::ExpiryHandler expiry_handler(env, expiry, *env.clock, metrics);
  grassroots::volunteer::ExpirySweeper expiry_sweeper(
      env, expiry, *env.clock, metrics, (*host)->registry(), absl::Milliseconds(expiry_ms));
  (*host)->AddReadinessStep("expire old points", [&expiry_sweeper] {
    expiry_sweeper.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&expiry_sweeper] { expiry_sweeper.Stop(); });
  grassroots::ChangeFeedHandler<grassroots::volunteer::v1::ChangeFeedService> feed(env);
  (*host)->AddService(&ledger_handler);
  (*host)->AddService(&volunteer_handler);
  (*host)->AddService(&activity_handler);
  (*host)->AddService(&supermarket_handler);
  (*host)->AddService(&credit_handler);
  (*host)->AddService(&wish_handler);
  (*host)->AddService(&certificate_handler);
  (*host)->AddService(&expiry_handler);
  (*host)->AddService(&roster_handler);
  (*host)->AddService(&feed);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "volunteer: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
