#include "services/volunteer/credit_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/volunteer/ledger_rules.h"
#include "services/volunteer/supermarket_rules.h"

namespace grassroots::volunteer {

absl::Status ValidateCredit(const v1::Credit& c) {
  if (c.source().size() > 16 || !IsCode(c.source())) {
    return InvalidField("credit.source", "CREDIT_SOURCE_INVALID",
                        "must be 1-16 of a-z, 0-9, '-' and '_' naming the calling system");
  }
  // Event ids have the shape of redemption ids (the caller's, 1-40 safe characters).
  if (auto s = ValidateRedemptionId("credit.event_id", c.event_id()); !s.ok()) {
    return InvalidField("credit.event_id", "EVENT_ID_INVALID", s.message());
  }
  if (c.volunteer_id().empty() || c.volunteer_id().size() > 40) {
    return InvalidField("credit.volunteer_id", "ID_REQUIRED", "must name a volunteer");
  }
  if (c.points() < 0 || c.points() > 1000) {
    return InvalidField("credit.points", "CREDIT_POINTS_INVALID", "must be 0 to 1,000 points");
  }
  if (c.minutes() < 0 || c.minutes() > 1440) {
    return InvalidField("credit.minutes", "CREDIT_MINUTES_INVALID", "must be 0 to 1,440 minutes");
  }
  if (c.points() == 0 && c.minutes() == 0) {
    return InvalidField("credit.points", "CREDIT_EMPTY", "a credit carries points or minutes");
  }
  return ValidateText("credit.memo", c.memo(), 200, false);
}

std::string CreditTransferId(const v1::Credit& c) {
  return absl::StrCat("credit/", c.source(), "/", c.event_id());
}

bool SameCredit(const v1::Credit& a, const v1::Credit& b) {
  return a.source() == b.source() && a.event_id() == b.event_id() &&
         a.volunteer_id() == b.volunteer_id() && a.points() == b.points() &&
         a.minutes() == b.minutes() && a.memo() == b.memo();
}

absl::Status ValidateGoodDeed(const v1::RecordGoodDeedRequest& r) {
  if (r.volunteer_id().empty() || r.volunteer_id().size() > 40) {
    return InvalidField("volunteer_id", "ID_REQUIRED", "must name a volunteer");
  }
  if (!IsCode(r.deed_type())) {
    return InvalidField("deed_type", "DEED_TYPE_INVALID", "must be 1-32 of a-z, 0-9, '-' and '_'");
  }
  if (auto s = ValidateRedemptionId("request_id", r.request_id()); !s.ok()) {
    return InvalidField("request_id", "REQUEST_ID_INVALID", s.message());
  }
  return ValidateText("description", r.description(), 160, true);
}

v1::Credit GoodDeedCredit(const v1::RecordGoodDeedRequest& r) {
  v1::Credit credit;
  credit.set_source("deed");
  credit.set_event_id(r.request_id());
  credit.set_volunteer_id(r.volunteer_id());
  credit.set_memo(absl::StrCat(r.deed_type(), ": ", r.description()));
  return credit;
}

}  // namespace grassroots::volunteer
