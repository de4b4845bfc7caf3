#include "services/grid/duplicate_rules.h"

#include <algorithm>
#include <cmath>

namespace grassroots::grid {
namespace {

constexpr double kEarthRadiusMeters = 6371008.8;  // mean radius
constexpr double kPi = 3.14159265358979323846;

double Radians(double degrees) { return degrees * kPi / 180.0; }

constexpr double kCellsPerDegree = 1000.0;
constexpr int kLongitudeCells = 360001;  // 0 to 360 x 1000, inclusive
constexpr int kLatitudeCells = 180001;

int LatitudeIndex(double latitude) {
  return static_cast<int>(std::floor((latitude + 90.0) * kCellsPerDegree));
}
int LongitudeIndex(double longitude) {
  return static_cast<int>(std::floor((longitude + 180.0) * kCellsPerDegree));
}

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

int64_t GeoCell(double latitude, double longitude) {
  return int64_t{LatitudeIndex(latitude)} * kLongitudeCells + LongitudeIndex(longitude);
}

std::vector<int64_t> CellsCovering(const BoundingBox& box, int max_cells) {
  // A hair wider than the box: a point on a cell edge is in the cell either
  // rounding picks.
  constexpr double kEdge = 1e-9;
  const int lat_from = std::max(0, LatitudeIndex(box.min_latitude - kEdge));
  const int lat_to = std::min(kLatitudeCells - 1, LatitudeIndex(box.max_latitude + kEdge));
  const int lon_from = std::max(0, LongitudeIndex(box.min_longitude - kEdge));
  const int lon_to = std::min(kLongitudeCells - 1, LongitudeIndex(box.max_longitude + kEdge));
  const long long count =
      static_cast<long long>(lat_to - lat_from + 1) * static_cast<long long>(lon_to - lon_from + 1);
  if (lat_to < lat_from || lon_to < lon_from || count > max_cells) return {};
  std::vector<int64_t> cells;
  cells.reserve(static_cast<size_t>(count));
  for (int lat = lat_from; lat <= lat_to; ++lat) {
    for (int lon = lon_from; lon <= lon_to; ++lon) {
      cells.push_back(int64_t{lat} * kLongitudeCells + lon);
    }
  }
  return cells;
}

bool IsDuplicate(double distance_meters, int radius_meters, absl::Time open_reported,
                 absl::Time reported, int window_minutes) {
  if (radius_meters <= 0) return false;
  if (distance_meters > radius_meters) return false;
  return reported >= open_reported && reported - open_reported <= absl::Minutes(window_minutes);
}

}  // namespace grassroots::grid
