#pragma once

#include <cstdint>
#include <vector>

#include "absl/time/time.h"

namespace grassroots::grid {

// Whether a new report repeats an open case (同一地点重复上报): the same
// category within the category's radius and window. Pure rules, no I/O.

// Great-circle distance in metres between two WGS 84 points (haversine).
double DistanceMeters(double lat1, double lon1, double lat2, double lon2);

// The latitude and longitude box holding every point within `radius_meters`
// of the centre, for an indexed pre-filter before DistanceMeters.
struct BoundingBox {
  double min_latitude, max_latitude, min_longitude, max_longitude;
};
BoundingBox BoxAround(double latitude, double longitude, double radius_meters);

// The duplicate search's index cell of a point: squares of 1/1000 degree
// (about 110 m north-south), so a report's box touches a handful of cells
// and the search reads only the cases in them, not every recent case of its
// category in its part of town. The same formula is the `geo_cell` column
// that migration 0022 generates from each case's latitude and longitude: the
// two must stay equal.
int64_t GeoCell(double latitude, double longitude);

// Every cell the box touches, or nothing when that is more than `max_cells`
// (a wide radius: the caller searches the category without cells).
std::vector<int64_t> CellsCovering(const BoundingBox& box, int max_cells);

// A report at `reported` near an open case reported at `open_reported`.
bool IsDuplicate(double distance_meters, int radius_meters, absl::Time open_reported,
                 absl::Time reported, int window_minutes);

}  // namespace grassroots::grid
