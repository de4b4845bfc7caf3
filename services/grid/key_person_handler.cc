#include "services/grid/key_person_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/grid/grid_rules.h"
#include "services/grid/household_rules.h"
#include "services/grid/key_person_rules.h"
#include "services/grid/list_paging.h"
#include "services/grid/update_mask.h"

namespace grassroots::grid {

grpc::ServerUnaryReactor* KeyPersonHandler::CreateKeyPerson(
    grpc::CallbackServerContext* context, const v1::CreateKeyPersonRequest* request,
    v1::KeyPerson* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::KeyPerson& k = request->key_person();
    if (auto s = RequireId("key_person.grid_id", k.grid_id()); !s.ok()) return s;
    if (!k.household_id().empty()) {
      if (auto s = RequireId("key_person.household_id", k.household_id()); !s.ok()) return s;
    }
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto person = NormaliseKeyPerson(k);
    if (!person.ok()) return person.status();
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), *person),
                  response);
  });
}

grpc::ServerUnaryReactor* KeyPersonHandler::GetKeyPerson(grpc::CallbackServerContext* context,
                                                         const v1::GetKeyPersonRequest* request,
                                                         v1::KeyPerson* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* KeyPersonHandler::ListKeyPersons(grpc::CallbackServerContext* context,
                                                           const v1::ListKeyPersonsRequest* request,
                                                           v1::ListKeyPersonsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("grid_id", request->grid_id()); !s.ok()) return s;
    if (request->category() != v1::KEY_PERSON_CATEGORY_UNSPECIFIED) {
      if (auto s = ValidateKeyPersonCategory("category", request->category()); !s.ok()) return s;
    }
    auto page = ReadPage(absl::StrCat("key_persons|", call.principal.scope_path(), "|",
                                      request->grid_id(), "|", request->category()),
                         request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto found = store_.List(call.principal.scope_path(), request->grid_id(), request->category(),
                             page->size, page->after);
    if (!found.ok()) return found.status();
    for (auto& k : found->key_persons) *response->add_key_persons() = std::move(k);
    response->set_next_page_token(NextPageToken(*page, found->last_id));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyPersonHandler::UpdateKeyPerson(
    grpc::CallbackServerContext* context, const v1::UpdateKeyPersonRequest* request,
    v1::KeyPerson* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    v1::KeyPerson changes = request->key_person();
    if (auto s = RequireId("key_person.id", changes.id()); !s.ok()) return s;
    auto fields =
        MaskedFields(request->update_mask(), {"household_id", "category", "name", "phone",
                                              "id_number", "reason", "visit_interval_days"});
    if (!fields.ok()) return fields.status();
    for (const std::string& field : *fields) {
      const std::string name = absl::StrCat("key_person.", field);
      if (field == "household_id" && !changes.household_id().empty()) {
        if (auto s = RequireId(name, changes.household_id()); !s.ok()) return s;
      } else if (field == "category") {
        if (auto s = ValidateKeyPersonCategory(name, changes.category()); !s.ok()) return s;
      } else if (field == "name") {
        if (auto s = ValidateName(name, changes.name()); !s.ok()) return s;
      } else if (field == "phone") {
        auto v = NormaliseOptionalPhone(name, changes.phone());
        if (!v.ok()) return v.status();
        changes.set_phone(*v);
      } else if (field == "id_number") {
        auto v = NormaliseOptionalIdNumber(name, changes.id_number());
        if (!v.ok()) return v.status();
        changes.set_id_number(*v);
      }
    }
    return Assign(
        store_.Update(call.principal.scope_path(), call.Write(*env_.clock), changes, *fields),
        response);
  });
}

grpc::ServerUnaryReactor* KeyPersonHandler::RevealKeyPersonContact(
    grpc::CallbackServerContext* context, const v1::RevealKeyPersonContactRequest* request,
    v1::KeyPersonContact* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidatePurpose(request->purpose()); !s.ok()) return s;
    return Assign(store_.Reveal(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->purpose()),
                  response);
  });
}

}  // namespace grassroots::grid
