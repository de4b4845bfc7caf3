#pragma once

#include "common/server/service_env.h"
#include "common/time/clock.h"
#include "grassroots/volunteer/v1/certificate.grpc.pb.h"
#include "services/volunteer/certificate_store.h"

namespace grassroots::volunteer {

// gRPC edge of certificates. Certificate times (posting, issue, the 7
// days between) come from `clock`, passed in apart from the one that
// checks credentials, so a test can move a week on without its callers'
// principals expiring.
class CertificateHandler final : public v1::CertificateService::CallbackService {
 public:
  CertificateHandler(const ServiceEnv& env, CertificateStore& store, const Clock& clock)
      : env_(env), store_(store), clock_(clock) {}

  grpc::ServerUnaryReactor* PostCertificate(grpc::CallbackServerContext* context,
                                            const v1::PostCertificateRequest* request,
                                            v1::Certificate* response) override;
  grpc::ServerUnaryReactor* IssueCertificate(grpc::CallbackServerContext* context,
                                             const v1::CertificateRequest* request,
                                             v1::Certificate* response) override;
  grpc::ServerUnaryReactor* RevokeCertificate(grpc::CallbackServerContext* context,
                                              const v1::RevokeCertificateRequest* request,
                                              v1::Certificate* response) override;
  grpc::ServerUnaryReactor* GetCertificate(grpc::CallbackServerContext* context,
                                           const v1::CertificateRequest* request,
                                           v1::Certificate* response) override;
  grpc::ServerUnaryReactor* ListCertificates(grpc::CallbackServerContext* context,
                                             const v1::ListCertificatesRequest* request,
                                             v1::ListCertificatesResponse* response) override;

 private:
  const ServiceEnv& env_;
  CertificateStore& store_;
  const Clock& clock_;
};

}  // namespace grassroots::volunteer
