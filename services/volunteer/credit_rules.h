#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grassroots/volunteer/v1/credit.pb.h"

namespace grassroots::volunteer {

// What an inbound credit holds and the transfer id it moves points under.
// Pure, no I/O.
absl::Status ValidateCredit(const v1::Credit& credit);
// "credit/<source>/<event id>".
std::string CreditTransferId(const v1::Credit& credit);
// A repeated event is the same when the caller's fields agree.
bool SameCredit(const v1::Credit& a, const v1::Credit& b);

}  // namespace grassroots::volunteer
