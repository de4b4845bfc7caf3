#pragma once

#include <cppconn/prepared_statement.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/db/connection.h"
#include "grassroots/orgs/v1/area.pb.h"

namespace grassroots::orgs {

// The places regional party building refers to, read inside the calling
// store's transaction (the areas table belongs to AreaStore; these only read).

// A place inside the caller's scope, locked in share mode so it cannot move
// or be deleted meanwhile. nullopt when it does not exist or lies outside.
std::optional<v1::Area> FindPlaceInScope(db::Connection& c, const std::string& scope,
                                         const std::string& area_id);

// What a scoped caller gets for a place it may not use: PERMISSION_DENIED
// for a scoped caller, INVALID_ARGUMENT (AREA_NOT_FOUND) naming `field`
// for the whole city.
absl::Status PlaceHidden(const std::string& scope, absl::string_view field);

// The path a listing covers: the place `area_id` (inside the scope or above
// it on the way to the root; the scope condition then limits what is seen),
// or the caller's whole scope when `area_id` is empty.
absl::StatusOr<std::string> ListingRoot(db::Connection& c, const std::string& scope,
                                        const std::string& area_id);

// " AND (? = '' OR <column> = ? OR <column> LIKE ?)": rows at `root` or
// below (everything when root is empty). BindWithin binds it.
std::string Within(const char* path_column);
int BindWithin(sql::PreparedStatement& statement, int index, const std::string& root);

}  // namespace grassroots::orgs
