#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"

namespace grassroots::grid {

// The fields an update names, each one of `updatable` (AIP-134): an empty
// mask or any other field is INVALID_ARGUMENT on update_mask, listing the
// fields that can be updated.
absl::StatusOr<std::vector<std::string>> MaskedFields(const google::protobuf::FieldMask& mask,
                                                      const std::vector<std::string>& updatable);

bool Names(const std::vector<std::string>& fields, const std::string& field);

}  // namespace grassroots::grid
