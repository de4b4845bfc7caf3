#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grassroots/dualreg/v1/order.pb.h"
#include "grassroots/dualreg/v1/registration.pb.h"

namespace grassroots::dualreg {

// How long each step may take (flags of the service).
struct OrderClock {
  // From dispatch to take.
  absl::Duration take_within = absl::Hours(2);
  // After the later of the take and the end of the requested time.
  absl::Duration complete_grace = absl::Hours(24);
  // Local time of availability slots.
  absl::Duration utc_offset = absl::Hours(8);
};

// A new order's fields: ids, skill code, description, requested time and
// duration (15-1440 minutes).
absl::Status ValidateNewOrder(const v1::Order& order);

// ORDERED and UNMATCHED orders, and overdue DISPATCHED or TAKEN ones, may be
// dispatched (again); FAILED_PRECONDITION (ORDER_NOT_DISPATCHABLE) otherwise.
absl::Status CheckDispatchable(v1::OrderState state, bool overdue);
// 1-5 named registrations, no repeats; max_members 0 (1) to 5.
absl::Status ValidateDispatch(const v1::DispatchOrderRequest& request);
int MaxMembers(const v1::DispatchOrderRequest& request);

// The member may take it: it is DISPATCHED and offered to the registration.
absl::Status CheckTakeable(v1::OrderState state, bool offered);
// The taker completes a TAKEN order with 1-1440 minutes.
absl::Status CheckCompletable(v1::OrderState state, bool is_taker, int minutes);
// Only who ordered it (or an admin) confirms a COMPLETED order.
absl::Status CheckConfirmable(v1::OrderState state, bool is_orderer);
// Who ordered it rates a CONFIRMED order 1-5 once.
absl::Status CheckRateable(v1::OrderState state, bool is_orderer, int rating);

// Whether a registration's offer suits the order: the order's skill among
// its skills, and one availability slot holding the whole requested time
// (local weekday and minutes; a service crossing local midnight fits none).
bool OfferSuits(const std::vector<std::string>& skills,
                const google::protobuf::RepeatedPtrField<v1::AvailabilitySlot>& slots,
                const std::string& skill, absl::Time requested_time, int duration_minutes,
                absl::Duration utc_offset);

// A registration that suits the order and how busy it is.
struct Candidate {
  std::string registration_id;
  int open_orders = 0;
};
// The least busy first (ties by id, so the choice is repeatable), at most `max`.
std::vector<Candidate> PickCandidates(std::vector<Candidate> suited, int max);

// The deadline of the step the order now waits for.
absl::Time TakeDue(absl::Time dispatched, const OrderClock& clock);
absl::Time CompleteDue(absl::Time taken, absl::Time requested_time, int duration_minutes,
                       const OrderClock& clock);

// The credit event of a confirmed order: its id is the order's, so a
// redelivery is one credit in volunteer.
std::string CreditEventId(const std::string& order_id);

}  // namespace grassroots::dualreg
