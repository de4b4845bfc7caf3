#include "common/db/db_time.h"

namespace grassroots::db {

std::string ToDbTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, absl::UTCTimeZone());
}

absl::Time FromDbTime(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, absl::UTCTimeZone(), &t, &error)) {
    return absl::InfinitePast();
  }
  return t;
}

}  // namespace grassroots::db
