#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grassroots/grid/v1/household.pb.h"

namespace grassroots::grid {

// What a household record must look like. Pure rules, no I/O. `prefix`
// is the fields' message in error fields ("household." on a create, ""
// for an import line).

inline constexpr int kMaxResidents = 99;

// The dwelling within its unit ("1203"): 1 to 64 bytes of text.
absl::Status ValidateDwelling(absl::string_view field, absl::string_view address);
// 0 (vacant) to 99 people.
absl::Status ValidateResidentCount(absl::string_view field, int residents);

// The fields of a household that hang together: somebody heads a
// household someone lives in, and the key-household flag (visit_rules.h).
// `has_head` is whether a head's name is recorded (new or stored).
absl::Status ValidateHouseholdShape(absl::string_view prefix, int resident_count, bool has_head,
                                    bool key_household, const std::string& key_reason,
                                    int visit_interval_days);

// A new household's fields checked, the head's phone and ID number in the
// normalised form keyed hashes are taken of.
absl::StatusOr<v1::Household> NormaliseHousehold(const v1::Household& in, absl::string_view prefix);

// The household a ledger line describes (where it is aside).
v1::Household HouseholdFromRecord(const v1::HouseholdImportRecord& record);

// A person's details as written (a household's head, a key person): a
// name of 1 to 200 bytes, a phone and ID number normalised; empty stays
// empty (on an update, it clears the value).
absl::StatusOr<std::string> NormaliseOptionalName(absl::string_view field, const std::string& name);
absl::StatusOr<std::string> NormaliseOptionalPhone(absl::string_view field,
                                                   const std::string& phone);
absl::StatusOr<std::string> NormaliseOptionalIdNumber(absl::string_view field,
                                                      const std::string& id_number);

}  // namespace grassroots::grid
