#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/db/connection_pool.h"
#include "common/db/migration_set.h"
#include "common/time/clock.h"

namespace grassroots::db {

// Applies the migrations of each track in order and records each with its
// SHA-256 in schema_migrations. Refuses (FAILED_PRECONDITION, naming the
// file) when an applied migration was edited or is missing from the binary.
// Concurrent callers (replicas starting together) serialise on a named
// database lock, so each migration runs once.
absl::Status ApplyMigrations(ConnectionPool& pool, const std::vector<const MigrationSet*>& sets,
                             const Clock& clock);

// Splits a migration file into statements (exposed for tests).
std::vector<std::string> SplitStatements(const std::string& sql);

}  // namespace grassroots::db
