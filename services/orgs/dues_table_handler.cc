#include "services/orgs/dues_table_handler.h"

#include "absl/time/civil_time.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"

namespace grassroots::orgs {

absl::StatusOr<int> DuesYear(int year, const Clock& clock) {
  if (year == 0) {
    return static_cast<int>(absl::ToCivilYear(clock.Now(), absl::UTCTimeZone()).year());
  }
  if (year < 1921 || year > 2200) {
    return InvalidField("year", "YEAR_INVALID",
                        "must be between 1921 and 2200, or 0 for this year");
  }
  return year;
}

grpc::ServerUnaryReactor* DuesTableHandler::GetDuesTable(grpc::CallbackServerContext* context,
                                                         const v1::GetDuesTableRequest* request,
                                                         v1::DuesTable* response) {
  return HandleUnary(context, env_, [this, request, response](const Call&) -> absl::Status {
    auto year = DuesYear(request->year(), *env_.clock);
    if (!year.ok()) return year.status();
    return Assign(store_.InForce(*year), response);
  });
}

grpc::ServerUnaryReactor* DuesTableHandler::SetDuesTable(grpc::CallbackServerContext* context,
                                                         const v1::SetDuesTableRequest* request,
                                                         v1::DuesTable* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto year = DuesYear(request->table().year(), *env_.clock);
    if (!year.ok()) return year.status();
    v1::DuesTable table = request->table();
    table.set_year(*year);
    return Assign(store_.Set(call.Write(*env_.clock), table, request->etag()), response);
  });
}

}  // namespace grassroots::orgs
