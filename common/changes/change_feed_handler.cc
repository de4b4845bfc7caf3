#include "common/changes/change_feed_handler.h"

#include "common/paging/page_token.h"

namespace grassroots {
namespace {

constexpr int kWatchBatch = 500;

using common::v1::Change;

// A reactor that fails at once (bad credentials or arguments).
class RefusedWatch final : public grpc::ServerWriteReactor<Change> {
 public:
  explicit RefusedWatch(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

// Exactly one of fetching, writing or waiting drives the stream at a time;
// whoever moves it to kFinished calls Finish, once. State shared with the
// sequencer's callbacks outlives the reactor, so a late callback is harmless.
class WatchReactor final : public grpc::ServerWriteReactor<Change> {
 public:
  WatchReactor(const ServiceEnv& env, Call call, int64_t after, std::string prefix)
      : shared_(std::make_shared<Shared>()) {
    shared_->env = &env;
    shared_->reactor = this;
    shared_->call = std::move(call);
    shared_->cursor = after;
    shared_->prefix = std::move(prefix);
    Shared::Fetch(shared_);
  }

  void OnWriteDone(bool ok) override { Shared::WriteDone(shared_, ok); }
  void OnCancel() override { Shared::Cancel(shared_); }
  void OnDone() override { delete this; }

 private:
  enum class State { kFetching, kWriting, kWaiting, kFinished };

  struct Shared {
    const ServiceEnv* env = nullptr;
    WatchReactor* reactor = nullptr;
    Call call;
    std::string prefix;
    absl::Mutex mu;
    State state ABSL_GUARDED_BY(mu) = State::kFetching;
    bool cancelled ABSL_GUARDED_BY(mu) = false;
    int64_t cursor = 0;  // touched only by whoever drives
    std::vector<Change> buffer;
    size_t next = 0;

    // Moves to kFinished unless already there; true if the caller must Finish.
    bool FinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      if (state == State::kFinished) return false;
      state = State::kFinished;
      return true;
    }

    static void Fetch(const std::shared_ptr<Shared>& self) {
      const bool queued = self->env->workers->Submit([self] { RunFetch(self); });
      if (!queued) {
        {
          absl::MutexLock lock(&self->mu);
          if (!self->FinishLocked()) return;
        }
        self->reactor->Finish(ToGrpcStatus(
            ResourceExhausted("SERVER_BUSY", "the service is at capacity; reconnect shortly")));
      }
    }

    static void RunFetch(const std::shared_ptr<Shared>& self) {
      std::vector<Change> changes;
      absl::Status status = db::RunReadOnly(*self->env->pool, [&](db::Connection& c) {
        changes = self->env->changes->Read(c, self->cursor, kWatchBatch, self->prefix);
        return absl::OkStatus();
      });
      grpc::Status finish_with;
      bool finish = false, wait = false;
      {
        absl::MutexLock lock(&self->mu);
        if (self->cancelled || !status.ok()) {
          if (!self->FinishLocked()) return;
          finish = true;
          finish_with = self->cancelled ? grpc::Status::CANCELLED : ToGrpcStatus(status);
        } else if (changes.empty()) {
          self->state = State::kWaiting;
          wait = true;
        } else {
          self->buffer = std::move(changes);
          self->next = 0;
          self->state = State::kWriting;
        }
      }
      if (finish) {
        self->reactor->Finish(finish_with);
      } else if (wait) {
        self->env->sequencer->NotifyAbove(self->cursor, [self](bool ok) { Wake(self, ok); });
      } else {
        self->reactor->StartWrite(&self->buffer[0]);
      }
    }

    static void Wake(const std::shared_ptr<Shared>& self, bool ok) {
      {
        absl::MutexLock lock(&self->mu);
        if (self->state != State::kWaiting) return;
        self->state = ok ? State::kFetching : State::kFinished;
      }
      if (ok) {
        Fetch(self);
      } else {
        self->reactor->Finish(ToGrpcStatus(
            Unavailable("SERVER_STOPPING", "the service is stopping; reconnect to resume")));
      }
    }

    static void WriteDone(const std::shared_ptr<Shared>& self, bool ok) {
      Change* next_write = nullptr;
      bool finish = false;
      {
        absl::MutexLock lock(&self->mu);
        if (!ok || self->cancelled) {
          if (!self->FinishLocked()) return;
          finish = true;
        } else {
          self->cursor = self->buffer[self->next].sequence();
          ++self->next;
          if (self->next < self->buffer.size()) {
            next_write = &self->buffer[self->next];
          } else {
            self->state = State::kFetching;
          }
        }
      }
      if (finish) {
        self->reactor->Finish(grpc::Status::CANCELLED);
      } else if (next_write != nullptr) {
        self->reactor->StartWrite(next_write);
      } else {
        Fetch(self);
      }
    }

    static void Cancel(const std::shared_ptr<Shared>& self) {
      {
        absl::MutexLock lock(&self->mu);
        self->cancelled = true;
        if (self->state != State::kWaiting) return;  // the driver will see it
        self->state = State::kFinished;
      }
      self->reactor->Finish(grpc::Status::CANCELLED);
    }
  };

  std::shared_ptr<Shared> shared_;
};

}  // namespace

absl::StatusOr<std::string> FeedPrefix(const Call& call, const std::string& requested) {
  if (requested.empty()) return call.principal.scope_path();
  if (auto status = RequireInScope(call.principal, requested); !status.ok()) return status;
  return requested;
}

absl::Status ListChanges(const ServiceEnv& env, const Call& call,
                         const common::v1::ListChangesRequest& request,
                         common::v1::ListChangesResponse* response) {
  auto limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (request.after_sequence() < 0) {
    return InvalidField("after_sequence", "CURSOR_NEGATIVE", "must not be negative");
  }
  auto prefix = FeedPrefix(call, request.path_prefix());
  if (!prefix.ok()) return prefix.status();
  std::vector<Change> changes;
  auto status = db::RunReadOnly(*env.pool, [&](db::Connection& c) {
    changes = env.changes->Read(c, request.after_sequence(), *limit, *prefix);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  response->set_last_sequence(changes.empty() ? request.after_sequence()
                                              : changes.back().sequence());
  for (auto& change : changes) *response->add_changes() = std::move(change);
  return absl::OkStatus();
}

grpc::ServerWriteReactor<Change>* WatchChanges(grpc::CallbackServerContext* context,
                                               const ServiceEnv& env,
                                               const common::v1::WatchChangesRequest& request) {
  auto call = Authenticate(*context, env);
  if (!call.ok()) return new RefusedWatch(call.status());
  if (request.after_sequence() < 0) {
    return new RefusedWatch(
        InvalidField("after_sequence", "CURSOR_NEGATIVE", "must not be negative"));
  }
  auto prefix = FeedPrefix(*call, request.path_prefix());
  if (!prefix.ok()) return new RefusedWatch(prefix.status());
  return new WatchReactor(env, *std::move(call), request.after_sequence(), *std::move(prefix));
}

}  // namespace grassroots
