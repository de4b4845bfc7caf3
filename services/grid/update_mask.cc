#include "services/grid/update_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"

namespace grassroots::grid {

absl::StatusOr<std::vector<std::string>> MaskedFields(const google::protobuf::FieldMask& mask,
                                                      const std::vector<std::string>& updatable) {
  const std::string choices = absl::StrJoin(updatable, ", ");
  if (mask.paths_size() == 0) {
    return InvalidField("update_mask", "UPDATE_MASK_REQUIRED",
                        absl::StrCat("name the fields to change: ", choices));
  }
  std::vector<std::string> fields;
  for (const std::string& path : mask.paths()) {
    if (!Names(updatable, path)) {
      return InvalidField("update_mask", "FIELD_NOT_UPDATABLE",
                          absl::StrCat("'", path, "' cannot be updated; these can: ", choices));
    }
    if (!Names(fields, path)) fields.push_back(path);
  }
  return fields;
}

bool Names(const std::vector<std::string>& fields, const std::string& field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

}  // namespace grassroots::grid
