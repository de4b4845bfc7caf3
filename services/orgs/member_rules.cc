#include "services/orgs/member_rules.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/text/person_identifiers.h"
#include "common/time/civil_date.h"

namespace grassroots::orgs {

// The identifier shapes and dates are shared by every service that keeps
// people's details (common/text/person_identifiers.h, common/time/civil_date.h).
absl::StatusOr<std::string> NormalisePhone(absl::string_view field, absl::string_view phone) {
  return grassroots::NormalisePhone(field, phone);
}

absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view field,
                                              absl::string_view id_number) {
  return grassroots::NormaliseIdNumber(field, id_number);
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view date) {
  return grassroots::ParseDate(field, date);
}

absl::Status ValidateMembership(v1::MemberStatus status, absl::CivilDay join_date,
                                const absl::CivilDay* probation_end, absl::CivilDay today) {
  if (join_date > today) {
    return InvalidField("member.join_date", "JOIN_DATE_IN_FUTURE", "cannot be after today");
  }
  switch (status) {
    case v1::FULL:
      if (probation_end != nullptr) {
        return InvalidField("member.probation_end_date", "PROBATION_END_NOT_ALLOWED",
                            "a full member has no probation end");
      }
      return absl::OkStatus();
    case v1::PROBATIONARY:
      if (probation_end == nullptr) {
        return InvalidField("member.probation_end_date", "PROBATION_END_REQUIRED",
                            "a probationary member needs the end of probation");
      }
      if (*probation_end <= join_date) {
        return InvalidField("member.probation_end_date", "PROBATION_END_INVALID",
                            "must be after the joining date");
      }
      return absl::OkStatus();
    default:
      return InvalidField("member.status", "STATUS_INVALID", "must be FULL or PROBATIONARY");
  }
}

absl::Status ValidateConversion(v1::MemberStatus status, absl::CivilDay probation_end,
                                absl::CivilDay conversion, absl::CivilDay today) {
  if (status != v1::PROBATIONARY) {
    return FailedPrecondition("NOT_PROBATIONARY", "only a probationary member converts");
  }
  if (conversion < probation_end) {
    return InvalidField("conversion_date", "PROBATION_NOT_OVER",
                        absl::StrCat("probation ends on ", absl::FormatCivilTime(probation_end)));
  }
  if (conversion > today) {
    return InvalidField("conversion_date", "CONVERSION_IN_FUTURE", "cannot be after today");
  }
  return absl::OkStatus();
}

}  // namespace grassroots::orgs
