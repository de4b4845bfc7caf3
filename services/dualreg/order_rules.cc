#include "services/dualreg/order_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/proto_time.h"
#include "services/dualreg/registration_rules.h"

namespace grassroots::dualreg {

absl::Status ValidateNewOrder(const v1::Order& order) {
  if (auto s = RequireId("order.community_id", order.community_id()); !s.ok()) return s;
  if (auto s = RequireId("order.household_id", order.household_id()); !s.ok()) return s;
  google::protobuf::RepeatedPtrField<std::string> skill;
  skill.Add(std::string(order.skill()));
  if (auto s = ValidateOffer(skill, {}, "order."); !s.ok()) {
    return InvalidField("order.skill", "SKILL_INVALID",
                        "order.skill is one skill code: 1-32 of a-z, 0-9, '-' and '_'");
  }
  if (auto s = ValidateText("order.description", order.description(), 500, true); !s.ok()) {
    return s;
  }
  if (!order.has_requested_time()) {
    return InvalidField("order.requested_time", "REQUESTED_TIME_REQUIRED",
                        "order.requested_time says when the service is wanted");
  }
  if (order.duration_minutes() < 15 || order.duration_minutes() > 1440) {
    return InvalidField("order.duration_minutes", "DURATION_INVALID",
                        "order.duration_minutes is 15 to 1440");
  }
  return absl::OkStatus();
}

absl::Status CheckDispatchable(v1::OrderState state, bool overdue) {
  if (state == v1::ORDERED || state == v1::UNMATCHED) return absl::OkStatus();
  if ((state == v1::DISPATCHED || state == v1::TAKEN) && overdue) return absl::OkStatus();
  return FailedPrecondition("ORDER_NOT_DISPATCHABLE",
                            "only an ordered, unmatched or overdue order can be dispatched");
}

absl::Status ValidateDispatch(const v1::DispatchOrderRequest& request) {
  if (request.registration_ids_size() > 5) {
    return InvalidField("registration_ids", "TOO_MANY_MEMBERS", "at most 5 registrations");
  }
  std::set<std::string> seen;
  for (const std::string& id : request.registration_ids()) {
    if (auto s = RequireId("registration_ids", id); !s.ok()) return s;
    if (!seen.insert(id).second) {
      return InvalidField("registration_ids", "REGISTRATION_REPEATED",
                          absl::StrCat("registration ", id, " named twice"));
    }
  }
  if (request.max_members() < 0 || request.max_members() > 5) {
    return InvalidField("max_members", "MAX_MEMBERS_INVALID", "max_members is 1 to 5");
  }
  return absl::OkStatus();
}

int MaxMembers(const v1::DispatchOrderRequest& request) {
  return request.max_members() == 0 ? 1 : request.max_members();
}

absl::Status CheckTakeable(v1::OrderState state, bool offered) {
  if (state != v1::DISPATCHED) {
    return FailedPrecondition("ORDER_NOT_DISPATCHED", "only a dispatched order can be taken");
  }
  if (!offered) {
    return FailedPrecondition("ORDER_NOT_OFFERED",
                              "the order was not dispatched to this registration");
  }
  return absl::OkStatus();
}

absl::Status CheckCompletable(v1::OrderState state, bool is_taker, int minutes) {
  if (minutes < 1 || minutes > 1440) {
    return InvalidField("minutes", "MINUTES_INVALID", "minutes served is 1 to 1440");
  }
  if (state != v1::TAKEN) {
    return FailedPrecondition("ORDER_NOT_TAKEN", "only a taken order can be completed");
  }
  if (!is_taker) {
    return PermissionDenied("NOT_THE_TAKER", "only the member who took the order completes it");
  }
  return absl::OkStatus();
}

absl::Status CheckConfirmable(v1::OrderState state, bool is_orderer) {
  if (state != v1::COMPLETED) {
    return FailedPrecondition("ORDER_NOT_COMPLETED", "only a completed order can be confirmed");
  }
  if (!is_orderer) {
    return PermissionDenied("NOT_THE_ORDERER",
                            "only the resident who ordered the service confirms it");
  }
  return absl::OkStatus();
}

absl::Status CheckRateable(v1::OrderState state, bool is_orderer, int rating) {
  if (rating < 1 || rating > 5) {
    return InvalidField("rating", "RATING_INVALID", "rating is 1 to 5");
  }
  if (state != v1::CONFIRMED) {
    return FailedPrecondition("ORDER_NOT_CONFIRMED",
                              "an order is rated once, after it is confirmed");
  }
  if (!is_orderer) {
    return PermissionDenied("NOT_THE_ORDERER",
                            "only the resident who ordered the service rates it");
  }
  return absl::OkStatus();
}

bool OfferSuits(const std::vector<std::string>& skills,
                const google::protobuf::RepeatedPtrField<v1::AvailabilitySlot>& slots,
                const std::string& skill, absl::Time requested_time, int duration_minutes,
                absl::Duration utc_offset) {
  if (std::find(skills.begin(), skills.end(), skill) == skills.end()) return false;
  const absl::CivilMinute local =
      absl::ToCivilMinute(requested_time + utc_offset, absl::UTCTimeZone());
  const int start = local.hour() * 60 + local.minute();
  const int end = start + duration_minutes;
  int weekday = 0;
  switch (absl::GetWeekday(absl::CivilDay(local))) {
    case absl::Weekday::monday:
      weekday = 1;
      break;
    case absl::Weekday::tuesday:
      weekday = 2;
      break;
    case absl::Weekday::wednesday:
      weekday = 3;
      break;
    case absl::Weekday::thursday:
      weekday = 4;
      break;
    case absl::Weekday::friday:
      weekday = 5;
      break;
    case absl::Weekday::saturday:
      weekday = 6;
      break;
    case absl::Weekday::sunday:
      weekday = 7;
      break;
  }
  for (const v1::AvailabilitySlot& slot : slots) {
    if (slot.weekday() == weekday && slot.start_minute() <= start && end <= slot.end_minute()) {
      return true;
    }
  }
  return false;
}

std::vector<Candidate> PickCandidates(std::vector<Candidate> suited, int max) {
  std::sort(suited.begin(), suited.end(), [](const Candidate& a, const Candidate& b) {
    if (a.open_orders != b.open_orders) return a.open_orders < b.open_orders;
    return a.registration_id < b.registration_id;
  });
  if (static_cast<int>(suited.size()) > max) suited.resize(max);
  return suited;
}

absl::Time TakeDue(absl::Time dispatched, const OrderClock& clock) {
  return dispatched + clock.take_within;
}

absl::Time CompleteDue(absl::Time taken, absl::Time requested_time, int duration_minutes,
                       const OrderClock& clock) {
  return std::max(taken, requested_time + absl::Minutes(duration_minutes)) + clock.complete_grace;
}

std::string CreditEventId(const std::string& order_id) { return order_id; }

}  // namespace grassroots::dualreg
