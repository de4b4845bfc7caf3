#include "services/volunteer/business_metrics.h"

#include "common/time/proto_time.h"
#include "services/volunteer/wish_rules.h"

namespace grassroots::volunteer {
namespace {

prometheus::Family<prometheus::Counter>& Family(prometheus::Registry& registry, const char* name,
                                                const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

void Add(prometheus::Family<prometheus::Counter>& family, absl::string_view community_path,
         int64_t n) {
  if (n <= 0) return;
  family.Add({{"street", StreetOf(community_path)}}).Increment(static_cast<double>(n));
}

}  // namespace

bool MadeBy(const google::protobuf::Timestamp& time, const WriteContext& write) {
  return FromProtoTime(time) == absl::FromUnixMicros(absl::ToUnixMicros(write.now));
}

BusinessMetrics::BusinessMetrics(prometheus::Registry& registry)
    : issued_(Family(registry, "volunteer_points_issued_total",
                     "Points moved out of communities' issuing accounts to volunteers")),
      redeemed_(Family(registry, "volunteer_points_redeemed_total",
                       "Points spent at love supermarkets (before cancellations)")),
      expired_(Family(registry, "volunteer_points_expired_total",
                      "Points moved to communities' expiry accounts for age")),
      redemptions_(
          Family(registry, "volunteer_redemptions_total", "Redemptions at love supermarkets")),
      cancellations_(Family(registry, "volunteer_redemptions_cancelled_total",
                            "Redemptions cancelled (points and stock given back)")),
      sign_ups_(Family(registry, "volunteer_sign_ups_total", "Sign-ups for activities")),
      volunteers_(
          Family(registry, "volunteer_volunteers_registered_total", "Volunteers registered")) {}

void BusinessMetrics::PointsIssued(absl::string_view path, int64_t points) {
  Add(issued_, path, points);
}
void BusinessMetrics::PointsRedeemed(absl::string_view path, int64_t points) {
  Add(redeemed_, path, points);
}
void BusinessMetrics::PointsExpired(absl::string_view path, int64_t points) {
  Add(expired_, path, points);
}
void BusinessMetrics::Redemption(absl::string_view path) { Add(redemptions_, path, 1); }
void BusinessMetrics::RedemptionCancelled(absl::string_view path) { Add(cancellations_, path, 1); }
void BusinessMetrics::SignUp(absl::string_view path) { Add(sign_ups_, path, 1); }
void BusinessMetrics::VolunteerRegistered(absl::string_view path) { Add(volunteers_, path, 1); }

}  // namespace grassroots::volunteer
