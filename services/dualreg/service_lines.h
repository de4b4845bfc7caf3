#pragma once

#include <map>
#include <string>

#include "common/db/connection.h"
#include "grassroots/dualreg/v1/report.pb.h"
#include "services/dualreg/report_rules.h"

namespace grassroots::dualreg {

// Whose service is counted: every registration with an employer, or one
// registration.
enum class RegistrationsOf { kEmployer, kRegistration };

// Per registration, by id: the period's post claims and confirmed orders
// (by requested time; the period's last day included), minutes and mean
// rating. Employer reports and yearly evaluations count service the same
// way through this.
std::map<std::string, v1::MemberServiceLine> ServiceLines(db::Connection& c, RegistrationsOf which,
                                                          const std::string& id,
                                                          const Period& period);

}  // namespace grassroots::dualreg
