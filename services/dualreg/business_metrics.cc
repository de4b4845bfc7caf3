#include "services/dualreg/business_metrics.h"

#include "common/time/proto_time.h"

namespace grassroots::dualreg {
namespace {

prometheus::Family<prometheus::Counter>& Family(prometheus::Registry& registry, const char* name,
                                                const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

void Add(prometheus::Family<prometheus::Counter>& family, absl::string_view community_path,
         double n) {
  if (n <= 0) return;
  family.Add({{"street", StreetOf(community_path)}}).Increment(n);
}

}  // namespace

bool MadeBy(const google::protobuf::Timestamp& time, const WriteContext& write) {
  return absl::ToUnixMicros(FromProtoTime(time)) == absl::ToUnixMicros(write.now);
}

BusinessMetrics::BusinessMetrics(prometheus::Registry& registry)
    : units_(Family(registry, "dualreg_units_registered_total",
                    "Employers registered with the community where they sit")),
      members_(Family(registry, "dualreg_members_registered_total",
                      "In-service members registered with the community where they live")),
      placed_(Family(registry, "dualreg_orders_placed_total", "Residents' orders placed")),
      confirmed_(Family(registry, "dualreg_orders_confirmed_total",
                        "Orders completed and confirmed by the resident who ordered them")),
      served_(Family(registry, "dualreg_order_service_seconds_total",
                     "Time members served on confirmed orders")),
      claims_(Family(registry, "dualreg_posts_claimed_total", "Service posts claimed by members")),
      pairings_(Family(registry, "dualreg_pairings_made_total",
                       "Members paired with a household in need")),
      visits_(Family(registry, "dualreg_pairing_visits_total", "Visits recorded on pairings")),
      evaluations_(Family(registry, "dualreg_evaluations_recorded_total",
                          "Yearly evaluations of registered members recorded")),
      reports_(Family(registry, "dualreg_employer_reports_delivered_total",
                      "Reports on members' service delivered to their employers")),
      overdue_(Family(registry, "dualreg_orders_flagged_overdue_total",
                      "Orders flagged overdue: not taken, or not completed, in time")
                   .Add({})) {}

void BusinessMetrics::UnitRegistered(absl::string_view path) { Add(units_, path, 1); }
void BusinessMetrics::MemberRegistered(absl::string_view path) { Add(members_, path, 1); }
void BusinessMetrics::OrderPlaced(absl::string_view path) { Add(placed_, path, 1); }
void BusinessMetrics::OrderConfirmed(absl::string_view path, int minutes) {
  Add(confirmed_, path, 1);
  Add(served_, path, 60.0 * minutes);
}
void BusinessMetrics::PostClaimed(absl::string_view path) { Add(claims_, path, 1); }
void BusinessMetrics::PairingMade(absl::string_view path) { Add(pairings_, path, 1); }
void BusinessMetrics::VisitRecorded(absl::string_view path) { Add(visits_, path, 1); }
void BusinessMetrics::EvaluationRecorded(absl::string_view path) { Add(evaluations_, path, 1); }
void BusinessMetrics::EmployerReportDelivered(absl::string_view path) { Add(reports_, path, 1); }
void BusinessMetrics::OrdersFlaggedOverdue(int orders) {
  if (orders > 0) overdue_.Increment(orders);
}

}  // namespace grassroots::dualreg
