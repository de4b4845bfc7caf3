#pragma once

#include <cppconn/exception.h>

#include <optional>

#include "absl/status/status.h"

namespace grassroots::db {

// MariaDB error numbers the runtime reacts to.
inline constexpr int kDuplicateKey = 1062;
inline constexpr int kLockWaitTimeout = 1205;
inline constexpr int kDeadlock = 1213;
inline constexpr int kTableDefinitionChanged = 1412;

// The connection itself is gone (server restarted, network cut, killed):
// the session must be thrown away and the work retried on a fresh one.
bool IsConnectionError(int mysql_error);
// The server rolled the transaction back to resolve a conflict; retrying it
// from the start is safe.
bool IsRetryableConflict(int mysql_error);

// Turns a Connector/C++ exception into a Status that remembers the MariaDB
// error number (see SqlErrorCode). The SQL text never reaches callers.
absl::Status FromSqlException(const sql::SQLException& e);
std::optional<int> SqlErrorCode(const absl::Status& status);
bool IsDuplicateKey(const absl::Status& status);

}  // namespace grassroots::db
