#pragma once

#include <cstdint>
#include <string>

#include "common/db/connection.h"

namespace grassroots::volunteer {

// A volunteer's permanent record of hours, in minutes: its confirmed
// attendances and the hours other services credited to it.
int64_t ServiceMinutesOf(db::Connection& c, const std::string& volunteer_id);

}  // namespace grassroots::volunteer
