#include "common/changes/own_feed_follower.h"

#include <vector>

#include "common/db/transaction.h"

namespace grassroots {
namespace {

constexpr int kFeedPage = 1000;

}  // namespace

OwnFeedFollower::OwnFeedFollower(db::ConnectionPool& pool, const ChangeLog& changes,
                                 const ChangeSequencer* sequencer, Logger& log, std::string what,
                                 Apply apply)
    : pool_(pool),
      changes_(changes),
      sequencer_(sequencer),
      log_(log),
      what_(std::move(what)),
      apply_(std::move(apply)) {}

OwnFeedFollower::~OwnFeedFollower() { Stop(); }

void OwnFeedFollower::SetCursor(int64_t cursor) {
  absl::MutexLock lock(&mu_);
  cursor_ = cursor;
}

absl::StatusOr<int64_t> OwnFeedFollower::CurrentPosition(db::Connection& c) {
  auto& position = c.Prepare("SELECT last_sequence FROM change_sequencer WHERE id = 1");
  auto rows = c.Query(position);
  if (!rows->next()) return absl::InternalError("change_sequencer row missing");
  return rows->getInt64(1);
}

absl::Status OwnFeedFollower::CatchUp() {
  absl::MutexLock lock(&mu_);
  while (true) {
    std::vector<common::v1::Change> page;
    absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
      page = changes_.Read(c, cursor_, kFeedPage, "");
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    for (const auto& change : page) {
      cursor_ = change.sequence();
      apply_(change);
    }
    if (page.size() < static_cast<size_t>(kFeedPage)) return absl::OkStatus();
  }
}

void OwnFeedFollower::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Follow(); });
}

void OwnFeedFollower::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void OwnFeedFollower::Follow() {
  while (!stopping_.load()) {
    int64_t cursor;
    {
      absl::MutexLock lock(&mu_);
      cursor = cursor_;
    }
    // The sequencer re-reads the feed position every tick, whichever replica
    // numbered the changes, so comparing with it costs no query.
    if (sequencer_ == nullptr || sequencer_->last_sequence() > cursor) {
      if (auto s = CatchUp(); !s.ok()) {
        log_.Warn(what_ + " could not follow the feed", {{"error", s.ToString()}});
      }
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
}

}  // namespace grassroots
