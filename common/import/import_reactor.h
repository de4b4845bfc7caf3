#pragma once

#include <grpcpp/grpcpp.h>

#include <exception>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "common/server/call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grassroots/common/v1/import.pb.h"

namespace grassroots {

inline constexpr size_t kMaxImportBytes = 64 << 20;

// What a service does with a whole import file once it has arrived: parse
// and store it (all or nothing), filling the result. Runs on the worker pool.
template <typename Result>
using ImportBody = std::function<absl::Status(const Call& call, common::v1::FileFormat format,
                                              const std::string& data,
                                              const std::string& request_id, Result* result)>;

namespace internal {

// Reads the pieces of one file, then runs the body on the worker pool.
// `Chunk` has format(), data() and request_id() (common::v1::ImportChunk,
// or an older method's own request with the same fields).
template <typename Chunk, typename Result>
class ImportReactor final : public grpc::ServerReadReactor<Chunk> {
 public:
  ImportReactor(const ServiceEnv& env, Call call, Result* result, ImportBody<Result> body)
      : env_(env), call_(std::move(call)), result_(result), body_(std::move(body)) {
    this->StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (ok) {
      if (first_) {
        format_ = static_cast<common::v1::FileFormat>(chunk_.format());
        request_id_ = chunk_.request_id();
        first_ = false;
      }
      if (data_.size() + chunk_.data().size() > kMaxImportBytes) {
        this->Finish(ToGrpcStatus(
            InvalidField("data", "IMPORT_TOO_LARGE", "an import file may be at most 64 MiB")));
        return;
      }
      data_.append(chunk_.data());
      this->StartRead(&chunk_);
      return;
    }
    // The client finished sending (or went away; then Finish is harmless).
    const bool queued = env_.workers->Submit([this] {
      absl::Status status;
      try {
        status = body_(call_, format_, data_, request_id_, result_);
      } catch (const std::exception& e) {
        status = absl::InternalError(e.what());
      }
      LogIfInternal(env_, &call_, status);
      this->Finish(ToGrpcStatus(status));
    });
    if (!queued) {
      this->Finish(ToGrpcStatus(ResourceExhausted("SERVER_BUSY", "the service is at capacity")));
    }
  }

  void OnDone() override { delete this; }

 private:
  const ServiceEnv& env_;
  const Call call_;
  Result* result_;
  const ImportBody<Result> body_;
  Chunk chunk_;
  bool first_ = true;
  common::v1::FileFormat format_ = common::v1::FILE_FORMAT_UNSPECIFIED;
  std::string request_id_;
  std::string data_;
};

template <typename Chunk>
class RefusedImport final : public grpc::ServerReadReactor<Chunk> {
 public:
  explicit RefusedImport(const absl::Status& status) { this->Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace internal

// The server side of every import method: authenticates on gRPC's thread,
// reads the file's pieces (format and request id from the first, at most
// kMaxImportBytes in all), then runs `body` on the worker pool.
template <typename Chunk = common::v1::ImportChunk, typename Result = common::v1::ImportResult>
grpc::ServerReadReactor<Chunk>* HandleImport(grpc::CallbackServerContext* context,
                                             const ServiceEnv& env, Result* result,
                                             std::type_identity_t<ImportBody<Result>> body) {
  auto call = Authenticate(*context, env);
  if (!call.ok()) return new internal::RefusedImport<Chunk>(call.status());
  return new internal::ImportReactor<Chunk, Result>(env, *std::move(call), result, std::move(body));
}

}  // namespace grassroots
