#include "common/db/migrator.h"

#include <cppconn/exception.h>

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/crypto/sha256.h"
#include "common/db/db_time.h"
#include "common/db/sql_errors.h"
#include "common/status/errors.h"

namespace grassroots::db {
namespace {

constexpr int kLockWaitSeconds = 120;

absl::StatusOr<int> VersionOf(const std::string& track, const Migration& migration) {
  int version = 0;
  auto underscore = migration.name.find('_');
  if (underscore == std::string::npos ||
      !absl::SimpleAtoi(migration.name.substr(0, underscore), &version) || version <= 0) {
    return FailedPrecondition("MIGRATION_NAME_INVALID",
                              absl::StrCat("migration ", track, "/", migration.name,
                                           " must be named NNNN_description.sql"));
  }
  return version;
}

struct Applied {
  std::string name;
  std::string checksum;
};

absl::Status ApplyTrack(Connection& connection, const MigrationSet& set, const Clock& clock) {
  std::map<int, Applied> applied;
  {
    auto& select =
        connection.Prepare("SELECT version, name, checksum FROM schema_migrations WHERE track = ?");
    select.setString(1, set.track);
    auto rows = connection.Query(select);
    while (rows->next()) {
      applied[rows->getInt(1)] = Applied{rows->getString(2), rows->getString(3)};
    }
  }
  std::map<int, const Migration*> known;
  for (const auto& migration : set.migrations) {
    auto version = VersionOf(set.track, migration);
    if (!version.ok()) return version.status();
    if (!known.emplace(*version, &migration).second) {
      return FailedPrecondition(
          "MIGRATION_DUPLICATE_VERSION",
          absl::StrCat("two migrations of ", set.track, " share version ", *version));
    }
  }
  for (const auto& [version, record] : applied) {
    auto it = known.find(version);
    if (it == known.end()) {
      return FailedPrecondition(
          "MIGRATION_MISSING",
          absl::StrCat("migration ", set.track, "/", record.name,
                       " is applied to the database but absent from this binary (downgrade?)"));
    }
    if (Sha256Hex(it->second->sql) != record.checksum) {
      return FailedPrecondition("MIGRATION_EDITED",
                                absl::StrCat("migration ", set.track, "/", it->second->name,
                                             " was edited after it was applied; add a new "
                                             "migration instead"));
    }
  }
  for (const auto& [version, migration] : known) {
    if (applied.count(version)) continue;
    for (const auto& statement : SplitStatements(migration->sql)) connection.Execute(statement);
    auto& record = connection.Prepare(
        "INSERT INTO schema_migrations (track, version, name, checksum, applied_at) "
        "VALUES (?, ?, ?, ?, ?)");
    record.setString(1, set.track);
    record.setInt(2, version);
    record.setString(3, migration->name);
    record.setString(4, Sha256Hex(migration->sql));
    record.setString(5, ToDbTime(clock.Now()));
    record.executeUpdate();
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> SplitStatements(const std::string& sql) {
  std::vector<std::string> statements;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, line, "\n");
    if (absl::EndsWith(trimmed, ";")) {
      statements.push_back(std::string(absl::StripAsciiWhitespace(current)));
      statements.back().pop_back();  // the ';'
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    statements.push_back(std::string(absl::StripAsciiWhitespace(current)));
  }
  return statements;
}

absl::Status ApplyMigrations(ConnectionPool& pool, const std::vector<const MigrationSet*>& sets,
                             const Clock& clock) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  Connection& connection = **lease;
  try {
    auto& lock = connection.Prepare("SELECT GET_LOCK(CONCAT(DATABASE(), '.migrations'), ?)");
    lock.setInt(1, kLockWaitSeconds);
    auto locked = connection.Query(lock);
    if (!locked->next() || locked->isNull(1) || locked->getInt(1) != 1) {
      return Unavailable("MIGRATION_LOCK_TIMEOUT",
                         "another process held the migration lock for too long");
    }
    absl::Status status = absl::OkStatus();
    try {
      connection.Execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " track VARCHAR(64) NOT NULL, version INT NOT NULL, name VARCHAR(255) NOT NULL,"
          " checksum CHAR(64) NOT NULL, applied_at DATETIME(6) NOT NULL,"
          " PRIMARY KEY (track, version)) ENGINE=InnoDB");
      for (const MigrationSet* set : sets) {
        status = ApplyTrack(connection, *set, clock);
        if (!status.ok()) break;
      }
    } catch (const sql::SQLException& e) {
      status = FromSqlException(e);
    }
    connection.Execute("DO RELEASE_LOCK(CONCAT(DATABASE(), '.migrations'))");
    return status;
  } catch (const sql::SQLException& e) {
    lease->MarkBroken();
    return FromSqlException(e);
  }
}

}  // namespace grassroots::db
