#pragma once

#include <string>

#include "absl/time/time.h"

namespace grassroots::db {

// DATETIME(6) columns hold UTC with microseconds; times come from the
// injected Clock, never from the server's NOW(), so tests control them.
std::string ToDbTime(absl::Time t);
absl::Time FromDbTime(const std::string& text);

}  // namespace grassroots::db
