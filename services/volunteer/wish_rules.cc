#include "services/volunteer/wish_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/proto_time.h"
#include "services/volunteer/ledger_rules.h"

namespace grassroots::volunteer {
namespace {}  // namespace

const char* WishStateName(v1::WishState state) {
  switch (state) {
    case v1::WISH_COLLECTED:
      return "collected";
    case v1::WISH_VERIFIED:
      return "verified";
    case v1::WISH_PUBLISHED:
      return "published";
    case v1::WISH_CLAIMED:
      return "claimed";
    case v1::WISH_FULFILLED:
      return "fulfilled";
    case v1::WISH_CONFIRMED:
      return "confirmed";
    case v1::WISH_REJECTED:
      return "rejected";
    case v1::WISH_EXPIRED:
      return "expired";
    case v1::WISH_ESCALATED:
      return "escalated";
    default:
      return "unknown";
  }
}

namespace {

bool Claimable(v1::WishState state) {
  return state == v1::WISH_PUBLISHED || state == v1::WISH_ESCALATED;
}

void SetDue(v1::Wish& wish, const google::protobuf::Timestamp& due) {
  *wish.mutable_due_time() = due;
}

}  // namespace

absl::Status ValidateWish(const v1::Wish& w) {
  if (auto s = ValidateCommunityPath("wish.community_path", w.community_path()); !s.ok()) return s;
  for (const absl::Status& s : {ValidateText("wish.title", w.title(), 200, true),
                                ValidateText("wish.description", w.description(), 2000, false)}) {
    if (!s.ok()) return s;
  }
  if (w.household_ref().size() > 40) {
    return InvalidField("wish.household_ref", "HOUSEHOLD_REF_INVALID",
                        "must be a household id of at most 40 bytes");
  }
  if (w.points() < 0 || w.points() > 100) {
    return InvalidField("wish.points", "WISH_POINTS_INVALID", "must be 0 to 100 points");
  }
  if (w.publish_days() < 0 || w.publish_days() > 90) {
    return InvalidField("wish.publish_days", "PUBLISH_DAYS_INVALID",
                        "must be 1 to 90 days (0: the default of 14)");
  }
  if (w.claim_hours() < 0 || w.claim_hours() > 720) {
    return InvalidField("wish.claim_hours", "CLAIM_HOURS_INVALID",
                        "must be 1 to 720 hours (0: the default of 72)");
  }
  if (!v1::UnclaimedPolicy_IsValid(w.on_unclaimed())) {
    return InvalidField("wish.on_unclaimed", "UNCLAIMED_POLICY_INVALID",
                        "must be UNCLAIMED_EXPIRE or UNCLAIMED_ESCALATE");
  }
  return absl::OkStatus();
}

v1::Wish Collected(const v1::Wish& requested) {
  v1::Wish w;
  w.set_community_path(requested.community_path());
  w.set_title(requested.title());
  w.set_description(requested.description());
  w.set_household_ref(requested.household_ref());
  w.set_points(requested.points());
  w.set_publish_days(requested.publish_days() == 0 ? kDefaultPublishDays
                                                   : requested.publish_days());
  w.set_claim_hours(requested.claim_hours() == 0 ? kDefaultClaimHours : requested.claim_hours());
  w.set_on_unclaimed(requested.on_unclaimed() == v1::UNCLAIMED_ESCALATE ? v1::UNCLAIMED_ESCALATE
                                                                        : v1::UNCLAIMED_EXPIRE);
  w.set_state(v1::WISH_COLLECTED);
  return w;
}

absl::Status CheckWishStep(v1::WishState state, WishStep step) {
  const char* to = "";
  bool ok = false;
  switch (step) {
    case WishStep::kVerify:
      ok = state == v1::WISH_COLLECTED;
      to = "verified";
      break;
    case WishStep::kPublish:
      ok = state == v1::WISH_VERIFIED;
      to = "published";
      break;
    case WishStep::kClaim:
      ok = Claimable(state);
      to = "claimed";
      break;
    case WishStep::kFulfil:
      ok = state == v1::WISH_CLAIMED;
      to = "fulfilled";
      break;
    case WishStep::kConfirm:
      ok = state == v1::WISH_FULFILLED;
      to = "confirmed";
      break;
  }
  if (ok) return absl::OkStatus();
  return FailedPrecondition(
      "WISH_STATE", absl::StrCat("a wish that is ", WishStateName(state), " cannot be ", to));
}

absl::Status CheckClaimable(const v1::Wish& wish, absl::Time now) {
  if (auto s = CheckWishStep(wish.state(), WishStep::kClaim); !s.ok()) return s;
  const absl::Time until = FromProtoTime(wish.claimable_until());
  if (now >= until) {
    return FailedPrecondition("CLAIM_PERIOD_OVER",
                              absl::StrCat("the wish could be claimed until ",
                                           absl::FormatTime(until, absl::UTCTimeZone()),
                                           "; it is about to expire or escalate"));
  }
  return absl::OkStatus();
}

absl::Status CheckClaimHeld(const v1::Wish& wish, absl::Time now) {
  const absl::Time due = FromProtoTime(wish.claim_due_time());
  if (now >= due) {
    return FailedPrecondition(
        "CLAIM_LAPSED",
        absl::StrCat("the claim lapsed at ", absl::FormatTime(due, absl::UTCTimeZone()),
                     "; the wish is open to claim again"));
  }
  return absl::OkStatus();
}

void ApplyClaim(v1::Wish& wish, absl::Time now) {
  wish.set_state(v1::WISH_CLAIMED);
  ToProtoTime(now + absl::Hours(wish.claim_hours()), wish.mutable_claim_due_time());
  SetDue(wish, wish.claim_due_time());
}

void ApplyPublish(v1::Wish& wish, absl::Time now) {
  wish.set_state(v1::WISH_PUBLISHED);
  ToProtoTime(now + absl::Hours(24) * wish.publish_days(), wish.mutable_claimable_until());
  SetDue(wish, wish.claimable_until());
}

std::optional<v1::Wish> OnDue(const v1::Wish& wish, absl::Time now) {
  if (!wish.has_due_time() || FromProtoTime(wish.due_time()) > now) return std::nullopt;
  v1::Wish after = wish;
  if (wish.state() == v1::WISH_CLAIMED) {
    after.set_state(wish.escalated_to_path().empty() ? v1::WISH_PUBLISHED : v1::WISH_ESCALATED);
    after.set_claimer_kind(v1::CLAIMER_KIND_UNSPECIFIED);
    after.clear_claimer_volunteer_id();
    after.clear_claimer_team_id();
    after.clear_claimer_member_id();
    after.clear_claim_due_time();
    after.set_lapsed_claims(wish.lapsed_claims() + 1);
    SetDue(after, wish.claimable_until());
    // Its own deadline may have passed while it was claimed.
    if (auto next = OnDue(after, now)) return next;
    return after;
  }
  if (!Claimable(wish.state())) return std::nullopt;
  if (wish.state() == v1::WISH_PUBLISHED && wish.on_unclaimed() == v1::UNCLAIMED_ESCALATE) {
    after.set_state(v1::WISH_ESCALATED);
    after.set_escalated_to_path(StreetOf(wish.community_path()));
    ToProtoTime(now + absl::Hours(24) * wish.publish_days(), after.mutable_claimable_until());
    SetDue(after, after.claimable_until());
    return after;
  }
  after.set_state(v1::WISH_EXPIRED);
  after.clear_due_time();
  return after;
}

std::string WishTransferId(absl::string_view wish_id) { return absl::StrCat("wish/", wish_id); }

}  // namespace grassroots::volunteer
