#include "common/server/etag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots {

std::string EtagOf(int64_t version) { return absl::StrCat(version); }

absl::Status CheckEtag(absl::string_view field, absl::string_view etag, int64_t version,
                       absl::string_view what) {
  if (etag.empty()) return absl::OkStatus();
  int64_t sent = 0;
  if (!absl::SimpleAtoi(etag, &sent)) {
    return InvalidField(field, "ETAG_INVALID", "is not an etag this service returned");
  }
  if (sent != version) {
    return Aborted("ETAG_MISMATCH", absl::StrCat(what,
                                                 " changed since it was read; read it again and "
                                                 "re-apply the change"));
  }
  return absl::OkStatus();
}

int64_t VersionOf(absl::string_view etag) {
  int64_t version = 0;
  return absl::SimpleAtoi(etag, &version) ? version : 0;
}

}  // namespace grassroots
