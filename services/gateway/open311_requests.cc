#include "services/gateway/open311_requests.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/gateway/open311_json.h"

namespace grassroots::gateway {
namespace {

using google::protobuf::Value;
using grid::v1::Case;

void Set(Value* object, const std::string& key, Value value) {
  (*object->mutable_struct_value()->mutable_fields())[key] = std::move(value);
}

Value TextOrNull(const std::string& text) { return text.empty() ? JsonNull() : JsonString(text); }

Value Status(Case::State state) { return JsonString(IsOpen311Closed(state) ? "closed" : "open"); }

const std::string& NameOr(const std::map<std::string, std::string>& names, const std::string& key) {
  auto it = names.find(key);
  return it == names.end() ? key : it->second;
}

Value RequestValue(const Case& c, const Open311Names& names, const std::string& status_notes) {
  Value request;
  Set(&request, "service_request_id", JsonString(c.id()));
  Set(&request, "status", Status(c.state()));
  Set(&request, "workflow_state", JsonString(Case::State_Name(c.state())));
  Set(&request, "status_notes", TextOrNull(status_notes));
  Set(&request, "service_name", JsonString(NameOr(names.services, c.category_code())));
  Set(&request, "service_code", JsonString(c.category_code()));
  Set(&request, "description", JsonString(c.description()));
  Set(&request, "agency_responsible", TextOrNull(NameOr(names.agencies, c.department_id())));
  Set(&request, "service_notice", JsonNull());
  Set(&request, "requested_datetime", JsonTime(FromProtoTime(c.create_time())));
  Set(&request, "updated_datetime", JsonTime(FromProtoTime(c.update_time())));
  Set(&request, "expected_datetime",
      c.has_step_due_time() && !IsOpen311Closed(c.state())
          ? JsonTime(FromProtoTime(c.step_due_time()))
          : JsonNull());
  Set(&request, "address", TextOrNull(c.address()));
  Set(&request, "address_id", JsonNull());
  Set(&request, "zipcode", JsonNull());
  Set(&request, "lat", JsonNumber(c.latitude()));
  Set(&request, "long", JsonNumber(c.longitude()));
  Set(&request, "media_url", c.photo_refs_size() > 0 ? JsonString(c.photo_refs(0)) : JsonNull());
  return request;
}

absl::StatusOr<std::optional<absl::Time>> ReadDate(const Open311Params& params,
                                                   const std::string& name) {
  if (!params.Has(name)) return std::nullopt;
  absl::Time time;
  std::string error;
  // The spec's W3C format with an offset, or a plain date.
  if (absl::ParseTime(absl::RFC3339_full, params.Get(name), &time, &error) ||
      absl::ParseTime("%Y-%m-%d", params.Get(name), absl::UTCTimeZone(), &time, &error)) {
    return time;
  }
  return InvalidField(name, "DATE_INVALID",
                      "must be an ISO 8601 time such as 2026-12-01T00:00:00Z, or a date");
}

}  // namespace

bool IsOpen311Closed(Case::State state) {
  return state == Case::CLOSED || state == Case::EVALUATED || state == Case::REJECTED ||
         state == Case::MERGED;
}

std::string RequestJson(const Case& c, const Open311Names& names, const std::string& status_notes) {
  Value list;
  *list.mutable_list_value()->add_values() = RequestValue(c, names, status_notes);
  return ToJsonText(list);
}

std::string RequestsJson(const std::vector<Case>& cases, const Open311Names& names) {
  Value list;
  list.mutable_list_value();
  for (const Case& c : cases) *list.mutable_list_value()->add_values() = RequestValue(c, names, "");
  return ToJsonText(list);
}

absl::StatusOr<RequestFilter> ReadRequestFilter(const Open311Params& params) {
  RequestFilter filter;
  for (absl::string_view id :
       absl::StrSplit(params.Get("service_request_id"), ',', absl::SkipWhitespace())) {
    filter.ids.emplace_back(absl::StripAsciiWhitespace(id));
  }
  for (absl::string_view code :
       absl::StrSplit(params.Get("service_code"), ',', absl::SkipWhitespace())) {
    filter.service_codes.emplace(absl::StripAsciiWhitespace(code));
  }
  auto start = ReadDate(params, "start_date");
  if (!start.ok()) return start.status();
  filter.start = *start;
  auto end = ReadDate(params, "end_date");
  if (!end.ok()) return end.status();
  filter.end = *end;
  if (params.Has("status")) {
    const std::string& status = params.Get("status");
    if (status != "open" && status != "closed") {
      return InvalidField("status", "STATUS_INVALID", "must be open or closed");
    }
    filter.closed = status == "closed";
  }
  return filter;
}

bool Matches(const RequestFilter& filter, const Case& c) {
  if (!filter.service_codes.empty() && !filter.service_codes.contains(c.category_code())) {
    return false;
  }
  const absl::Time requested = FromProtoTime(c.create_time());
  if (filter.start && requested < *filter.start) return false;
  if (filter.end && requested >= *filter.end) return false;
  if (filter.closed && *filter.closed != IsOpen311Closed(c.state())) return false;
  return true;
}

std::string HistoryJson(const std::string& case_id, const std::vector<grid::v1::CaseStep>& steps) {
  Value list;
  list.mutable_list_value();
  for (const grid::v1::CaseStep& step : steps) {
    Value entry;
    Set(&entry, "service_request_id", JsonString(case_id));
    Set(&entry, "status", Status(step.to_state()));
    Set(&entry, "workflow_state", JsonString(Case::State_Name(step.to_state())));
    Set(&entry, "status_notes", TextOrNull(step.note()));
    Set(&entry, "updated_datetime", JsonTime(FromProtoTime(step.time())));
    Set(&entry, "action", JsonString(step.action()));
    *list.mutable_list_value()->add_values() = std::move(entry);
  }
  return ToJsonText(list);
}

}  // namespace grassroots::gateway
