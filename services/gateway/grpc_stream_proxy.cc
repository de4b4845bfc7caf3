#include "services/gateway/grpc_stream_proxy.h"

#include "absl/time/clock.h"
#include "common/status/grpc_status.h"

namespace grassroots::gateway {

GrpcStreamProxy::GrpcStreamProxy(grpc::GenericCallbackServerContext* context, Admission admission,
                                 std::string request_id, Forwarder& forwarder,
                                 AccessLog& access_log)
    : context_(context),
      admission_(std::move(admission)),
      request_id_(std::move(request_id)),
      forwarder_(forwarder),
      access_log_(access_log),
      start_(absl::Now()) {}

grpc::ServerGenericBidiReactor* GrpcStreamProxy::Start(grpc::GenericCallbackServerContext* context,
                                                       Admission admission, const PassThrough& pass,
                                                       Forwarder& forwarder, AccessLog& access_log,
                                                       absl::Duration longest) {
  auto* proxy =
      new GrpcStreamProxy(context, std::move(admission), pass.request_id, forwarder, access_log);
  absl::Status prepared =
      forwarder.PrepareStream(proxy->admission_, pass, &proxy->upstream_, longest);
  if (!prepared.ok()) {
    proxy->FinishCaller(ToGrpcStatus(prepared));
    return proxy;
  }
  {
    absl::MutexLock lock(&proxy->mu_);
    proxy->refs_ = 2;
    proxy->hold_ = true;
  }
  proxy->admission_.method->backend->NextStub().PrepareBidiStreamingCall(
      &proxy->upstream_, proxy->admission_.method->path, grpc::StubOptions(), &proxy->backend_);
  proxy->backend_.AddHold();
  proxy->backend_.StartRead(&proxy->to_caller_);
  proxy->backend_.StartCall();
  proxy->StartRead(&proxy->to_backend_);
  return proxy;
}

bool GrpcStreamProxy::TakeHoldLocked() {
  const bool had = hold_;
  hold_ = false;
  return had;
}

bool GrpcStreamProxy::ReadyToFinishCallerLocked() {
  if (!backend_done_ || writing_to_caller_ || caller_finished_) return false;
  caller_finished_ = true;
  return true;
}

// A message from the caller, or the caller's half-close (ok false).
void GrpcStreamProxy::OnReadDone(bool ok) {
  bool write = false, writes_done = false, release = false;
  {
    absl::MutexLock lock(&mu_);
    if (ok && !backend_sent_all_ && hold_) {
      writing_to_backend_ = true;
      request_bytes_ += to_backend_.Length();
      write = true;
    } else if (!ok) {
      writes_done = hold_ && !backend_sent_all_;
      release = TakeHoldLocked();
    }
    // ok while the backend has already answered: the message has nowhere
    // to go, and reading stops here.
  }
  if (write) backend_.StartWrite(&to_backend_);
  if (writes_done) backend_.StartWritesDone();
  if (release) backend_.RemoveHold();
}

void GrpcStreamProxy::ToBackendWritten(bool ok) {
  bool read_more = false, release = false;
  {
    absl::MutexLock lock(&mu_);
    writing_to_backend_ = false;
    if (ok && !backend_sent_all_) {
      read_more = true;
    } else {
      release = TakeHoldLocked();
    }
  }
  if (read_more) StartRead(&to_backend_);
  if (release) backend_.RemoveHold();
}

// A message from the backend, or the end of its messages (ok false).
void GrpcStreamProxy::FromBackendRead(bool ok) {
  bool write = false, release = false;
  {
    absl::MutexLock lock(&mu_);
    if (ok) {
      writing_to_caller_ = true;
      response_bytes_ += to_caller_.Length();
      write = true;
    } else {
      backend_sent_all_ = true;
      if (!writing_to_backend_) release = TakeHoldLocked();
    }
  }
  if (write) StartWrite(&to_caller_);
  if (release) backend_.RemoveHold();
}

void GrpcStreamProxy::OnWriteDone(bool ok) {
  bool read_more = false, finish = false;
  grpc::Status status;
  {
    absl::MutexLock lock(&mu_);
    writing_to_caller_ = false;
    read_more = ok;
    finish = ReadyToFinishCallerLocked();
    status = backend_status_;
  }
  if (!ok) upstream_.TryCancel();  // the caller is gone
  if (read_more && !finish) backend_.StartRead(&to_caller_);
  if (finish) FinishCaller(status);
}

void GrpcStreamProxy::BackendDone(const grpc::Status& status) {
  admission_.method->backend->Release();
  forwarder_.NoteUpstreamError(*admission_.method->backend, status);
  bool finish = false;
  {
    absl::MutexLock lock(&mu_);
    backend_done_ = true;
    backend_status_ = status;
    finish = ReadyToFinishCallerLocked();
  }
  if (finish) FinishCaller(status);
  Unref();
}

void GrpcStreamProxy::FinishCaller(const grpc::Status& status) {
  access_log_.Write({"grpc", request_id_, admission_.principal.id(), admission_.method,
                     context_->method(), static_cast<int>(status.error_code()), 0,
                     absl::Now() - start_, request_bytes_, response_bytes_, ""});
  Finish(status);
}

void GrpcStreamProxy::OnCancel() { upstream_.TryCancel(); }

void GrpcStreamProxy::OnDone() { Unref(); }

void GrpcStreamProxy::Unref() {
  bool last = false;
  {
    absl::MutexLock lock(&mu_);
    last = --refs_ == 0;
  }
  if (last) delete this;
}

}  // namespace grassroots::gateway
