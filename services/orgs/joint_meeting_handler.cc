#include "services/orgs/joint_meeting_handler.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/joint_meeting_rules.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/resident_unit_rules.h"

namespace grassroots::orgs {
namespace {

constexpr size_t kMaxMinutesBytes = 20000;

std::vector<std::string> Ids(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

}  // namespace

absl::CivilDay JointMeetingHandler::Today() const {
  return absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
}

grpc::ServerUnaryReactor* JointMeetingHandler::ScheduleJointMeeting(
    grpc::CallbackServerContext* context, const v1::ScheduleJointMeetingRequest* request,
    v1::JointMeeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const std::vector<std::string> invited = Ids(request->invited_unit_ids());
    for (const absl::Status& s :
         {RequireId("convener_organisation_id", request->convener_organisation_id()),
          ValidateFreeText("title", request->title(), 200, /*required=*/true),
          ValidateInvitations(invited), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    auto date = ParseDate("meeting_date", request->meeting_date());
    if (!date.ok()) return date.status();
    if (auto s = ValidateMeetingDate(*date, Today()); !s.ok()) return s;
    return Assign(
        store_.Schedule(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()),
                        request->convener_organisation_id(), request->title(), *date, invited),
        response);
  });
}

grpc::ServerUnaryReactor* JointMeetingHandler::GetJointMeeting(
    grpc::CallbackServerContext* context, const v1::GetJointMeetingRequest* request,
    v1::JointMeeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* JointMeetingHandler::ListJointMeetings(
    grpc::CallbackServerContext* context, const v1::ListJointMeetingsRequest* request,
    v1::ListJointMeetingsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    if (!v1::JointMeeting::State_IsValid(request->state())) {
      return InvalidField("state", "STATE_INVALID", "must be PLANNED, HELD or CANCELLED");
    }
    const MeetingFilter filter{request->area_id(), request->state()};
    const std::string query = absl::StrCat("meetings|", call.principal.scope_path(), "|",
                                           filter.area_id, "|", filter.state);
    MeetingCursor after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      std::pair<std::string, std::string> key = absl::StrSplit(*decoded, absl::MaxSplits('|', 1));
      after = {key.first, key.second};
    }
    auto page = store_.List(call.principal.scope_path(), filter, *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& meeting : page->meetings) *response->add_meetings() = std::move(meeting);
    if (page->last) {
      response->set_next_page_token(
          EncodePageToken(query, absl::StrCat(page->last->meeting_date, "|", page->last->id)));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* JointMeetingHandler::SubmitAgendaItem(
    grpc::CallbackServerContext* context, const v1::SubmitAgendaItemRequest* request,
    v1::JointMeetingAgendaItem* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("meeting_id", request->meeting_id()),
          request->unit_id().empty() ? absl::OkStatus() : RequireId("unit_id", request->unit_id()),
          ValidateFreeText("title", request->title(), 200, /*required=*/true),
          ValidateFreeText("description", request->description(), 2000, /*required=*/false,
                           /*allow_newlines=*/true),
          ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.SubmitAgendaItem(call.principal.scope_path(),
                                          call.Write(*env_.clock, request->request_id()),
                                          request->meeting_id(), request->unit_id(),
                                          request->title(), request->description(), Today()),
                  response);
  });
}

grpc::ServerUnaryReactor* JointMeetingHandler::RecordJointMeeting(
    grpc::CallbackServerContext* context, const v1::RecordJointMeetingRequest* request,
    v1::JointMeeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("minutes", request->minutes(), kMaxMinutesBytes,
                                  /*required=*/true, /*allow_newlines=*/true);
        !s.ok()) {
      return s;
    }
    std::vector<DecisionInput> decisions;
    for (int i = 0; i < request->decisions_size(); ++i) {
      const v1::JointMeetingDecision& d = request->decisions(i);
      const std::string field = absl::StrCat("decisions[", i, "]");
      if (auto s = ValidateFreeText(absl::StrCat(field, ".title"), d.title(), 200, true); !s.ok()) {
        return s;
      }
      if (auto s = RequireId(absl::StrCat(field, ".owner_unit_id"), d.owner_unit_id()); !s.ok()) {
        return s;
      }
      auto due = ParseDate(absl::StrCat(field, ".due_date"), d.due_date());
      if (!due.ok()) return due.status();
      decisions.push_back({d.title(), d.owner_unit_id(), *due});
    }
    return Assign(store_.Record(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->etag(), Ids(request->present_unit_ids()),
                                request->minutes(), decisions, Today()),
                  response);
  });
}

grpc::ServerUnaryReactor* JointMeetingHandler::CancelJointMeeting(
    grpc::CallbackServerContext* context, const v1::CancelJointMeetingRequest* request,
    v1::JointMeeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateFreeText("reason", request->reason(), 500, /*required=*/true); !s.ok()) {
      return s;
    }
    return Assign(store_.Cancel(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->etag(), request->reason()),
                  response);
  });
}

}  // namespace grassroots::orgs
