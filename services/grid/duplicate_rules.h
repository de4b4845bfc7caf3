#pragma once

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

// A report at `reported` near an open case reported at `open_reported`.
bool IsDuplicate(double distance_meters, int radius_meters, absl::Time open_reported,
                 absl::Time reported, int window_minutes);

}  // namespace grassroots::grid
