#include "services/orgs/organisation_handler.h"

#include "absl/strings/str_cat.h"
#include "common/import/import_reactor.h"
#include "common/import/record_parser.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/text/utf8.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/organisation_rules.h"

namespace grassroots::orgs {
namespace {

v1::FormationWorkItem::Action WorkItemAction(FormationWorkItem::Action action) {
  switch (action) {
    case FormationWorkItem::Action::kMerge:
      return v1::FormationWorkItem::MERGE;
    case FormationWorkItem::Action::kSplit:
      return v1::FormationWorkItem::SPLIT;
    case FormationWorkItem::Action::kFormCommittee:
      return v1::FormationWorkItem::FORM_COMMITTEE;
  }
  return v1::FormationWorkItem::ACTION_UNSPECIFIED;
}

}  // namespace

grpc::ServerUnaryReactor* OrganisationHandler::CreateOrganisation(
    grpc::CallbackServerContext* context, const v1::CreateOrganisationRequest* request,
    v1::Organisation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Organisation& o = request->organisation();
    for (const absl::Status& s :
         {ValidateOrganisationKind("organisation.kind", o.kind()),
          ValidateAreaCode("organisation.code", o.code()),
          ValidateDisplayName("organisation.display_name", o.display_name()),
          RequireId("organisation.area_id", o.area_id()),
          ValidateUnitName("organisation.unit_name", o.kind(), o.unit_name())}) {
      if (!s.ok()) return s;
    }
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), o),
                  response);
  });
}

grpc::ServerUnaryReactor* OrganisationHandler::GetOrganisation(
    grpc::CallbackServerContext* context, const v1::GetOrganisationRequest* request,
    v1::Organisation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    std::optional<absl::Time> as_of;
    if (request->has_as_of_time()) as_of = FromProtoTime(request->as_of_time());
    return Assign(store_.Get(call.principal.scope_path(), request->id(), as_of), response);
  });
}

grpc::ServerUnaryReactor* OrganisationHandler::ListOrganisations(
    grpc::CallbackServerContext* context, const v1::ListOrganisationsRequest* request,
    v1::ListOrganisationsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (request->kind() != v1::ORGANISATION_KIND_UNSPECIFIED) {
      if (auto s = ValidateOrganisationKind("kind", request->kind()); !s.ok()) return s;
    }
    OrganisationFilter filter{request->parent_id(), request->subtree(),           request->kind(),
                              request->area_id(),   request->include_dissolved(), std::nullopt};
    if (request->has_as_of_time()) filter.as_of = FromProtoTime(request->as_of_time());
    const std::string query =
        absl::StrCat(call.principal.scope_path(), "|", filter.parent_id, "|", filter.subtree, "|",
                     filter.kind, "|", filter.area_id, "|", filter.include_dissolved, "|",
                     filter.as_of ? absl::FormatTime(*filter.as_of) : "");
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), filter, *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& o : page->organisations) *response->add_organisations() = std::move(o);
    if (!page->last_path.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_path));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* OrganisationHandler::UpdateOrganisation(
    grpc::CallbackServerContext* context, const v1::UpdateOrganisationRequest* request,
    v1::Organisation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Organisation& o = request->organisation();
    if (auto s = RequireId("organisation.id", o.id()); !s.ok()) return s;
    if (request->update_mask().paths_size() == 0) {
      return InvalidField("update_mask", "UPDATE_MASK_REQUIRED",
                          "name the fields to change: display_name, unit_name");
    }
    std::vector<std::string> fields;
    for (const auto& path : request->update_mask().paths()) {
      if (path == "display_name") {
        if (auto s = ValidateDisplayName("organisation.display_name", o.display_name()); !s.ok()) {
          return s;
        }
      } else if (path != "unit_name") {
        return InvalidField(
            "update_mask", "FIELD_NOT_UPDATABLE",
            absl::StrCat("'", path, "' cannot be updated; display_name and unit_name can"));
      }
      fields.push_back(path);
    }
    return Assign(store_.Update(call.principal.scope_path(), call.Write(*env_.clock), o, fields),
                  response);
  });
}

grpc::ServerUnaryReactor* OrganisationHandler::MoveOrganisation(
    grpc::CallbackServerContext* context, const v1::MoveOrganisationRequest* request,
    v1::Organisation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = RequireId("new_parent_id", request->new_parent_id()); !s.ok()) return s;
    return Assign(store_.Move(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                              request->new_parent_id(), request->etag()),
                  response);
  });
}

grpc::ServerUnaryReactor* OrganisationHandler::ListFormationWorkItems(
    grpc::CallbackServerContext* context, const v1::ListFormationWorkItemsRequest* request,
    v1::ListFormationWorkItemsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query =
        absl::StrCat("formation|", call.principal.scope_path(), "|", request->parent_id());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page =
        store_.ListWithCounts(call.principal.scope_path(), request->parent_id(), *page_size, after,
                              absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone()));
    if (!page.ok()) return page.status();
    std::vector<RegionSetting> settings;
    if (regions_ != nullptr) {
      auto around = regions_->SettingsAround(call.principal.scope_path());
      if (!around.ok()) return around.status();
      settings = *std::move(around);
    }
    for (const auto& row : page->organisations) {
      const v1::Organisation& o = row.organisation;
      const FormationThresholds in_force =
          regions_ == nullptr
              ? thresholds_
              : ResolveThresholds(regions_->defaults(), settings, o.area_path()).thresholds;
      for (const auto& item :
           FormationWorkItems({o.kind(), row.full_members, row.probationary_members,
                               row.covered_places, row.roster_full_members, row.committee_seats},
                              in_force)) {
        auto* out = response->add_items();
        out->set_organisation_id(o.id());
        out->set_organisation_path(o.path());
        out->set_kind(o.kind());
        out->set_action(WorkItemAction(item.action));
        out->set_rule(item.rule);
        out->set_message(item.message);
        out->set_full_members(item.full_members);
        out->set_probationary_members(row.probationary_members);
      }
    }
    if (!page->last_path.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_path));
    }
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<common::v1::ImportChunk>* OrganisationHandler::ImportOrganisations(
    grpc::CallbackServerContext* context, common::v1::ImportResult* response) {
  return HandleImport(
      context, env_, response,
      [this](const Call& call, common::v1::FileFormat format, const std::string& data,
             const std::string& request_id, common::v1::ImportResult* result) -> absl::Status {
        auto lines = ParseImport<v1::OrganisationImportRecord>(
            format, data, [](const v1::OrganisationImportRecord& r) {
              for (const absl::Status& s :
                   {ValidateOrganisationKind("kind", r.kind()), ValidateAreaCode("code", r.code()),
                    ValidateDisplayName("display_name", r.display_name()),
                    ValidateUnitName("unit_name", r.kind(), r.unit_name())}) {
                if (!s.ok()) return s;
              }
              return absl::OkStatus();
            });
        if (!lines.ok()) return lines.status();
        return Assign(
            store_.Import(call.principal.scope_path(), call.Write(*env_.clock, request_id), *lines),
            result);
      });
}

grpc::ServerUnaryReactor* OrganisationHandler::DissolveOrganisation(
    grpc::CallbackServerContext* context, const v1::DissolveOrganisationRequest* request,
    v1::Organisation* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (request->reason().size() > 500) {
      return InvalidField("reason", "REASON_TOO_LONG", "must be at most 500 bytes");
    }
    if (!IsPrintableUtf8(request->reason())) {
      return InvalidField("reason", "REASON_INVALID",
                          "must be valid UTF-8 without control characters");
    }
    return Assign(store_.Dissolve(call.principal.scope_path(), call.Write(*env_.clock),
                                  request->id(), request->etag(), request->reason()),
                  response);
  });
}

}  // namespace grassroots::orgs
