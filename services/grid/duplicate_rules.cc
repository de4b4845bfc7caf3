#include "services/grid/duplicate_rules.h"

#include <algorithm>
#include <cmath>

namespace grassroots::grid {
namespace {

constexpr double kEarthRadiusMeters = 6371008.8;  // mean radius
constexpr double kPi = 3.14159265358979323846;

double Radians(double degrees) { return degrees * kPi / 180.0; }

}  // namespace

double DistanceMeters(double lat1, double lon1, double lat2, double lon2) {
  const double dlat = Radians(lat2 - lat1);
  const double dlon = Radians(lon2 - lon1);
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(Radians(lat1)) * std::cos(Radians(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusMeters * std::asin(std::min(1.0, std::sqrt(a)));
}

BoundingBox BoxAround(double latitude, double longitude, double radius_meters) {
  const double dlat = radius_meters / kEarthRadiusMeters * 180.0 / kPi;
  // Near the poles a degree of longitude shrinks to nothing: take all of them.
  const double cos_lat = std::cos(Radians(std::min(89.0, std::abs(latitude) + dlat)));
  const double dlon = std::min(180.0, dlat / cos_lat);
  return BoundingBox{latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon};
}

bool IsDuplicate(double distance_meters, int radius_meters, absl::Time open_reported,
                 absl::Time reported, int window_minutes) {
  if (radius_meters <= 0) return false;
  if (distance_meters > radius_meters) return false;
  return reported >= open_reported && reported - open_reported <= absl::Minutes(window_minutes);
}

}  // namespace grassroots::grid
