#include "services/orgs/member_handler.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/import/import_reactor.h"
#include "common/import/record_parser.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/text/utf8.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/member_rules.h"

namespace grassroots::orgs {
namespace {

// Why personal data is used: required, printable, at most 500 bytes.
absl::Status ValidatePurpose(const std::string& purpose) {
  if (purpose.empty()) {
    return InvalidField("purpose", "PURPOSE_REQUIRED",
                        "say why the personal data is needed; it is recorded");
  }
  if (purpose.size() > 500 || !IsPrintableUtf8(purpose)) {
    return InvalidField("purpose", "PURPOSE_INVALID",
                        "must be at most 500 bytes of text without control characters");
  }
  return absl::OkStatus();
}

// The request's member with its personal data validated and normalised.
// Everything of a new member but its organisation, checked and normalised.
absl::StatusOr<v1::Member> NormalisedDetails(const v1::Member& in, absl::CivilDay today) {
  if (auto s = ValidateDisplayName("member.name", in.name()); !s.ok()) return s;
  auto joined = ParseDate("member.join_date", in.join_date());
  if (!joined.ok()) return joined.status();
  std::optional<absl::CivilDay> probation_end;
  if (!in.probation_end_date().empty()) {
    auto end = ParseDate("member.probation_end_date", in.probation_end_date());
    if (!end.ok()) return end.status();
    probation_end = *end;
  }
  if (auto s = ValidateMembership(in.status(), *joined, probation_end ? &*probation_end : nullptr,
                                  today);
      !s.ok()) {
    return s;
  }
  v1::Member out = in;
  if (!in.phone().empty()) {
    auto phone = NormalisePhone("member.phone", in.phone());
    if (!phone.ok()) return phone.status();
    out.set_phone(*phone);
  }
  auto id_number = NormaliseIdNumber("member.id_number", in.id_number());
  if (!id_number.ok()) return id_number.status();
  out.set_id_number(*id_number);
  return out;
}

absl::StatusOr<v1::Member> Normalised(const v1::Member& in, absl::CivilDay today) {
  if (auto s = RequireId("member.organisation_id", in.organisation_id()); !s.ok()) return s;
  return NormalisedDetails(in, today);
}

}  // namespace

grpc::ServerUnaryReactor* MemberHandler::AddMember(grpc::CallbackServerContext* context,
                                                   const v1::AddMemberRequest* request,
                                                   v1::Member* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    const absl::CivilDay today = absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
    auto member = Normalised(request->member(), today);
    if (!member.ok()) return member.status();
    return Assign(store_.Add(call.principal.scope_path(),
                             call.Write(*env_.clock, request->request_id()), *member),
                  response);
  });
}

grpc::ServerReadReactor<common::v1::ImportChunk>* MemberHandler::ImportMembers(
    grpc::CallbackServerContext* context, common::v1::ImportResult* response) {
  return HandleImport(
      context, env_, response,
      [this](const Call& call, common::v1::FileFormat format, const std::string& data,
             const std::string& request_id, common::v1::ImportResult* result) -> absl::Status {
        const absl::CivilDay today = absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
        std::vector<ImportLine<v1::Member>> members;
        absl::Status parsed = ParseImportFile(
            format, data, v1::MemberImportRecord::default_instance(), /*max_lines=*/200000,
            [&](int line, const google::protobuf::Message& message) -> absl::Status {
              const auto& r = static_cast<const v1::MemberImportRecord&>(message);
              if (r.organisation_path().empty()) {
                return InvalidField("organisation_path", "ORGANISATION_PATH_REQUIRED",
                                    "name the member's organisation by its path");
              }
              v1::Member given;
              given.set_organisation_path(r.organisation_path());
              given.set_status(r.status());
              given.set_join_date(r.join_date());
              given.set_probation_end_date(r.probation_end_date());
              given.set_name(r.name());
              given.set_phone(r.phone());
              given.set_id_number(r.id_number());
              auto normalised = NormalisedDetails(given, today);
              if (!normalised.ok()) return normalised.status();
              members.push_back({line, *std::move(normalised)});
              return absl::OkStatus();
            });
        if (!parsed.ok()) return parsed;
        return Assign(store_.Import(call.principal.scope_path(),
                                    call.Write(*env_.clock, request_id), members),
                      result);
      });
}

grpc::ServerUnaryReactor* MemberHandler::GetMember(grpc::CallbackServerContext* context,
                                                   const v1::GetMemberRequest* request,
                                                   v1::Member* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* MemberHandler::ConvertToFullMember(
    grpc::CallbackServerContext* context, const v1::ConvertToFullMemberRequest* request,
    v1::Member* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    auto conversion = ParseDate("conversion_date", request->conversion_date());
    if (!conversion.ok()) return conversion.status();
    const absl::CivilDay today = absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
    return Assign(store_.ConvertToFull(call.principal.scope_path(), call.Write(*env_.clock),
                                       request->id(), request->etag(), *conversion, today),
                  response);
  });
}

grpc::ServerUnaryReactor* MemberHandler::ListMembers(grpc::CallbackServerContext* context,
                                                     const v1::ListMembersRequest* request,
                                                     v1::ListMembersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    const std::string query = absl::StrCat(call.principal.scope_path(), "|",
                                           request->organisation_id(), "|", request->subtree());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), request->organisation_id(),
                            request->subtree(), *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& m : page->members) *response->add_members() = std::move(m);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MemberHandler::FindMembers(grpc::CallbackServerContext* context,
                                                     const v1::FindMembersRequest* request,
                                                     v1::FindMembersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePurpose(request->purpose()); !s.ok()) return s;
    std::string kind;
    absl::StatusOr<std::string> value;
    switch (request->by_case()) {
      case v1::FindMembersRequest::kPhone:
        kind = "phone";
        value = NormalisePhone("phone", request->phone());
        break;
      case v1::FindMembersRequest::kIdNumber:
        kind = "id_number";
        value = NormaliseIdNumber("id_number", request->id_number());
        break;
      default:
        return InvalidField("by", "SEARCH_KEY_REQUIRED", "give a phone or an id_number");
    }
    if (!value.ok()) return value.status();
    auto found = store_.FindByContact(call.principal.scope_path(), call.Write(*env_.clock), kind,
                                      *value, {request->purpose()});
    if (!found.ok()) return found.status();
    for (auto& m : *found) *response->add_members() = std::move(m);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MemberHandler::RevealMemberContact(
    grpc::CallbackServerContext* context, const v1::RevealMemberContactRequest* request,
    v1::MemberContact* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidatePurpose(request->purpose()); !s.ok()) return s;
    return Assign(store_.Reveal(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                {request->purpose()}),
                  response);
  });
}

}  // namespace grassroots::orgs
