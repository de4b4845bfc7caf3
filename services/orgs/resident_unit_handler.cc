#include "services/orgs/resident_unit_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/resident_unit_rules.h"

namespace grassroots::orgs {
namespace {

absl::Status ValidateLiaisonName(const std::string& name) {
  return ValidateDisplayName("unit.liaison_name", name);
}

// The phone as it is encrypted: normalised, so a reveal shows one form.
absl::StatusOr<std::string> LiaisonPhone(const std::string& phone) {
  if (phone.empty()) {
    return InvalidField("unit.liaison_phone", "PHONE_REQUIRED",
                        "a unit's liaison must be reachable by phone");
  }
  return NormalisePhone("unit.liaison_phone", phone);
}

absl::Status ValidateOrganisationId(const std::string& id) {
  if (id.empty()) return absl::OkStatus();
  return RequireId("unit.organisation_id", id);
}

constexpr char kUpdatable[] =
    "display_name, kind, employee_count, organisation_id, liaison_name, liaison_phone";

}  // namespace

grpc::ServerUnaryReactor* ResidentUnitHandler::CreateResidentUnit(
    grpc::CallbackServerContext* context, const v1::CreateResidentUnitRequest* request,
    v1::ResidentUnit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    v1::ResidentUnit unit = request->unit();
    for (const absl::Status& s :
         {RequireId("unit.area_id", unit.area_id()),
          ValidateDisplayName("unit.display_name", unit.display_name()),
          ValidateUnitKind("unit.kind", unit.kind()),
          ValidateEmployeeCount("unit.employee_count", unit.employee_count()),
          ValidateOrganisationId(unit.organisation_id()), ValidateLiaisonName(unit.liaison_name()),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    auto phone = LiaisonPhone(unit.liaison_phone());
    if (!phone.ok()) return phone.status();
    unit.set_liaison_phone(*phone);
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), unit),
                  response);
  });
}

grpc::ServerUnaryReactor* ResidentUnitHandler::GetResidentUnit(
    grpc::CallbackServerContext* context, const v1::GetResidentUnitRequest* request,
    v1::ResidentUnit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* ResidentUnitHandler::ListResidentUnits(
    grpc::CallbackServerContext* context, const v1::ListResidentUnitsRequest* request,
    v1::ListResidentUnitsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (request->kind() != v1::ResidentUnit::KIND_UNSPECIFIED) {
      if (auto s = ValidateUnitKind("kind", request->kind()); !s.ok()) return s;
    }
    const ResidentUnitFilter filter{request->area_id(), request->kind(),
                                    request->include_withdrawn()};
    const std::string query =
        absl::StrCat("units|", call.principal.scope_path(), "|", filter.area_id, "|", filter.kind,
                     "|", filter.include_withdrawn);
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), filter, *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& unit : page->units) *response->add_units() = std::move(unit);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ResidentUnitHandler::UpdateResidentUnit(
    grpc::CallbackServerContext* context, const v1::UpdateResidentUnitRequest* request,
    v1::ResidentUnit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    v1::ResidentUnit changes = request->unit();
    if (auto s = RequireId("unit.id", changes.id()); !s.ok()) return s;
    if (request->update_mask().paths_size() == 0) {
      return InvalidField("update_mask", "UPDATE_MASK_REQUIRED",
                          absl::StrCat("name the fields to change: ", kUpdatable));
    }
    std::vector<std::string> fields;
    for (const std::string& path : request->update_mask().paths()) {
      absl::Status s;
      if (path == "display_name") {
        s = ValidateDisplayName("unit.display_name", changes.display_name());
      } else if (path == "kind") {
        s = ValidateUnitKind("unit.kind", changes.kind());
      } else if (path == "employee_count") {
        s = ValidateEmployeeCount("unit.employee_count", changes.employee_count());
      } else if (path == "organisation_id") {
        s = ValidateOrganisationId(changes.organisation_id());
      } else if (path == "liaison_name") {
        s = ValidateLiaisonName(changes.liaison_name());
      } else if (path == "liaison_phone") {
        auto phone = LiaisonPhone(changes.liaison_phone());
        s = phone.status();
        if (phone.ok()) changes.set_liaison_phone(*phone);
      } else {
        return InvalidField("update_mask", "FIELD_NOT_UPDATABLE",
                            absl::StrCat("'", path, "' cannot be updated; ", kUpdatable, " can"));
      }
      if (!s.ok()) return s;
      fields.push_back(path);
    }
    return Assign(
        store_.Update(call.principal.scope_path(), call.Write(*env_.clock), changes, fields),
        response);
  });
}

grpc::ServerUnaryReactor* ResidentUnitHandler::WithdrawResidentUnit(
    grpc::CallbackServerContext* context, const v1::WithdrawResidentUnitRequest* request,
    v1::ResidentUnit* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("reason", request->reason(), 500, /*required=*/true); !s.ok()) {
      return s;
    }
    return Assign(store_.Withdraw(call.principal.scope_path(), call.Write(*env_.clock),
                                  request->id(), request->etag(), request->reason()),
                  response);
  });
}

grpc::ServerUnaryReactor* ResidentUnitHandler::RevealUnitLiaison(
    grpc::CallbackServerContext* context, const v1::RevealUnitLiaisonRequest* request,
    v1::UnitLiaison* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (request->purpose().empty()) {
      return InvalidField("purpose", "PURPOSE_REQUIRED",
                          "say why the personal data is needed; it is recorded");
    }
    if (auto s = ValidateFreeText("purpose", request->purpose(), 500, true); !s.ok()) return s;
    return Assign(store_.RevealLiaison(call.principal.scope_path(), call.Write(*env_.clock),
                                       request->id(), request->purpose()),
                  response);
  });
}

}  // namespace grassroots::orgs
