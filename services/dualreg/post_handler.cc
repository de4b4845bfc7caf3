#include "services/dualreg/post_handler.h"

#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/dualreg/acting_member.h"
#include "services/dualreg/post_rules.h"

namespace grassroots::dualreg {

grpc::ServerUnaryReactor* PostHandler::CreatePost(grpc::CallbackServerContext* context,
                                                  const v1::CreatePostRequest* request,
                                                  v1::Post* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateNewPost(request->post()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    auto community = orgs_.Community(call, "post.community_id", request->post().community_id());
    if (!community.ok()) return community.status();
    v1::Post post = request->post();
    post.set_community_path(community->path);
    return Assign(store_.CreatePost(call.principal.scope_path(),
                                    call.Write(*env_.clock, request->request_id()), post),
                  response);
  });
}

grpc::ServerUnaryReactor* PostHandler::ClaimPost(grpc::CallbackServerContext* context,
                                                 const v1::ClaimPostRequest* request,
                                                 v1::PostClaim* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("post_id", request->post_id()); !s.ok()) return s;
    if (auto s = RequireId("registration_id", request->registration_id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock);
    auto claimed =
        store_.Claim(call.principal.scope_path(), write, *request, ActingMember(call.principal));
    if (claimed.ok() && MadeBy(claimed->claim_time(), write)) {
      metrics_.PostClaimed(claimed->community_path());
    }
    return Assign(std::move(claimed), response);
  });
}

grpc::ServerUnaryReactor* PostHandler::ListPosts(grpc::CallbackServerContext* context,
                                                 const v1::ListPostsRequest* request,
                                                 v1::ListPostsResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    return Assign(store_.ListPosts(call.principal.scope_path(), *request), response);
  });
}

grpc::ServerUnaryReactor* PairingHandler::CreatePairing(grpc::CallbackServerContext* context,
                                                        const v1::CreatePairingRequest* request,
                                                        v1::Pairing* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidateNewPairing(request->pairing()); !s.ok()) return s;
    if (auto s = ValidateRequestId(request->request_id()); !s.ok()) return s;
    const WriteContext write = call.Write(*env_.clock, request->request_id());
    auto made = store_.CreatePairing(call.principal.scope_path(), write, request->pairing());
    if (made.ok() && MadeBy(made->start_time(), write)) {
      metrics_.PairingMade(made->community_path());
    }
    return Assign(std::move(made), response);
  });
}

grpc::ServerUnaryReactor* PairingHandler::RecordVisit(grpc::CallbackServerContext* context,
                                                      const v1::RecordVisitRequest* request,
                                                      v1::Pairing* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("pairing_id", request->pairing_id()); !s.ok()) return s;
    const absl::Time now = env_.clock->Now();
    const absl::Time visit = request->has_visit_time() ? FromProtoTime(request->visit_time()) : now;
    if (auto s = ValidateVisit(visit, now, request->note()); !s.ok()) return s;
    // No request_id: every visit that succeeds is a new one.
    auto visited = store_.RecordVisit(call.principal.scope_path(), call.Write(*env_.clock),
                                      request->pairing_id(), visit, request->note(),
                                      ActingMember(call.principal));
    if (visited.ok()) metrics_.VisitRecorded(visited->community_path());
    return Assign(std::move(visited), response);
  });
}

grpc::ServerUnaryReactor* PairingHandler::EndPairing(grpc::CallbackServerContext* context,
                                                     const v1::EndPairingRequest* request,
                                                     v1::Pairing* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("pairing_id", request->pairing_id()); !s.ok()) return s;
    return Assign(store_.EndPairing(call.principal.scope_path(), call.Write(*env_.clock),
                                    request->pairing_id()),
                  response);
  });
}

grpc::ServerUnaryReactor* PairingHandler::ListPairingsWithoutRecentVisit(
    grpc::CallbackServerContext* context, const v1::ListPairingsWithoutRecentVisitRequest* request,
    v1::ListPairingsWithoutRecentVisitResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (request->limit() < 0 || request->limit() > 1000) {
      return InvalidField("limit", "LIMIT_INVALID", "limit is 1 to 1000 (0: 100)");
    }
    return Assign(
        store_.WithoutRecentVisit(call.principal.scope_path(), request->path(), env_.clock->Now(),
                                  request->limit() == 0 ? 100 : request->limit()),
        response);
  });
}

}  // namespace grassroots::dualreg
