#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/gateway/open311_params.h"

namespace grassroots::gateway {

// Open311 GeoReport v2 service requests from grid's cases. Pure mapping,
// no I/O.

// Open311 knows two states: a case is "closed" once closed, evaluated,
// rejected or merged into another; "open" before.
bool IsOpen311Closed(grid::v1::Case::State state);

// Names the answer shows besides the case: service_name by category code,
// agency_responsible by department id (the id itself when unknown).
struct Open311Names {
  std::map<std::string, std::string> services;
  std::map<std::string, std::string> agencies;
};

// One request with the standard fields: service_request_id, status,
// status_notes (the last step's note), service_name, service_code,
// description, agency_responsible, service_notice, requested_datetime,
// updated_datetime, expected_datetime (the waiting step's deadline while
// open), address, address_id, zipcode, lat, long, media_url; and
// "workflow_state", grid's finer state, for clients that want it.
std::string RequestJson(const grid::v1::Case& c, const Open311Names& names,
                        const std::string& status_notes);
// [request, ...] with no status notes (one call per case would be needed).
std::string RequestsJson(const std::vector<grid::v1::Case>& cases, const Open311Names& names);

// GET requests.json's filters: service_request_id (comma separated, which
// overrides the others, as the spec says), service_code, start_date and
// end_date (ISO 8601; requested in [start, end)), status (open or closed).
struct RequestFilter {
  std::vector<std::string> ids;
  std::set<std::string> service_codes;
  std::optional<absl::Time> start, end;
  std::optional<bool> closed;
};
absl::StatusOr<RequestFilter> ReadRequestFilter(const Open311Params& params);
bool Matches(const RequestFilter& filter, const grid::v1::Case& c);

// GET requests/{id}/history.json: the case's timeline, oldest first, each
// step as {service_request_id, status, workflow_state, status_notes,
// updated_datetime, action} (who took it stays with staff).
std::string HistoryJson(const std::string& case_id, const std::vector<grid::v1::CaseStep>& steps);

}  // namespace grassroots::gateway
