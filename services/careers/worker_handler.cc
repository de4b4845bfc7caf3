#include "services/careers/worker_handler.h"

#include "absl/strings/str_cat.h"
#include "common/paging/page_token.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/text/person_identifiers.h"
#include "common/text/text_rules.h"
#include "services/careers/worker_rules.h"

namespace grassroots::careers {

grpc::ServerUnaryReactor* WorkerHandler::CreateWorker(grpc::CallbackServerContext* context,
                                                      const v1::CreateWorkerRequest* request,
                                                      v1::Worker* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {ValidateNewWorker(request->worker()), ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Create(call.principal.scope_path(),
                                call.Write(*env_.clock, request->request_id()), request->worker()),
                  response);
  });
}

grpc::ServerUnaryReactor* WorkerHandler::GetWorker(grpc::CallbackServerContext* context,
                                                   const v1::GetWorkerRequest* request,
                                                   v1::Worker* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->id()), response);
  });
}

grpc::ServerUnaryReactor* WorkerHandler::GetWorkingHours(grpc::CallbackServerContext* context,
                                                         const v1::GetWorkerRequest* request,
                                                         v1::WorkerWorkingHours* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    auto worker = store_.Get(call.principal.scope_path(), request->id());
    if (!worker.ok()) return worker.status();
    response->set_worker_id(worker->id());
    response->set_community_path(worker->community_path());
    response->set_status(worker->status());
    *response->mutable_working_hours() = worker->working_hours();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* WorkerHandler::ListWorkers(grpc::CallbackServerContext* context,
                                                     const v1::ListWorkersRequest* request,
                                                     v1::ListWorkersResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = ValidatePath("path_prefix", request->path_prefix(), true); !s.ok()) return s;
    auto size = EffectivePageSize(request->page_size());
    if (!size.ok()) return size.status();
    const std::string query =
        absl::StrCat("workers|", call.principal.scope_path(), "|", request->path_prefix());
    std::string after;
    if (!request->page_token().empty()) {
      auto decoded = DecodePageToken(request->page_token(), query);
      if (!decoded.ok()) return decoded.status();
      after = *decoded;
    }
    auto page = store_.List(call.principal.scope_path(), request->path_prefix(), *size, after);
    if (!page.ok()) return page.status();
    for (v1::Worker& w : page->workers) *response->add_workers() = std::move(w);
    if (!page->last_id.empty()) {
      response->set_next_page_token(EncodePageToken(query, page->last_id));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* WorkerHandler::FindWorkerByIdNumber(
    grpc::CallbackServerContext* context, const v1::FindWorkerByIdNumberRequest* request,
    v1::Worker* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    auto normalised = NormaliseIdNumber("id_number", request->id_number());
    if (!normalised.ok()) return normalised.status();
    if (auto s = ValidateText("purpose", request->purpose(), 200, true); !s.ok()) return s;
    return Assign(store_.FindByIdNumber(call.principal.scope_path(), call.Write(*env_.clock),
                                        *normalised, request->purpose()),
                  response);
  });
}

grpc::ServerUnaryReactor* WorkerHandler::RevealWorkerIdNumber(
    grpc::CallbackServerContext* context, const v1::RevealWorkerIdNumberRequest* request,
    v1::WorkerIdNumber* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireId("id", request->id()), ValidateText("purpose", request->purpose(), 200, true)}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.RevealIdNumber(call.principal.scope_path(), call.Write(*env_.clock),
                                        request->id(), request->purpose()),
                  response);
  });
}

grpc::ServerUnaryReactor* WorkerHandler::ChangeWorker(grpc::CallbackServerContext* context,
                                                      const v1::ChangeWorkerRequest* request,
                                                      v1::Worker* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s : {RequireId("id", request->id()), ValidateChange(*request)}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Change(call.principal.scope_path(), call.Write(*env_.clock), *request),
                  response);
  });
}

grpc::ServerUnaryReactor* WorkerHandler::ListWorkerHistory(
    grpc::CallbackServerContext* context, const v1::ListWorkerHistoryRequest* request,
    v1::ListWorkerHistoryResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("id", request->id()); !s.ok()) return s;
    auto history = store_.History(call.principal.scope_path(), request->id());
    if (!history.ok()) return history.status();
    for (v1::WorkerChange& c : *history) *response->add_changes() = std::move(c);
    return absl::OkStatus();
  });
}

}  // namespace grassroots::careers
