#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/db/connection.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

// Areas as the linkage, evaluation and admission stores need them, inside
// their own transactions (the areas table shares the schema; AreaStore
// stays the only code that writes it).

// The area with this id inside the scope, locked in share mode so it cannot
// move or go while the caller's transaction lasts; nullopt when it does not
// exist or lies outside the scope.
std::optional<v1::Area> FindAreaInScope(db::Connection& c, const std::string& scope,
                                        const std::string& id);

// The path a listing or summary below `area_id` covers: the area's path when
// it lies inside the scope or above it (the scope condition of the query
// then limits what is seen), the scope itself when `area_id` is empty.
// PERMISSION_DENIED (OUT_OF_SCOPE) for a scoped caller and an area elsewhere
// or unknown; INVALID_ARGUMENT (AREA_NOT_FOUND) for an unscoped caller.
absl::StatusOr<std::string> ListablePlacePath(db::Connection& c, const std::string& scope,
                                              const std::string& area_id);

// The usual refusal for a record outside the scope, or NOT_FOUND with
// `not_found_reason` for an unscoped caller: the two look the same to a
// scoped caller.
absl::Status HiddenRecord(const std::string& scope, const char* what, const char* not_found_reason);

}  // namespace grassroots::orgs
