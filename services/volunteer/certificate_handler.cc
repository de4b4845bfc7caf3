#include "services/volunteer/certificate_handler.h"

#include "absl/strings/str_cat.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "services/volunteer/certificate_rules.h"
#include "services/volunteer/paging.h"

namespace grassroots::volunteer {
namespace {

absl::Status RequireNumber(const std::string& number) {
  if (number.empty() || number.size() > 40) {
    return InvalidField("number", "CERTIFICATE_NUMBER_REQUIRED",
                        "must be a certificate number (VC-<year>-<digits>)");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* CertificateHandler::PostCertificate(
    grpc::CallbackServerContext* context, const v1::PostCertificateRequest* request,
    v1::Certificate* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s : {ValidateCertificateRequest(request->certificate()),
                                  ValidateRequestId(request->request_id())}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Post(call.principal.scope_path(),
                              call.Write(clock_, request->request_id()), request->certificate()),
                  response);
  });
}

grpc::ServerUnaryReactor* CertificateHandler::IssueCertificate(
    grpc::CallbackServerContext* context, const v1::CertificateRequest* request,
    v1::Certificate* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireNumber(request->number()); !s.ok()) return s;
    return Assign(store_.Issue(call.principal.scope_path(), call.Write(clock_), request->number()),
                  response);
  });
}

grpc::ServerUnaryReactor* CertificateHandler::RevokeCertificate(
    grpc::CallbackServerContext* context, const v1::RevokeCertificateRequest* request,
    v1::Certificate* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    for (const absl::Status& s :
         {RequireNumber(request->number()), ValidateText("reason", request->reason(), 500, true)}) {
      if (!s.ok()) return s;
    }
    return Assign(store_.Revoke(call.principal.scope_path(), call.Write(clock_), request->number(),
                                request->reason()),
                  response);
  });
}

grpc::ServerUnaryReactor* CertificateHandler::GetCertificate(grpc::CallbackServerContext* context,
                                                             const v1::CertificateRequest* request,
                                                             v1::Certificate* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireNumber(request->number()); !s.ok()) return s;
    return Assign(store_.Get(call.principal.scope_path(), request->number()), response);
  });
}

grpc::ServerUnaryReactor* CertificateHandler::ListCertificates(
    grpc::CallbackServerContext* context, const v1::ListCertificatesRequest* request,
    v1::ListCertificatesResponse* response) {
  return HandleUnary(context, env_, [this, request, response](const Call& call) -> absl::Status {
    if (auto s = RequireId("volunteer_id", request->volunteer_id()); !s.ok()) return s;
    auto page = OpenPage(
        absl::StrCat("certificates|", call.principal.scope_path(), "|", request->volunteer_id()),
        request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    auto listed =
        store_.List(call.principal.scope_path(), request->volunteer_id(), page->size, page->after);
    if (!listed.ok()) return listed.status();
    for (v1::Certificate& c : listed->certificates) *response->add_certificates() = std::move(c);
    response->set_next_page_token(TokenAfter(*page, listed->last_seq));
    return absl::OkStatus();
  });
}

}  // namespace grassroots::volunteer
