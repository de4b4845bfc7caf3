#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grassroots/common/v1/principal.pb.h"
#include "grassroots/grid/v1/visit.pb.h"

namespace grassroots::grid {

// What a logged visit or daily contact must say. Pure rules, no I/O.

inline constexpr size_t kMaxFindingsBytes = 2000;
// An offline phone logs what it recorded days ago; older entries would let
// a report be filled in after the fact.
inline constexpr absl::Duration kMaxLateLogging = absl::Hours(24 * 60);
// Phones' clocks run a little ahead.
inline constexpr absl::Duration kAllowedClockSkew = absl::Minutes(1);

absl::Status ValidateVisitKind(absl::string_view field, v1::VisitKind kind);

// Exactly one of the two is set.
absl::Status ValidateVisitSubject(const std::string& household_id,
                                  const std::string& key_person_id);

// Not after `now` (plus the skew), not more than kMaxLateLogging before it.
absl::Status ValidateVisitTime(absl::string_view field, absl::Time visit_time, absl::Time now);

// Every field of a visit to log, `now` the server's time.
absl::Status ValidateVisit(const v1::Visit& visit, absl::Time now);

// A caller who holds grid.worker but neither grid.editor nor grid.admin logs
// only its own visits: worker_ref must be its id (PERMISSION_DENIED,
// WORKER_NOT_CALLER).
absl::Status CheckVisitor(const common::v1::Principal& caller, const std::string& worker_ref);

// A door visit satisfies a visit interval; phone calls and other contacts
// are daily contacts only.
bool SatisfiesInterval(v1::VisitKind kind);

}  // namespace grassroots::grid
