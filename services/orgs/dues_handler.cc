#include "services/orgs/dues_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/dues_table_handler.h"

namespace grassroots::orgs {

absl::CivilMonth DuesHandler::CurrentMonth() const {
  return absl::CivilMonth(absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone()));
}

grpc::ServerUnaryReactor* DuesHandler::ComputeMonthlyDues(
    grpc::CallbackServerContext* context, const v1::ComputeMonthlyDuesRequest* request,
    v1::ComputeMonthlyDuesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call&) -> absl::Status {
    auto year = DuesYear(request->year(), *env_.clock);
    if (!year.ok()) return year.status();
    DuesTable table = StandardDuesTable();
    if (tables_ != nullptr) {
      auto in_force = tables_->InForce(*year);
      if (!in_force.ok()) return in_force.status();
      table = FromProto(*in_force);
    }
    auto dues = MonthlyDues(table, request->category(), request->monthly_income_fen());
    if (!dues.ok()) return dues.status();
    response->set_monthly_dues_fen(*dues);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DuesHandler::RecordDuesPayment(
    grpc::CallbackServerContext* context, const v1::RecordDuesPaymentRequest* request,
    v1::DuesPayment* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("member_id", request->member_id()); !s.ok()) return s;
    absl::CivilMonth month;
    if (request->month().size() != 7 || !absl::ParseCivilTime(request->month(), &month)) {
      return InvalidField("month", "MONTH_INVALID", "must be a month written YYYY-MM");
    }
    if (month > CurrentMonth() + 12) {
      return InvalidField("month", "MONTH_TOO_FAR_AHEAD", "dues are paid at most a year ahead");
    }
    if (request->amount_fen() <= 0) {
      return InvalidField("amount_fen", "AMOUNT_INVALID", "must be a positive number of fen");
    }
    if (request->payment_id().empty()) {
      return InvalidField("payment_id", "PAYMENT_ID_REQUIRED",
                          "choose an id for the payment so a retry cannot record it twice");
    }
    if (auto s = ValidateRequestId(request->payment_id()); !s.ok()) return s;
    v1::DuesPayment payment;
    payment.set_member_id(request->member_id());
    payment.set_month(request->month());
    payment.set_amount_fen(request->amount_fen());
    payment.set_payment_id(request->payment_id());
    return Assign(store_.Record(call.principal.scope_path(),
                                call.Write(*env_.clock, request->payment_id()), payment),
                  response);
  });
}

grpc::ServerUnaryReactor* DuesHandler::GetDuesStatus(grpc::CallbackServerContext* context,
                                                     const v1::GetDuesStatusRequest* request,
                                                     v1::DuesStatus* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("member_id", request->member_id()); !s.ok()) return s;
    return Assign(store_.Status(call.principal.scope_path(), request->member_id(), CurrentMonth()),
                  response);
  });
}

grpc::ServerUnaryReactor* DuesHandler::ListDuesArrears(grpc::CallbackServerContext* context,
                                                       const v1::ListDuesArrearsRequest* request,
                                                       v1::ListDuesArrearsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("arrears|", call.principal.scope_path(), "|", request->organisation_id());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.Arrears(call.principal.scope_path(), request->organisation_id(),
                               CurrentMonth(), *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& arrear : page->arrears) *response->add_arrears() = std::move(arrear);
    if (!page->last_member_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_member_id));
    }
    return absl::OkStatus();
  });
}

}  // namespace grassroots::orgs
