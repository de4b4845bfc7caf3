#include "common/changes/change_sequencer.h"

#include <cppconn/exception.h>
#include <prometheus/family.h>

#include "absl/strings/str_cat.h"
#include "common/db/sql_errors.h"
#include "common/db/transaction.h"

namespace grassroots {
namespace {
constexpr int kBatch = 2000;
}

ChangeSequencer::ChangeSequencer(db::ConnectionPool& pool, Logger& log,
                                 prometheus::Registry& registry, absl::Duration interval)
    : pool_(pool),
      log_(log),
      interval_(interval),
      sequenced_total_(prometheus::BuildCounter()
                           .Name("grassroots_change_feed_sequenced_total")
                           .Help("Changes given a feed position")
                           .Register(registry)
                           .Add({})),
      last_sequence_gauge_(prometheus::BuildGauge()
                               .Name("grassroots_change_feed_last_sequence")
                               .Help("Highest feed position assigned")
                               .Register(registry)
                               .Add({})),
      pending_gauge_(prometheus::BuildGauge()
                         .Name("grassroots_change_feed_unsequenced")
                         .Help("1 while committed changes wait for a feed position (outbox lag)")
                         .Register(registry)
                         .Add({})) {}

ChangeSequencer::~ChangeSequencer() { Stop(); }

void ChangeSequencer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ChangeSequencer::Stop() {
  std::vector<std::pair<int64_t, std::function<void(bool)>>> waiters;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    waiters.swap(waiters_);
  }
  if (thread_.joinable()) thread_.join();
  for (auto& [after, callback] : waiters) callback(false);
}

void ChangeSequencer::NotifyAbove(int64_t after, std::function<void(bool)> callback) {
  bool stopping;
  {
    absl::MutexLock lock(&mu_);
    stopping = stopping_;
    if (!stopping && last_sequence_.load() <= after) {
      waiters_.emplace_back(after, std::move(callback));
      return;
    }
  }
  callback(!stopping);
}

void ChangeSequencer::Publish(int64_t last) {
  if (last <= last_sequence_.load()) return;
  last_sequence_.store(last);
  last_sequence_gauge_.Set(static_cast<double>(last));
  std::vector<std::function<void(bool)>> ready;
  {
    absl::MutexLock lock(&mu_);
    auto it = waiters_.begin();
    while (it != waiters_.end()) {
      if (it->first < last) {
        ready.push_back(std::move(it->second));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& callback : ready) callback(true);
}

absl::StatusOr<int> ChangeSequencer::SequenceOnce() {
  int numbered = 0;
  int64_t last = 0;
  bool pending = false;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto& probe = c.Prepare(
        "SELECT (SELECT last_sequence FROM change_sequencer WHERE id = 1),"
        " EXISTS (SELECT 1 FROM change_log WHERE sequence IS NULL)");
    auto rows = c.Query(probe);
    if (rows->next()) {
      last = rows->getInt64(1);
      pending = rows->getInt(2) != 0;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (pending) {
    pending_gauge_.Set(1);
    status = db::RunInTransaction(
        pool_,
        [&](db::Connection& c) -> absl::Status {
          auto& lock =
              c.Prepare("SELECT last_sequence FROM change_sequencer WHERE id = 1 FOR UPDATE");
          auto rows = c.Query(lock);
          if (!rows->next()) return absl::InternalError("change_sequencer row missing");
          const int64_t start = rows->getInt64(1);
          auto& init = c.Prepare("SET @grassroots_sequence = ?");
          init.setInt64(1, start);
          init.execute();
          auto& number = c.Prepare(
              // The index keeps unnumbered rows in id order: no scan of the numbered.
              "UPDATE change_log FORCE INDEX (k_change_log_sequence)"
              " SET sequence = (@grassroots_sequence := @grassroots_sequence + 1)"
              " WHERE sequence IS NULL ORDER BY id LIMIT ?");
          number.setInt(1, kBatch);
          numbered = number.executeUpdate();
          last = start + numbered;
          auto& save = c.Prepare("UPDATE change_sequencer SET last_sequence = ? WHERE id = 1");
          save.setInt64(1, last);
          save.executeUpdate();
          return absl::OkStatus();
        },
        db::TransactionOptions{.read_committed = true});
    if (!status.ok()) return status;
    if (numbered < kBatch) pending_gauge_.Set(0);
    sequenced_total_.Increment(numbered);
  }
  Publish(last);
  return numbered;
}

void ChangeSequencer::Loop() {
  while (true) {
    auto numbered = SequenceOnce();
    if (!numbered.ok()) {
      log_.Warn("change sequencer could not run", {{"error", numbered.status().ToString()}});
    }
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    if (numbered.ok() && *numbered >= kBatch) continue;  // more waiting
    auto wake = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
    mu_.AwaitWithTimeout(absl::Condition(&wake), interval_);
    if (stopping_) return;
  }
}

}  // namespace grassroots
