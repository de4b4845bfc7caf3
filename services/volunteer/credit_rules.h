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

// A good deed's request: a volunteer, the deed's type code, a description
// of 1-160 bytes and a request id shaped like an event id.
absl::Status ValidateGoodDeed(const v1::RecordGoodDeedRequest& request);
// The credit a good deed is, its points left to the community's rule:
// source "deed", the request id as the event id, memo "<type>: <description>".
v1::Credit GoodDeedCredit(const v1::RecordGoodDeedRequest& request);

}  // namespace grassroots::volunteer
