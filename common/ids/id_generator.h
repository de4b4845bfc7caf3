#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace grassroots {

// A new record id chosen by the service, not the database: no round trip to
// learn it, and ids stay unique when a schema is split by district. 48 bits
// of milliseconds (ids sort roughly by creation) and 64 random bits, hex,
// after a short type prefix: "ar_0192f3a4b5c6d7e8f90a1b2c3d4e".
std::string NewId(absl::string_view prefix, absl::Time now);

}  // namespace grassroots
