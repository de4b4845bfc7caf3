// dualreg: dual registration of employers and in-service party members,
// the three lists (orders, dispatch, take) and the outbox that credits
// volunteer and publishes unmatched needs to orgs. Wiring only.
#include <cppconn/driver.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/changes/change_feed_handler.h"
#include "common/server/background_loop.h"
#include "common/server/balanced_channel.h"
#include "common/server/service_host.h"
#include "grassroots/dualreg/v1/feed.grpc.pb.h"
#include "services/dualreg/business_metrics.h"
#include "services/dualreg/delivery_relay.h"
#include "services/dualreg/evaluation_handler.h"
#include "services/dualreg/order_handler.h"
#include "services/dualreg/post_handler.h"
#include "services/dualreg/registration_handler.h"
#include "services/dualreg/report_handler.h"

namespace grassroots::db {
const MigrationSet& dualreg_migrations();
}

namespace {

using grassroots::ConfigOption;

// One integer option with its allowed range.
struct Bounded {
  const char* name;
  const char* default_value;
  int64_t min, max;
  const char* help;
};

constexpr Bounded kBounded[] = {
    {"orgs-deadline-ms", "2000", 100, 30000, "deadline of each call to orgs"},
    {"volunteer-deadline-ms", "2000", 100, 30000, "deadline of each credit sent to volunteer"},
    {"take-within-minutes", "120", 5, 10080,
     "an order dispatched and not taken by then is overdue"},
    {"complete-grace-minutes", "1440", 0, 10080,
     "an order taken and not completed this long after its requested end is overdue"},
    {"local-utc-offset-minutes", "480", -720, 840, "local time of members' availability slots"},
    {"points-per-order", "5", 0, 1000, "points a confirmed order credits its member in volunteer"},
    {"relay-interval-ms", "500", 50, 60000, "how often the outbox is delivered"},
    {"relay-max-backoff-ms", "30000", 100, 600000,
     "longest wait between attempts of one delivery while its receiver is away"},
    {"overdue-sweep-interval-ms", "1000", 100, 60000, "how often overdue orders are flagged"},
};

}  // namespace

int main(int argc, char** argv) {
  grassroots::ServiceHost::BlockStopSignals();
  get_driver_instance();  // its first call is not thread-safe
  auto options = grassroots::ServiceHost::StandardOptions(/*default_grpc_port=*/7105,
                                                          /*default_metrics_port=*/9105);
  options.push_back({"orgs-address", ConfigOption::Kind::kString, "127.0.0.1:7101",
                     "the orgs service (communities, organisations, members), host:port"});
  options.push_back({"volunteer-address", ConfigOption::Kind::kString, "127.0.0.1:7103",
                     "the volunteer service (hours and points), host:port"});
  for (const Bounded& b : kBounded) {
    options.push_back({b.name, ConfigOption::Kind::kInt, b.default_value,
                       absl::StrCat(b.help, " (", b.min, " to ", b.max, ")")});
  }
  auto config = grassroots::Config::FromProcess(options, argc, argv);
  if (!config.ok()) {
    std::fprintf(stderr, "dualreg: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  for (const Bounded& b : kBounded) {
    const int64_t value = config->GetInt(b.name);
    if (value < b.min || value > b.max) {
      std::fprintf(stderr, "dualreg: --%s must be between %lld and %lld\n", b.name,
                   static_cast<long long>(b.min), static_cast<long long>(b.max));
      return 2;
    }
  }
  auto host =
      grassroots::ServiceHost::Create("dualreg", *config, {&grassroots::db::dualreg_migrations()});
  if (!host.ok()) {
    std::fprintf(stderr, "dualreg: %s\n", std::string(host.status().message()).c_str());
    return 2;
  }
  if ((*host)->migrate_only()) {
    auto status = (*host)->MigrateOnly();
    if (!status.ok()) std::fprintf(stderr, "dualreg: %s\n", status.ToString().c_str());
    return status.ok() ? 0 : 1;
  }
  const grassroots::ServiceEnv& env = (*host)->env();
  auto orgs_channel = grassroots::PeerChannel(config->GetString("orgs-address"));
  auto volunteer_channel = grassroots::PeerChannel(config->GetString("volunteer-address"));
  grassroots::dualreg::OrgsDirectory orgs(orgs_channel,
                                          absl::Milliseconds(config->GetInt("orgs-deadline-ms")));
  grassroots::dualreg::BusinessMetrics metrics((*host)->registry());
  grassroots::dualreg::RegistrationStore registrations(*env.pool, *env.changes);
  grassroots::dualreg::RegistrationHandler registration_handler(env, registrations, orgs, metrics);
  grassroots::dualreg::OrderClock order_clock{
      absl::Minutes(config->GetInt("take-within-minutes")),
      absl::Minutes(config->GetInt("complete-grace-minutes")),
      absl::Minutes(config->GetInt("local-utc-offset-minutes"))};
  grassroots::dualreg::OrderStore orders(*env.pool, *env.changes, order_clock,
                                         static_cast<int>(config->GetInt("points-per-order")));
  grassroots::dualreg::OrderHandler order_handler(env, orders, orgs, metrics);
  grassroots::dualreg::PostStore posts(*env.pool, *env.changes);
  grassroots::dualreg::PostHandler post_handler(env, posts, orgs, metrics);
  grassroots::dualreg::PairingHandler pairing_handler(env, posts, metrics);
  grassroots::dualreg::ReportStore reports(*env.pool, *env.changes);
  grassroots::dualreg::ReportHandler report_handler(env, reports, metrics);
  grassroots::dualreg::EvaluationStore evaluations(*env.pool, *env.changes);
  grassroots::dualreg::EvaluationHandler evaluation_handler(env, evaluations, metrics);
  grassroots::dualreg::DeliveryStore deliveries(*env.pool);
  grassroots::dualreg::DeliveryRelay::Options relay_options;
  relay_options.interval = absl::Milliseconds(config->GetInt("relay-interval-ms"));
  relay_options.deadline = absl::Milliseconds(config->GetInt("volunteer-deadline-ms"));
  relay_options.max_backoff = absl::Milliseconds(config->GetInt("relay-max-backoff-ms"));
  grassroots::dualreg::DeliveryRelay relay(env, deliveries, volunteer_channel, orgs_channel,
                                           (*host)->registry(), relay_options);
  prometheus::Counter& sweep_failures = prometheus::BuildCounter()
                                            .Name("dualreg_overdue_sweep_failures_total")
                                            .Help("Overdue sweeps that could not run")
                                            .Register((*host)->registry())
                                            .Add({});
  grassroots::BackgroundLoop sweeper(
      *env.log, "flag overdue orders", sweep_failures,
      absl::Milliseconds(config->GetInt("overdue-sweep-interval-ms")), [&orders, &metrics, &env] {
        const grassroots::WriteContext write{"dualreg:sweeper", "", env.clock->Now()};
        return grassroots::dualreg::SweepOverdueOrders(orders, metrics, write, /*limit=*/200);
      });
  (*host)->AddReadinessStep("deliver the outbox and flag overdue orders", [&relay, &sweeper] {
    relay.Start();
    sweeper.Start();
    return absl::OkStatus();
  });
  (*host)->AddStopHook([&relay, &sweeper] {
    relay.Stop();
    sweeper.Stop();
  });
  grassroots::ChangeFeedHandler<grassroots::dualreg::v1::ChangeFeedService> feed(env);
  (*host)->AddService(&registration_handler);
  (*host)->AddService(&order_handler);
  (*host)->AddService(&post_handler);
  (*host)->AddService(&pairing_handler);
  (*host)->AddService(&report_handler);
  (*host)->AddService(&evaluation_handler);
  (*host)->AddService(&feed);
  auto status = (*host)->Run();
  if (!status.ok()) {
    std::fprintf(stderr, "dualreg: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
