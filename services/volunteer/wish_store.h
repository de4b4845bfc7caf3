#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/wish.pb.h"

namespace grassroots::volunteer {

struct WishPage {
  std::vector<v1::Wish> wishes;
  std::string last_id;  // empty when this was the last page
};

// Who claims: a volunteer or a party member (by orgs member id), for
// themselves or for a team they lead.
struct WishClaimer {
  std::string volunteer_id;
  std::string member_id;
  std::string team_id;
};

// One wish the sweeper moved: the state it was in, and what it became.
struct SweptWish {
  v1::WishState before = v1::WISH_STATE_UNSPECIFIED;
  v1::Wish after;
};

// The only code that speaks SQL about micro-wishes. Every step locks the
// wish's row first (lock order: wish → accounts), so a claim, a lapse and
// a confirmation of one wish queue; the points move by transfer
// "wish/<id>" in the transaction that confirms it.
class WishStore {
 public:
  WishStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  absl::StatusOr<v1::Wish> Collect(const std::string& scope, const WriteContext& write,
                                   const v1::Wish& requested);
  absl::StatusOr<v1::Wish> Verify(const std::string& scope, const WriteContext& write,
                                  const std::string& id, bool approve, const std::string& reason);
  absl::StatusOr<v1::Wish> Publish(const std::string& scope, const WriteContext& write,
                                   const std::string& id);
  absl::StatusOr<v1::Wish> Claim(const std::string& scope, const WriteContext& write,
                                 const std::string& id, const WishClaimer& claimer);
  absl::StatusOr<v1::Wish> Fulfil(const std::string& scope, const WriteContext& write,
                                  const std::string& id, const std::string& note);
  absl::StatusOr<v1::Wish> Confirm(const std::string& scope, const WriteContext& write,
                                   const std::string& id, const std::string& note);
  absl::StatusOr<v1::Wish> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<WishPage> List(const std::string& scope, const std::string& community_path,
                                v1::WishState state, int page_size, const std::string& after_id);

  // Applies the due rule (OnDue) to at most `limit` wishes due at
  // write.now, skipping rows another replica holds; the wishes as they
  // became.
  absl::StatusOr<std::vector<SweptWish>> SweepDue(const WriteContext& write, int limit);
  // How many wishes are in each state now (for the business metrics).
  absl::StatusOr<std::vector<std::pair<v1::WishState, int64_t>>> CountByState();

 private:
  // Locks the wish, runs `step` on a copy and saves it when it changed.
  absl::StatusOr<v1::Wish> Step(const std::string& scope, const WriteContext& write,
                                const std::string& id,
                                absl::FunctionRef<absl::Status(db::Connection&, v1::Wish&)> step);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
