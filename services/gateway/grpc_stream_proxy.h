#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/access_log.h"
#include "services/gateway/call_gate.h"
#include "services/gateway/forwarder.h"

namespace grassroots::gateway {

// One streaming call (client, server or both directions) forwarded as
// bytes: every message the caller sends is written to the backend and every
// message the backend sends is written to the caller, one at a time in each
// direction (so gRPC's flow control reaches end to end), and the backend's
// final status is the caller's. Cancelling either side cancels the other.
// Deletes itself once both sides are done.
class GrpcStreamProxy final : public grpc::ServerGenericBidiReactor {
 public:
  // Starts the call; `admission` has passed the CallGate. `longest` caps the
  // stream's deadline.
  static grpc::ServerGenericBidiReactor* Start(grpc::GenericCallbackServerContext* context,
                                               Admission admission, const PassThrough& pass,
                                               Forwarder& forwarder, AccessLog& access_log,
                                               absl::Duration longest);

  // The caller's side.
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // The backend's side: a client reactor whose callbacks go to the proxy.
  class BackendSide final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit BackendSide(GrpcStreamProxy& proxy) : proxy_(proxy) {}
    void OnReadDone(bool ok) override { proxy_.FromBackendRead(ok); }
    void OnWriteDone(bool ok) override { proxy_.ToBackendWritten(ok); }
    void OnDone(const grpc::Status& status) override { proxy_.BackendDone(status); }

   private:
    GrpcStreamProxy& proxy_;
  };

  GrpcStreamProxy(grpc::GenericCallbackServerContext* context, Admission admission,
                  std::string request_id, Forwarder& forwarder, AccessLog& access_log);

  void FromBackendRead(bool ok);
  void ToBackendWritten(bool ok);
  void BackendDone(const grpc::Status& status);
  // Each returns what to do once the lock is released: gRPC may run a
  // reaction inline, and reactions take the lock.
  bool TakeHoldLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool ReadyToFinishCallerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FinishCaller(const grpc::Status& status);
  void Unref();

  grpc::GenericCallbackServerContext* const context_;
  const Admission admission_;
  const std::string request_id_;
  Forwarder& forwarder_;
  AccessLog& access_log_;
  const absl::Time start_;
  BackendSide backend_{*this};
  grpc::ClientContext upstream_;
  grpc::ByteBuffer to_backend_;
  grpc::ByteBuffer to_caller_;
  size_t request_bytes_ = 0;
  size_t response_bytes_ = 0;

  absl::Mutex mu_;
  // The hold keeps the backend call open while the caller may still send.
  bool hold_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_to_backend_ ABSL_GUARDED_BY(mu_) = false;
  bool backend_sent_all_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_to_caller_ ABSL_GUARDED_BY(mu_) = false;
  bool backend_done_ ABSL_GUARDED_BY(mu_) = false;
  bool caller_finished_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status backend_status_ ABSL_GUARDED_BY(mu_);
  int refs_ ABSL_GUARDED_BY(mu_) = 1;  // the caller's side; +1 once the backend's starts
};

}  // namespace grassroots::gateway
