#include "services/orgs/member_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::orgs {

absl::StatusOr<std::string> NormalisePhone(absl::string_view field, absl::string_view phone) {
  std::string out;
  for (const char c : phone) {
    if (c == ' ' || c == '-') continue;
    const bool leading_plus = c == '+' && out.empty();
    if (!leading_plus && !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return InvalidField(field, "PHONE_INVALID",
                          "may hold only digits, spaces, '-' and a leading '+'");
    }
    out.push_back(c);
  }
  const size_t digits = out.size() - (out.starts_with('+') ? 1 : 0);
  if (digits < 5 || digits > 20) {
    return InvalidField(field, "PHONE_INVALID", "must have 5 to 20 digits");
  }
  return out;
}

absl::StatusOr<std::string> NormaliseIdNumber(absl::string_view field,
                                              absl::string_view id_number) {
  std::string id = absl::AsciiStrToUpper(id_number);
  if (id.size() != 18) {
    return InvalidField(field, "ID_NUMBER_INVALID", "must have 18 characters");
  }
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) {
      return InvalidField(field, "ID_NUMBER_INVALID", "the first 17 characters must be digits");
    }
    sum += (id[i] - '0') * kWeights[i];
  }
  if (id[17] != kCheck[sum % 11]) {
    return InvalidField(field, "ID_NUMBER_CHECK_FAILED",
                        "the check character does not match: the number is mistyped");
  }
  return id;
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view date) {
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day) ||
      absl::FormatCivilTime(day) != date) {
    return InvalidField(field, "DATE_INVALID", "must be a date written YYYY-MM-DD");
  }
  return day;
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
