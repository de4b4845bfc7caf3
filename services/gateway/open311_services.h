#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/gateway/open311_params.h"

namespace grassroots::gateway {

// Open311 GeoReport v2 services and posted requests from and to grid's
// case categories and reports. Pure mapping, no I/O.

// GET services.json: one service a category; "metadata" is true when the
// category asks for extra fields, its "group" is the case kind.
std::string ServicesJson(const grid::v1::ListCategoriesResponse& categories);

// GET services/{code}.json: the category's extra fields as attributes
// ("singlevaluelist" with its choices, else "string").
std::string ServiceDefinitionJson(const grid::v1::CaseCategory& category);

// POST requests.json: the report a request makes. service_code is the
// category; lat and long the place (WGS 84); address_string, description,
// attribute[key] (the category's extra fields) and media_url (a photo
// reference) as named; jurisdiction_id (or grid_id) the grid; account_id
// (else device_id) the reporter as the client knows them; request_id makes
// it idempotent. Contact details (email, names, phone) are not kept: they
// stay with the client. Errors name the Open311 parameter.
absl::StatusOr<grid::v1::ReportCaseRequest> ToReportCase(const Open311Params& params,
                                                         const grid::v1::CaseCategory& category);

// [{"service_request_id":..., "service_notice":...}].
std::string PostedJson(const grid::v1::ReportCaseResponse& posted);

// grid's field in an error message, as the Open311 parameter it came from:
// "case.latitude: ..." becomes "lat: ...".
std::string WithOpen311FieldNames(const std::string& message);

}  // namespace grassroots::gateway
