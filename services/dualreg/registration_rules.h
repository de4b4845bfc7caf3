#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "grassroots/dualreg/v1/registration.pb.h"

namespace grassroots::dualreg {

// A code of 1-32 of a-z, 0-9, '-' and '_' (skills, post types).
bool IsCode(const std::string& code);

// A new unit registration's own fields (orgs checks the ids): resources,
// agreement, valid_until on or after `today`.
absl::Status ValidateNewUnit(const v1::UnitRegistration& unit, absl::CivilDay today);

// A renewal moves valid_until later than it was, and not into the past.
absl::Status ValidateRenewal(absl::CivilDay current_until, const std::string& valid_until,
                             absl::CivilDay today);

// ACTIVE, EXPIRED (valid_until before today) or WITHDRAWN.
v1::RegistrationState UnitState(bool withdrawn, absl::CivilDay valid_until, absl::CivilDay today);

// Skill codes (1-32 of a-z, 0-9, '-', '_'; at most 20, no repeats) and
// availability slots (weekday 1-7, 0 <= start < end <= 1440; at most 21).
absl::Status ValidateOffer(const google::protobuf::RepeatedPtrField<std::string>& skills,
                           const google::protobuf::RepeatedPtrField<v1::AvailabilitySlot>& slots,
                           const std::string& field_prefix);

// A new member registration: ids present, the offer valid.
absl::Status ValidateNewMember(const v1::MemberRegistration& registration);

// registered / in service; 0 when nobody is in service.
double CoverageRate(int registered, int in_service);

// Skills are stored as one comma-separated column (codes hold no comma).
std::string JoinSkills(const google::protobuf::RepeatedPtrField<std::string>& skills);
std::vector<std::string> SplitSkills(const std::string& column);

}  // namespace grassroots::dualreg
