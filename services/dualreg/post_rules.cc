#include "services/dualreg/post_rules.h"

#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "services/dualreg/registration_rules.h"

namespace grassroots::dualreg {

absl::Status ValidateNewPost(const v1::Post& post) {
  if (auto s = RequireId("post.community_id", post.community_id()); !s.ok()) return s;
  if (!IsCode(post.type())) {
    return InvalidField("post.type", "POST_TYPE_INVALID",
                        "post.type is a code of 1-32 of a-z, 0-9, '-' and '_'");
  }
  if (auto s = ValidateText("post.title", post.title(), 200, true); !s.ok()) return s;
  if (auto s = ValidateText("post.description", post.description(), 1000, false); !s.ok()) {
    return s;
  }
  if (post.capacity() < 1 || post.capacity() > 10000) {
    return InvalidField("post.capacity", "CAPACITY_INVALID", "post.capacity is 1 to 10,000");
  }
  return absl::OkStatus();
}

absl::Status ValidateNewPairing(const v1::Pairing& pairing) {
  if (auto s = RequireId("pairing.registration_id", pairing.registration_id()); !s.ok()) return s;
  if (auto s = RequireId("pairing.household_id", pairing.household_id()); !s.ok()) return s;
  if (pairing.need() == v1::NEED_KIND_UNSPECIFIED) {
    return InvalidField("pairing.need", "NEED_REQUIRED",
                        "pairing.need says why the household is paired");
  }
  if (pairing.visit_interval_days() < 0 || pairing.visit_interval_days() > 365) {
    return InvalidField("pairing.visit_interval_days", "VISIT_INTERVAL_INVALID",
                        "pairing.visit_interval_days is 1 to 365");
  }
  return absl::OkStatus();
}

int VisitIntervalDays(const v1::Pairing& pairing) {
  return pairing.visit_interval_days() == 0 ? 30 : pairing.visit_interval_days();
}

absl::Status ValidateVisit(absl::Time visit, absl::Time now, const std::string& note) {
  if (visit > now + absl::Minutes(5)) {
    return InvalidField("visit_time", "VISIT_IN_FUTURE", "visit_time is not in the future");
  }
  if (visit < now - absl::Hours(24 * 60)) {
    return InvalidField("visit_time", "VISIT_TOO_LATE", "a visit is recorded within 60 days of it");
  }
  return ValidateText("note", note, 500, false);
}

absl::Time NextVisitDue(absl::Time last_or_start, int interval_days) {
  return last_or_start + absl::Hours(24) * interval_days;
}

}  // namespace grassroots::dualreg
