#include "services/volunteer/ledger_handler.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/time/civil_date.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/paging.h"

namespace grassroots::volunteer {
namespace {

absl::Status RequireAccountId(absl::string_view field, const std::string& id) {
  if (id.empty()) return InvalidField(field, "ACCOUNT_REQUIRED", "must name an account");
  if (id.size() > 64) return InvalidField(field, "ID_INVALID", "is not an account id");
  return absl::OkStatus();
}

// A caller's own transfer: its shape, and no id the service keeps for itself.
absl::Status ValidateCallerTransfer(const std::string& field, const v1::Transfer& t) {
  if (auto s = ValidateTransfer(field, t); !s.ok()) return s;
  return RefuseReservedTransferId(absl::StrCat(field, ".id"), t.id());
}

}  // namespace

grpc::ServerUnaryReactor* LedgerHandler::OpenAccount(grpc::CallbackServerContext* context,
                                                     const v1::OpenAccountRequest* request,
                                                     v1::Account* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateAccount("account", request->account()); !s.ok()) return s;
    if (request->account().kind() == v1::ACCOUNT_KIND_VOLUNTEER) {
      return InvalidField("account.kind", "VOLUNTEER_ACCOUNT_OPENS_WITH_VOLUNTEER",
                          "a volunteer's account is opened by CreateVolunteer");
    }
    return Assign(
        store_.Open(call.principal.scope_path(), call.Write(*env_.clock), request->account()),
        response);
  });
}

grpc::ServerUnaryReactor* LedgerHandler::GetAccount(grpc::CallbackServerContext* context,
                                                    const v1::GetAccountRequest* request,
                                                    v1::Account* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireAccountId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetAccount(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* LedgerHandler::CreateTransfer(grpc::CallbackServerContext* context,
                                                        const v1::CreateTransferRequest* request,
                                                        v1::Transfer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateCallerTransfer("transfer", request->transfer()); !s.ok()) return s;
    auto made = store_.Transfer(call.principal.scope_path(), call.Write(*env_.clock),
                                {request->transfer()}, "transfer");
    if (!made.ok()) return made.status();
    *response = made->front();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* LedgerHandler::CreateLinkedTransfers(
    grpc::CallbackServerContext* context, const v1::CreateLinkedTransfersRequest* request,
    v1::CreateLinkedTransfersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (request->transfers().empty() || request->transfers_size() > kMaxLinkedTransfers) {
      return InvalidField("transfers", "LINKED_TRANSFERS_COUNT",
                          absl::StrCat("must hold 1 to ", kMaxLinkedTransfers, " transfers"));
    }
    absl::flat_hash_set<std::string> ids;
    std::vector<v1::Transfer> transfers;
    for (int i = 0; i < request->transfers_size(); ++i) {
      const std::string field = absl::StrCat("transfers[", i, "]");
      const v1::Transfer& t = request->transfers(i);
      if (auto s = ValidateCallerTransfer(field, t); !s.ok()) return s;
      if (!ids.insert(t.id()).second) {
        return InvalidField(absl::StrCat(field, ".id"), "TRANSFER_ID_REPEATED",
                            "appears twice in the request");
      }
      transfers.push_back(t);
    }
    auto made = store_.Transfer(call.principal.scope_path(), call.Write(*env_.clock), transfers,
                                "transfers");
    if (!made.ok()) return made.status();
    for (v1::Transfer& t : *made) *response->add_transfers() = std::move(t);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* LedgerHandler::ReverseTransfer(grpc::CallbackServerContext* context,
                                                         const v1::ReverseTransferRequest* request,
                                                         v1::Transfer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateTransferId("id", request->id()), RefuseReservedTransferId("id", request->id()),
          ValidateTransferId("transfer_id", request->transfer_id()),
          ValidateText("memo", request->memo(), 200, false)}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Reverse(call.principal.scope_path(), call.Write(*env_.clock),
                                 request->id(), request->transfer_id(), request->memo()),
                  response);
  });
}

grpc::ServerUnaryReactor* LedgerHandler::GetTransfer(grpc::CallbackServerContext* context,
                                                     const v1::GetTransferRequest* request,
                                                     v1::Transfer* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateTransferId("id", request->id()); !s.ok()) return s;
    return Assign(store_.GetTransfer(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* LedgerHandler::ListAccountEntries(
    grpc::CallbackServerContext* context, const v1::ListAccountEntriesRequest* request,
    v1::ListAccountEntriesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireAccountId("account_id", request->account_id()); !s.ok()) return s;
    auto page =
        OpenPage(absl::StrCat("entries|", call.principal.scope_path(), "|", request->account_id()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto before = AfterSequence(*page);
    if (!before.ok()) return before.status();
    auto entries =
        store_.ListEntries(call.principal.scope_path(), request->account_id(), page->size, *before);
    if (!entries.ok()) return entries.status();
    for (v1::Entry& e : entries->entries) *response->add_entries() = std::move(e);
    response->set_next_page_token(
        TokenAfter(*page, entries->last_sequence == 0 ? "" : absl::StrCat(entries->last_sequence)));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* LedgerHandler::GetStatement(grpc::CallbackServerContext* context,
                                                      const v1::GetStatementRequest* request,
                                                      v1::Statement* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireAccountId("account_id", request->account_id()); !s.ok()) return s;
    auto start = ParseDate("start_date", request->start_date());
    if (!start.ok()) return start.status();
    auto end = ParseDate("end_date", request->end_date());
    if (!end.ok()) return end.status();
    if (*end <= *start) {
      return InvalidField("end_date", "PERIOD_EMPTY", "must come after start_date");
    }
    auto page =
        OpenPage(absl::StrCat("statement|", call.principal.scope_path(), "|", request->account_id(),
                              "|", request->start_date(), "|", request->end_date()),
                 request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto after = AfterSequence(*page);
    if (!after.ok()) return after.status();
    const absl::TimeZone utc = absl::UTCTimeZone();
    auto statement = store_.Statement(call.principal.scope_path(), request->account_id(),
                                      absl::FromCivil(*start, utc), absl::FromCivil(*end, utc),
                                      page->size, *after);
    if (!statement.ok()) return statement.status();
    *response = std::move(statement->statement);
    response->set_next_page_token(TokenAfter(
        *page, statement->last_sequence == 0 ? "" : absl::StrCat(statement->last_sequence)));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* LedgerHandler::CheckInvariants(grpc::CallbackServerContext* context,
                                                         const v1::CheckInvariantsRequest*,
                                                         v1::CheckInvariantsResponse* response) {
  return HandleUnary(context, env_, [this, response](const Call& call) -> absl::Status {
    // The sums hold over the whole ledger only: a part of it need not sum to zero.
    if (!call.principal.scope_path().empty()) {
      return PermissionDenied("CITY_SCOPE_REQUIRED",
                              "the invariants are checked over the whole city; use a city-wide "
                              "principal");
    }
    return Assign(invariants_.Check(), response);
  });
}

}  // namespace grassroots::volunteer
