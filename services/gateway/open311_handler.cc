#include "services/gateway/open311_handler.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grassroots/grid/v1/case.pb.h"
#include "services/gateway/connect_protocol.h"
#include "services/gateway/open311_json.h"
#include "services/gateway/open311_requests.h"
#include "services/gateway/open311_services.h"

namespace grassroots::gateway {
namespace {

namespace v1 = grid::v1;

constexpr char kListCategories[] = "/grassroots.grid.v1.CaseSetupService/ListCategories";
constexpr char kGetCategory[] = "/grassroots.grid.v1.CaseSetupService/GetCategory";
constexpr char kListDepartments[] = "/grassroots.grid.v1.CaseSetupService/ListDepartments";
constexpr char kReportCase[] = "/grassroots.grid.v1.CaseService/ReportCase";
constexpr char kGetCase[] = "/grassroots.grid.v1.CaseService/GetCase";
constexpr char kListCases[] = "/grassroots.grid.v1.CaseService/ListCases";
constexpr char kListCaseSteps[] = "/grassroots.grid.v1.CaseService/ListCaseSteps";
// Open311's answers are single pages: the newest cases a listing reads,
// and the steps a history shows.
constexpr int kMaxListed = 1000;

// One Open311 request, from the HTTP request until it is answered; the
// grid messages its calls fill live here.
struct Exchange {
  Open311Credentials who;
  Open311Params params;
  std::function<void(HttpResponse)> reply;
  v1::CaseCategory category;  // a posted request's service
  v1::ListCategoriesResponse categories;
  v1::ListDepartmentsResponse departments;
  v1::ListCasesResponse listed;
  v1::ReportCaseResponse posted;
  v1::Case one;
  v1::ListCaseStepsResponse steps;
  std::vector<v1::Case> found;
  std::vector<std::string> ids;  // the requests a listing names
  size_t next = 0;

  void Fail(const grpc::Status& status) { reply(Open311ErrorResponse(status)); }
  void Fail(const absl::Status& status) { Fail(ToGrpcStatus(status)); }
  void Answer(std::string body, int status = 200) {
    HttpResponse response;
    response.status = status;
    response.content_type = "application/json; charset=utf-8";
    response.body = std::move(body);
    reply(std::move(response));
  }
  Open311Names Names() const {
    Open311Names names;
    for (const auto& c : categories.categories()) names.services[c.code()] = c.name();
    for (const auto& d : departments.departments()) names.agencies[d.id()] = d.name();
    return names;
  }
};
using Shared = std::shared_ptr<Exchange>;

HttpResponse Open311Error(int http_status, const std::string& description) {
  HttpResponse response;
  response.status = http_status;
  response.content_type = "application/json; charset=utf-8";
  google::protobuf::Value error;
  auto& fields = *error.mutable_struct_value()->mutable_fields();
  fields["code"] = JsonNumber(http_status);
  fields["description"] = JsonString(description);
  google::protobuf::Value list;
  *list.mutable_list_value()->add_values() = std::move(error);
  response.body = ToJsonText(list);
  return response;
}

// The requests a listing names, one call each, in the order named; those
// not found are left out, as the spec lists only what it finds.
void FetchNamed(Open311Caller& caller, const Shared& ex, std::function<void(const Shared&)> done) {
  if (ex->next == ex->ids.size()) return done(ex);
  v1::GetCaseRequest get;
  get.set_id(ex->ids[ex->next++]);
  caller.Call(ex->who, kGetCase, get, &ex->one,
              [&caller, ex, done = std::move(done)](const grpc::Status& s) mutable {
                if (s.ok()) {
                  ex->found.push_back(ex->one);
                } else if (s.error_code() != grpc::StatusCode::NOT_FOUND &&
                           s.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
                  return ex->Fail(s);
                }
                FetchNamed(caller, ex, std::move(done));
              });
}

std::string GridIdOf(const Open311Params& params) {
  return params.Has("jurisdiction_id") ? params.Get("jurisdiction_id") : params.Get("grid_id");
}

}  // namespace

Open311Route RouteOpen311(absl::string_view method, absl::string_view path) {
  Open311Route route;
  if (!absl::ConsumePrefix(&path, kOpen311Prefix)) return route;
  if (absl::EndsWith(path, ".xml")) {
    route.kind = Open311Route::kNotJson;
    return route;
  }
  if (!absl::ConsumeSuffix(&path, ".json")) return route;
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  auto needs = [&](absl::string_view allowed, Open311Route::Kind kind) {
    if (method == allowed || (allowed == "GET" && method == "HEAD")) {
      route.kind = kind;
    } else {
      route.kind = Open311Route::kMethodNotAllowed;
      route.allow = std::string(allowed);
    }
    return route;
  };
  if (parts.size() == 1 && parts[0] == "services") return needs("GET", Open311Route::kServices);
  if (parts.size() == 2 && parts[0] == "services" && !parts[1].empty()) {
    route.id = std::string(parts[1]);
    return needs("GET", Open311Route::kServiceDefinition);
  }
  if (parts.size() == 1 && parts[0] == "requests") {
    if (method == "POST") {
      route.kind = Open311Route::kPostRequest;
      return route;
    }
    if (method == "GET" || method == "HEAD") {
      route.kind = Open311Route::kListRequests;
      return route;
    }
    route.kind = Open311Route::kMethodNotAllowed;
    route.allow = "GET, POST";
    return route;
  }
  if (parts.size() >= 2 && parts.size() <= 3 && parts[0] == "requests" && !parts[1].empty()) {
    route.id = std::string(parts[1]);
    if (parts.size() == 2) return needs("GET", Open311Route::kGetRequest);
    if (parts[2] == "history") return needs("GET", Open311Route::kRequestHistory);
  }
  return Open311Route{};
}

HttpResponse Open311ErrorResponse(const grpc::Status& status) {
  HttpResponse response = Open311Error(ConnectHttpStatus(status.error_code()),
                                       WithOpen311FieldNames(status.error_message()));
  if (auto seconds = RetryAfterSeconds(status)) {
    response.headers.emplace_back("Retry-After", *seconds);
  }
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"grassroots\"");
  }
  return response;
}

void Open311Handler::Handle(HttpRequest request, std::function<void(HttpResponse)> reply) {
  auto ex = std::make_shared<Exchange>();
  ex->who.request_id = RequestIdOr(request.Header("x-request-id"));
  ex->reply = [reply = std::move(reply), request_id = ex->who.request_id](HttpResponse response) {
    response.headers.emplace_back("X-Request-Id", request_id);
    reply(std::move(response));
  };
  const size_t question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  const absl::string_view query = question == std::string::npos
                                      ? absl::string_view()
                                      : absl::string_view(request.target).substr(question + 1);
  const Open311Route route = RouteOpen311(request.method, path);
  switch (route.kind) {
    case Open311Route::kNotFound:
      return ex->Fail(
          NotFound("ENDPOINT_NOT_FOUND", absl::StrCat(path,
                                                      ": no such Open311 endpoint (see /open311/v2/"
                                                      "services.json)")));
    case Open311Route::kNotJson:
      return ex->Fail(InvalidField("format", "FORMAT_UNSUPPORTED", "only .json is served"));
    case Open311Route::kMethodNotAllowed: {
      HttpResponse response =
          Open311Error(405, absl::StrCat(request.method, ": this endpoint takes ", route.allow));
      response.headers.emplace_back("Allow", route.allow);
      return ex->reply(std::move(response));
    }
    default:
      break;
  }
  auto params = ReadOpen311Params(query, request.body, request.Header("content-type"));
  if (!params.ok()) return ex->Fail(params.status());
  ex->params = *std::move(params);
  ex->who.api_key = ex->params.Has("api_key") ? ex->params.Get("api_key")
                                              : std::string(request.Header("x-api-key"));
  ex->who.authorization = std::string(request.Header("authorization"));
  ex->who.certificate_name = request.client_certificate_name;
  ex->who.traceparent = std::string(request.Header("traceparent"));

  // The call, then `next` when it succeeded; a failure answers the request.
  auto call = [this](const Shared& ex, const char* method, const google::protobuf::Message& in,
                     google::protobuf::Message* out, std::function<void()> next) {
    caller_.Call(ex->who, method, in, out, [ex, next = std::move(next)](const grpc::Status& s) {
      if (!s.ok()) return ex->Fail(s);
      next();
    });
  };
  // The call, then `next` whatever it answered: names an answer can do without.
  auto try_call = [this](const Shared& ex, const char* method, const google::protobuf::Message& in,
                         google::protobuf::Message* out, std::function<void()> next) {
    caller_.Call(ex->who, method, in, out,
                 [next = std::move(next)](const grpc::Status&) { next(); });
  };
  // The categories' and departments' names, then the answer `render` makes.
  auto with_names = [try_call](const Shared& ex, std::function<std::string()> render) {
    try_call(ex, kListCategories, v1::ListCategoriesRequest(), &ex->categories,
             [ex, try_call, render = std::move(render)] {
               try_call(ex, kListDepartments, v1::ListDepartmentsRequest(), &ex->departments,
                        [ex, render] { ex->Answer(render()); });
             });
  };

  switch (route.kind) {
    case Open311Route::kServices:
      return call(ex, kListCategories, v1::ListCategoriesRequest(), &ex->categories,
                  [ex] { ex->Answer(ServicesJson(ex->categories)); });
    case Open311Route::kServiceDefinition: {
      v1::GetCategoryRequest get;
      get.set_code(route.id);
      return call(ex, kGetCategory, get, &ex->category,
                  [ex] { ex->Answer(ServiceDefinitionJson(ex->category)); });
    }
    case Open311Route::kPostRequest: {
      const std::string& code = ex->params.Get("service_code");
      if (code.empty()) {
        return ex->Fail(InvalidField("service_code", "SERVICE_CODE_REQUIRED",
                                     "required: one of the codes services.json lists"));
      }
      v1::GetCategoryRequest get;
      get.set_code(code);
      return caller_.Call(
          ex->who, kGetCategory, get, &ex->category, [ex, call](const grpc::Status& s) {
            if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
              return ex->Fail(
                  InvalidField("service_code", "SERVICE_NOT_FOUND", "no service has this code"));
            }
            if (!s.ok()) return ex->Fail(s);
            auto report = ToReportCase(ex->params, ex->category);
            if (!report.ok()) return ex->Fail(report.status());
            call(ex, kReportCase, *report, &ex->posted,
                 [ex] { ex->Answer(PostedJson(ex->posted)); });
          });
    }
    case Open311Route::kListRequests: {
      auto filter = ReadRequestFilter(ex->params);
      if (!filter.ok()) return ex->Fail(filter.status());
      if (!filter->ids.empty()) {
        ex->ids = filter->ids;
        return FetchNamed(caller_, ex, [with_names](const Shared& ex) {
          with_names(ex, [ex] { return RequestsJson(ex->found, ex->Names()); });
        });
      }
      v1::ListCasesRequest list;
      list.set_grid_id(GridIdOf(ex->params));
      list.set_page_size(kMaxListed);
      return call(ex, kListCases, list, &ex->listed, [ex, with_names, filter = *std::move(filter)] {
        for (const auto& c : ex->listed.cases()) {
          if (Matches(filter, c)) ex->found.push_back(c);
        }
        with_names(ex, [ex] { return RequestsJson(ex->found, ex->Names()); });
      });
    }
    case Open311Route::kGetRequest: {
      v1::GetCaseRequest get;
      get.set_id(route.id);
      return call(ex, kGetCase, get, &ex->one, [ex, call, with_names] {
        v1::ListCaseStepsRequest steps;
        steps.set_case_id(ex->one.id());
        steps.set_page_size(kMaxListed);
        call(ex, kListCaseSteps, steps, &ex->steps, [ex, with_names] {
          with_names(ex, [ex] {
            // The status notes are the latest step's words.
            const int n = ex->steps.steps_size();
            return RequestJson(ex->one, ex->Names(), n > 0 ? ex->steps.steps(n - 1).note() : "");
          });
        });
      });
    }
    case Open311Route::kRequestHistory: {
      v1::ListCaseStepsRequest steps;
      steps.set_case_id(route.id);
      steps.set_page_size(kMaxListed);
      return call(ex, kListCaseSteps, steps, &ex->steps, [ex, id = route.id] {
        ex->Answer(HistoryJson(id, {ex->steps.steps().begin(), ex->steps.steps().end()}));
      });
    }
    default:
      return ex->Fail(NotFound("ENDPOINT_NOT_FOUND", "no such Open311 endpoint"));
  }
}

}  // namespace grassroots::gateway
