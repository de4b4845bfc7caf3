#include "services/orgs/meeting_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/orgs/meeting_rules.h"
#include "services/orgs/member_rules.h"

namespace grassroots::orgs {

absl::CivilDay MeetingHandler::Today() const {
  return absl::ToCivilDay(env_.clock->Now(), absl::UTCTimeZone());
}

grpc::ServerUnaryReactor* MeetingHandler::PlanMeeting(grpc::CallbackServerContext* context,
                                                      const v1::PlanMeetingRequest* request,
                                                      v1::Meeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    const v1::Meeting& m = request->meeting();
    if (auto s = RequireId("meeting.organisation_id", m.organisation_id()); !s.ok()) return s;
    if (auto s = ValidateMeetingType("meeting.type", m.type()); !s.ok()) return s;
    if (auto s = ValidateTopic("meeting.topic", m.topic()); !s.ok()) return s;
    if (auto s = ParseDate("meeting.planned_date", m.planned_date()); !s.ok()) return s.status();
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    return Assign(
        store_.Plan(call.principal.scope_path(), call.Write(*env_.clock, request->request_id()), m),
        response);
  });
}

grpc::ServerUnaryReactor* MeetingHandler::RecordMeeting(grpc::CallbackServerContext* context,
                                                        const v1::RecordMeetingRequest* request,
                                                        v1::Meeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    auto actual = ParseDate("actual_date", request->actual_date());
    if (!actual.ok()) return actual.status();
    if (auto s = CheckActualDate(*actual, Today()); !s.ok()) return s;
    if (auto s = ValidateDecisions(request->decisions()); !s.ok()) return s;
    for (int i = 0; i < request->attendance_size(); ++i) {
      if (auto s = RequireId(absl::StrCat("attendance[", i, "].member_id"),
                             request->attendance(i).member_id());
          !s.ok()) {
        return s;
      }
    }
    HeldMeetingRecord held{*actual, request->election(), &request->attendance(),
                           &request->decisions()};
    return Assign(store_.Record(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->etag(), held),
                  response);
  });
}

grpc::ServerUnaryReactor* MeetingHandler::CancelMeeting(grpc::CallbackServerContext* context,
                                                        const v1::CancelMeetingRequest* request,
                                                        v1::Meeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    if (auto s = ValidateCancelReason(request->reason()); !s.ok()) return s;
    return Assign(store_.Cancel(call.principal.scope_path(), call.Write(*env_.clock), request->id(),
                                request->etag(), request->reason()),
                  response);
  });
}

grpc::ServerUnaryReactor* MeetingHandler::GetMeeting(grpc::CallbackServerContext* context,
                                                     const v1::GetMeetingRequest* request,
                                                     v1::Meeting* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* MeetingHandler::ListMeetings(grpc::CallbackServerContext* context,
                                                       const v1::ListMeetingsRequest* request,
                                                       v1::ListMeetingsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (request->type() != v1::MEETING_TYPE_UNSPECIFIED) {
      if (auto s = ValidateMeetingType("type", request->type()); !s.ok()) return s;
    }
    auto page_size = EffectivePageSize(request->page_size(), 50, 100);
    if (!page_size.ok()) return page_size.status();
    const std::string query = absl::StrCat("meetings|", call.principal.scope_path(), "|",
                                           request->organisation_id(), "|", request->type());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), request->organisation_id(),
                            request->type(), *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& m : page->meetings) *response->add_meetings() = std::move(m);
    if (!page->last_key.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_key));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MeetingHandler::GetMeetingRoster(
    grpc::CallbackServerContext* context, const v1::GetMeetingRosterRequest* request,
    v1::MeetingRoster* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    if (auto s = ValidateMeetingType("type", request->type()); !s.ok()) return s;
    absl::CivilDay day = Today();
    if (!request->date().empty()) {
      auto parsed = ParseDate("date", request->date());
      if (!parsed.ok()) return parsed.status();
      day = *parsed;
    }
    return Assign(store_.Roster(call.principal.scope_path(), request->organisation_id(),
                                request->type(), day),
                  response);
  });
}

grpc::ServerUnaryReactor* MeetingHandler::GetMeetingClock(grpc::CallbackServerContext* context,
                                                          const v1::GetMeetingClockRequest* request,
                                                          v1::MeetingClock* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    return Assign(store_.Clock(call.principal.scope_path(), request->organisation_id(), Today()),
                  response);
  });
}

grpc::ServerUnaryReactor* MeetingHandler::ListOverdueMeetings(
    grpc::CallbackServerContext* context, const v1::ListOverdueMeetingsRequest* request,
    v1::ListOverdueMeetingsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    auto page_size = EffectivePageSize(request->page_size());
    if (!page_size.ok()) return page_size.status();
    // Pages follow the tree order, so paging across midnight neither skips
    // nor repeats an organisation; each page's clocks are those of its day.
    const absl::CivilDay today = Today();
    const std::string query =
        absl::StrCat("overdue|", call.principal.scope_path(), "|", request->organisation_id());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.Overdue(call.principal.scope_path(), request->organisation_id(), today,
                               *page_size, after);
    if (!page.ok()) return page.status();
    for (auto& o : page->overdue) *response->add_overdue() = std::move(o);
    if (!page->last_path.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_path));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MeetingHandler::GetMeetingCompliance(
    grpc::CallbackServerContext* context, const v1::GetMeetingComplianceRequest* request,
    v1::MeetingCompliance* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("organisation_id", request->organisation_id()); !s.ok()) return s;
    auto from = ParseDate("from_date", request->from_date());
    if (!from.ok()) return from.status();
    auto to = ParseDate("to_date", request->to_date());
    if (!to.ok()) return to.status();
    if (auto s = ValidatePeriod(*from, *to); !s.ok()) return s;
    return Assign(store_.Compliance(call.principal.scope_path(), request->organisation_id(), *from,
                                    *to, Today()),
                  response);
  });
}

}  // namespace grassroots::orgs
