#include "services/gateway/open311_services.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/gateway/open311_json.h"

namespace grassroots::gateway {
namespace {

using google::protobuf::Value;
using grid::v1::Case;
using grid::v1::CaseCategory;

void Set(Value* object, const std::string& key, Value value) {
  (*object->mutable_struct_value()->mutable_fields())[key] = std::move(value);
}

Value Group(Case::Kind kind) {
  std::string name = Case::Kind_Name(kind);
  absl::AsciiStrToLower(&name);
  return JsonString(name);
}

absl::StatusOr<double> Coordinate(const Open311Params& params, const std::string& name,
                                  double limit) {
  double value = 0;
  if (!absl::SimpleAtod(params.Get(name), &value) || value < -limit || value > limit) {
    return InvalidField(name, "COORDINATE_INVALID",
                        absl::StrCat("must be a number of degrees from -", limit, " to ", limit));
  }
  return value;
}

// grid's field names and the Open311 parameters they come from.
const std::vector<std::pair<std::string, std::string>>& FieldNames() {
  static const auto* const kNames =
      new std::vector<std::pair<std::string, std::string>>{{"case.category_code", "service_code"},
                                                           {"case.latitude", "lat"},
                                                           {"case.longitude", "long"},
                                                           {"case.address", "address_string"},
                                                           {"case.description", "description"},
                                                           {"case.grid_id", "jurisdiction_id"},
                                                           {"case.photo_refs", "media_url"},
                                                           {"case.reporter_ref", "account_id"},
                                                           {"case.extra_fields[", "attribute["},
                                                           {"request_id", "request_id"}};
  return *kNames;
}

}  // namespace

std::string ServicesJson(const grid::v1::ListCategoriesResponse& categories) {
  Value list;
  auto* values = list.mutable_list_value();
  for (const CaseCategory& category : categories.categories()) {
    Value service;
    Set(&service, "service_code", JsonString(category.code()));
    Set(&service, "service_name", JsonString(category.name()));
    Set(&service, "description", JsonString(category.name()));
    Set(&service, "metadata", JsonBool(category.extra_fields_size() > 0));
    Set(&service, "type", JsonString("realtime"));
    Set(&service, "keywords", JsonString(""));
    Set(&service, "group", Group(category.kind()));
    *values->add_values() = std::move(service);
  }
  return ToJsonText(list);
}

std::string ServiceDefinitionJson(const CaseCategory& category) {
  Value definition;
  Set(&definition, "service_code", JsonString(category.code()));
  Value attributes;
  attributes.mutable_list_value();
  int order = 0;
  for (const grid::v1::ExtraField& field : category.extra_fields()) {
    Value attribute;
    Set(&attribute, "variable", JsonBool(true));
    Set(&attribute, "code", JsonString(field.key()));
    Set(&attribute, "datatype",
        JsonString(field.choices_size() > 0 ? "singlevaluelist" : "string"));
    Set(&attribute, "required", JsonBool(field.required()));
    Set(&attribute, "datatype_description", JsonString(""));
    Set(&attribute, "order", JsonNumber(++order));
    Set(&attribute, "description", JsonString(field.label()));
    Value choices;
    choices.mutable_list_value();
    for (const std::string& choice : field.choices()) {
      Value entry;
      Set(&entry, "key", JsonString(choice));
      Set(&entry, "name", JsonString(choice));
      *choices.mutable_list_value()->add_values() = std::move(entry);
    }
    Set(&attribute, "values", std::move(choices));
    *attributes.mutable_list_value()->add_values() = std::move(attribute);
  }
  Set(&definition, "attributes", std::move(attributes));
  return ToJsonText(definition);
}

absl::StatusOr<grid::v1::ReportCaseRequest> ToReportCase(const Open311Params& params,
                                                         const CaseCategory& category) {
  grid::v1::ReportCaseRequest request;
  Case* report = request.mutable_case_();
  report->set_kind(category.kind());
  report->set_source(Case::RESIDENT);
  report->set_category_code(category.code());
  const std::string& grid =
      params.Has("jurisdiction_id") ? params.Get("jurisdiction_id") : params.Get("grid_id");
  if (grid.empty()) {
    return InvalidField("jurisdiction_id", "GRID_REQUIRED",
                        "required: the grid the request is for (grid_id is accepted too)");
  }
  report->set_grid_id(grid);
  if (params.Has("lat") || params.Has("long")) {
    auto lat = Coordinate(params, "lat", 90);
    if (!lat.ok()) return lat.status();
    auto lon = Coordinate(params, "long", 180);
    if (!lon.ok()) return lon.status();
    report->set_latitude(*lat);
    report->set_longitude(*lon);
  }
  report->set_address(params.Get("address_string"));
  report->set_description(params.Get("description"));
  if (!params.Get("media_url").empty()) report->add_photo_refs(params.Get("media_url"));
  const std::string& account = params.Get("account_id");
  const std::string& device = params.Get("device_id");
  report->set_reporter_ref(!account.empty() ? account : !device.empty() ? device : "open311");
  for (const auto& [key, value] : params.attributes) (*report->mutable_extra_fields())[key] = value;
  request.set_request_id(params.Get("request_id"));
  return request;
}

std::string PostedJson(const grid::v1::ReportCaseResponse& posted) {
  Value entry;
  Set(&entry, "service_request_id", JsonString(posted.case_().id()));
  Set(&entry, "service_notice",
      JsonString(posted.duplicate()
                     ? "an open request of this service nearby already reports it: this is "
                       "that request, and you follow it"
                     : "reported: the supervision centre registers it next"));
  Set(&entry, "account_id", JsonNull());
  Value list;
  *list.mutable_list_value()->add_values() = std::move(entry);
  return ToJsonText(list);
}

std::string WithOpen311FieldNames(const std::string& message) {
  for (const auto& [ours, theirs] : FieldNames()) {
    if (absl::StartsWith(message, ours)) return theirs + message.substr(ours.size());
  }
  return message;
}

}  // namespace grassroots::gateway
