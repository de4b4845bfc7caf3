#include "services/grid/household_handler.h"

#include "absl/strings/str_cat.h"
#include "common/import/import_reactor.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/person_identifiers.h"
#include "services/grid/grid_rules.h"
#include "services/grid/household_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {
namespace {

const std::vector<std::string>& Updatable() {
  static const auto& fields = *new std::vector<std::string>{
      "address",        "head_name",     "head_phone", "head_id_number",
      "resident_count", "key_household", "key_reason", "visit_interval_days"};
  return fields;
}

// A ledger line: where the household is, and the household itself.
absl::Status ValidateImportLine(const v1::HouseholdImportRecord& r) {
  if (r.grid_path().empty()) {
    return InvalidField("grid_path", "GRID_PATH_REQUIRED", "name the grid's path");
  }
  if (!r.compound().empty()) {
    if (auto s = ValidateName("compound", r.compound()); !s.ok()) return s;
  }
  for (const absl::Status& s :
       {ValidateName("building", r.building()), ValidateName("unit", r.unit())}) {
    if (!s.ok()) return s;
  }
  return NormaliseHousehold(HouseholdFromRecord(r), "").status();
}

}  // namespace

grpc::ServerUnaryReactor* HouseholdHandler::CreateHousehold(
    grpc::CallbackServerContext* context, const v1::CreateHouseholdRequest* request,
    v1::Household* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("household.unit_id", request->household().unit_id()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto household = NormaliseHousehold(request->household(), "household.");
    if (!household.ok()) return household.status();
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), *household),
                  response);
  });
}

grpc::ServerUnaryReactor* HouseholdHandler::GetHousehold(grpc::CallbackServerContext* context,
                                                         const v1::GetHouseholdRequest* request,
                                                         v1::Household* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* HouseholdHandler::ListHouseholds(grpc::CallbackServerContext* context,
                                                           const v1::ListHouseholdsRequest* request,
                                                           v1::ListHouseholdsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    HouseholdsWithin within;
    const char* field = "grid_id";
    switch (request->within_case()) {
      case v1::ListHouseholdsRequest::kGridId:
        within = {HouseholdsWithin::By::kGrid, request->grid_id()};
        break;
      case v1::ListHouseholdsRequest::kCompoundId:
        within = {HouseholdsWithin::By::kCompound, request->compound_id()};
        field = "compound_id";
        break;
      case v1::ListHouseholdsRequest::kBuildingId:
        within = {HouseholdsWithin::By::kBuilding, request->building_id()};
        field = "building_id";
        break;
      case v1::ListHouseholdsRequest::kUnitId:
        within = {HouseholdsWithin::By::kUnit, request->unit_id()};
        field = "unit_id";
        break;
      default:
        return InvalidField("within", "LISTING_PARENT_REQUIRED",
                            "give a grid_id, compound_id, building_id or unit_id");
    }
    if (auto s = RequireId(field, within.id); !s.ok()) return s;
    auto page = ReadPage(absl::StrCat("households|", call.principal.scope_path(), "|", field, "|",
                                      within.id, "|", request->key_only()),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = store_.List(call.principal.scope_path(), within, request->key_only(), page->size,
                             page->after);
    if (!found.ok()) return found.status();
    for (auto& h : found->households) *response->add_households() = std::move(h);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* HouseholdHandler::UpdateHousehold(
    grpc::CallbackServerContext* context, const v1::UpdateHouseholdRequest* request,
    v1::Household* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    v1::Household changes = request->household();
    if (auto s = RequireId("household.id", changes.id()); !s.ok()) return s;
    auto fields = MaskedFields(request->update_mask(), Updatable());
    if (!fields.ok()) return fields.status();
    // Each named field is checked alone here; how they hang together, with
    // what is stored, in the store's transaction.
    for (const std::string& field : *fields) {
      const std::string name = absl::StrCat("household.", field);
      if (field == "address") {
        if (auto s = ValidateDwelling(name, changes.address()); !s.ok()) return s;
      } else if (field == "head_name") {
        auto v = NormaliseOptionalName(name, changes.head_name());
        if (!v.ok()) return v.status();
      } else if (field == "head_phone") {
        auto v = NormaliseOptionalPhone(name, changes.head_phone());
        if (!v.ok()) return v.status();
        changes.set_head_phone(*v);
      } else if (field == "head_id_number") {
        auto v = NormaliseOptionalIdNumber(name, changes.head_id_number());
        if (!v.ok()) return v.status();
        changes.set_head_id_number(*v);
      }
    }
    return Assign(
        store_.Update(call.principal.scope_path(), call.Write(*env_.clock), changes, *fields),
        response);
  });
}

grpc::ServerReadReactor<common::v1::ImportChunk>* HouseholdHandler::ImportHouseholds(
    grpc::CallbackServerContext* context, common::v1::ImportResult* response) {
  return HandleImport(
      context, env_, response,
      [this](const Call& call, common::v1::FileFormat format, const std::string& data,
             const std::string& request_id, common::v1::ImportResult* result) -> absl::Status {
        auto lines = ParseImport<v1::HouseholdImportRecord>(format, data, ValidateImportLine);
        if (!lines.ok()) return lines.status();
        // Validated above: normalising again only rewrites phones and ID numbers.
        for (auto& line : *lines) {
          auto normal = NormaliseHousehold(HouseholdFromRecord(line.record), "");
          if (!normal.ok()) return AtLine(line.line_number, normal.status());
          line.record.set_head_phone(normal->head_phone());
          line.record.set_head_id_number(normal->head_id_number());
        }
        return Assign(
            store_.Import(call.principal.scope_path(), call.Write(*env_.clock, request_id), *lines),
            result);
      });
}

grpc::ServerUnaryReactor* HouseholdHandler::FindHouseholds(grpc::CallbackServerContext* context,
                                                           const v1::FindHouseholdsRequest* request,
                                                           v1::FindHouseholdsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePurpose(request->purpose()); !s.ok()) return s;
    PersonalKind kind;
    absl::StatusOr<std::string> value;
    switch (request->by_case()) {
      case v1::FindHouseholdsRequest::kHeadPhone:
        kind = PersonalKind::kPhone;
        value = NormalisePhone("head_phone", request->head_phone());
        break;
      case v1::FindHouseholdsRequest::kHeadIdNumber:
        kind = PersonalKind::kIdNumber;
        value = NormaliseIdNumber("head_id_number", request->head_id_number());
        break;
      default:
        return InvalidField("by", "SEARCH_KEY_REQUIRED", "give a head_phone or a head_id_number");
    }
    if (!value.ok()) return value.status();
    auto found = store_.Find(call.principal.scope_path(), call.Write(*env_.clock), kind, *value,
                             request->purpose());
    if (!found.ok()) return found.status();
    for (auto& h : *found) *response->add_households() = std::move(h);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* HouseholdHandler::RevealHouseholdContact(
    grpc::CallbackServerContext* context, const v1::RevealHouseholdContactRequest* request,
    v1::HouseholdContact* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidatePurpose(request->purpose()); !s.ok()) return s;
    return Assign(store_.Reveal(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->purpose()),
                  response);
  });
}

}  // namespace grassroots::grid
