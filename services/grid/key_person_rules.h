#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grassroots/grid/v1/key_person.pb.h"

namespace grassroots::grid {

// What a key person record must look like. Pure rules, no I/O.

absl::Status ValidateKeyPersonCategory(absl::string_view field, v1::KeyPersonCategory category);

// Why the person is followed (1-500 bytes) and the visit interval (1-365 days).
absl::Status ValidateFollowUp(absl::string_view prefix, const std::string& reason,
                              int visit_interval_days);

// A new key person's fields checked, name required, phone and ID number
// (optional) normalised for their keyed hashes.
absl::StatusOr<v1::KeyPerson> NormaliseKeyPerson(const v1::KeyPerson& in);

}  // namespace grassroots::grid
