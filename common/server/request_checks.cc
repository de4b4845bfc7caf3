#include "common/server/request_checks.h"

#include "common/status/errors.h"

namespace grassroots {

absl::Status RequireId(absl::string_view field, const std::string& id) {
  if (id.empty()) return InvalidField(field, "ID_REQUIRED", "must not be empty");
  if (id.size() > 40) return InvalidField(field, "ID_INVALID", "is not an id this service issued");
  return absl::OkStatus();
}

absl::Status ValidateRequestId(const std::string& request_id) {
  if (request_id.size() > 128) {
    return InvalidField("request_id", "REQUEST_ID_TOO_LONG", "must be at most 128 bytes");
  }
  return absl::OkStatus();
}

}  // namespace grassroots
