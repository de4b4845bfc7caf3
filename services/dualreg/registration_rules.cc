#include "services/dualreg/registration_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/server/request_checks.h"
#include "common/status/errors.h"
#include "common/text/text_rules.h"
#include "common/time/civil_date.h"

namespace grassroots::dualreg {
bool IsCode(const std::string& code) {
  if (code.empty() || code.size() > 32) return false;
  for (char ch : code) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateNewUnit(const v1::UnitRegistration& unit, absl::CivilDay today) {
  if (auto s = RequireId("unit.organisation_id", unit.organisation_id()); !s.ok()) return s;
  if (auto s = RequireId("unit.community_id", unit.community_id()); !s.ok()) return s;
  if (auto s = ValidateText("unit.resources", unit.resources(), 1000, true); !s.ok()) return s;
  if (auto s = ValidateText("unit.agreement", unit.agreement(), 2000, true); !s.ok()) return s;
  auto until = ParseDate("unit.valid_until", unit.valid_until());
  if (!until.ok()) return until.status();
  if (*until < today) {
    return InvalidField("unit.valid_until", "VALID_UNTIL_PAST",
                        "unit.valid_until must be today or later");
  }
  return absl::OkStatus();
}

absl::Status ValidateRenewal(absl::CivilDay current_until, const std::string& valid_until,
                             absl::CivilDay today) {
  auto until = ParseDate("valid_until", valid_until);
  if (!until.ok()) return until.status();
  if (*until <= current_until || *until < today) {
    return InvalidField("valid_until", "RENEWAL_NOT_LATER",
                        absl::StrCat("valid_until must be after ", DateText(current_until),
                                     " and not before today"));
  }
  return absl::OkStatus();
}

v1::RegistrationState UnitState(bool withdrawn, absl::CivilDay valid_until, absl::CivilDay today) {
  if (withdrawn) return v1::WITHDRAWN;
  return valid_until < today ? v1::EXPIRED : v1::ACTIVE;
}

absl::Status ValidateOffer(const google::protobuf::RepeatedPtrField<std::string>& skills,
                           const google::protobuf::RepeatedPtrField<v1::AvailabilitySlot>& slots,
                           const std::string& field_prefix) {
  const std::string skills_field = absl::StrCat(field_prefix, "skills");
  if (skills.size() > 20) {
    return InvalidField(skills_field, "TOO_MANY_SKILLS", "at most 20 skills");
  }
  std::set<std::string> seen;
  for (const std::string& skill : skills) {
    if (!IsCode(skill)) {
      return InvalidField(skills_field, "SKILL_INVALID",
                          "a skill is 1-32 of a-z, 0-9, '-' and '_'");
    }
    if (!seen.insert(skill).second) {
      return InvalidField(skills_field, "SKILL_REPEATED", absl::StrCat("skill ", skill, " twice"));
    }
  }
  const std::string slots_field = absl::StrCat(field_prefix, "availability");
  if (slots.size() > 21) {
    return InvalidField(slots_field, "TOO_MANY_SLOTS", "at most 21 availability slots");
  }
  for (const v1::AvailabilitySlot& slot : slots) {
    if (slot.weekday() < 1 || slot.weekday() > 7) {
      return InvalidField(slots_field, "WEEKDAY_INVALID", "weekday is 1 (Monday) to 7 (Sunday)");
    }
    if (slot.start_minute() < 0 || slot.end_minute() > 1440 ||
        slot.start_minute() >= slot.end_minute()) {
      return InvalidField(slots_field, "SLOT_INVALID",
                          "a slot runs from start_minute to a later end_minute within the day "
                          "(0-1440)");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateNewMember(const v1::MemberRegistration& r) {
  if (auto s = RequireId("registration.member_id", r.member_id()); !s.ok()) return s;
  if (auto s = RequireId("registration.employer_organisation_id", r.employer_organisation_id());
      !s.ok()) {
    return s;
  }
  if (auto s = RequireId("registration.community_id", r.community_id()); !s.ok()) return s;
  if (auto s = RequireId("registration.volunteer_id", r.volunteer_id()); !s.ok()) return s;
  return ValidateOffer(r.skills(), r.availability(), "registration.");
}

double CoverageRate(int registered, int in_service) {
  if (in_service <= 0) return 0;
  return static_cast<double>(registered) / in_service;
}

std::string JoinSkills(const google::protobuf::RepeatedPtrField<std::string>& skills) {
  return absl::StrJoin(skills, ",");
}

std::vector<std::string> SplitSkills(const std::string& column) {
  return absl::StrSplit(column, ',', absl::SkipEmpty());
}

}  // namespace grassroots::dualreg
