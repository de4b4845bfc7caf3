#include "common/db/sql_errors.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace grassroots::db {
namespace {
constexpr absl::string_view kSqlErrorUrl = "grassroots/sql-error";
}

bool IsConnectionError(int e) {
  switch (e) {
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return true;
    default:
      return false;
  }
}

bool IsRetryableConflict(int e) {
  // ER_TABLE_DEF_CHANGED: the transaction's snapshot predates a table's
  // definition (seen right after migrations created it); the server asks
  // for the transaction to be retried, and a fresh snapshot succeeds.
  return e == kDeadlock || e == kLockWaitTimeout || e == kTableDefinitionChanged;
}

absl::Status FromSqlException(const sql::SQLException& e) {
  const int code = e.getErrorCode();
  absl::StatusCode status_code = absl::StatusCode::kInternal;
  if (IsConnectionError(code)) status_code = absl::StatusCode::kUnavailable;
  if (IsRetryableConflict(code)) status_code = absl::StatusCode::kAborted;
  if (code == kDuplicateKey) status_code = absl::StatusCode::kAlreadyExists;
  absl::Status status(status_code, absl::StrCat("database error ", code, ": ", e.what()));
  status.SetPayload(kSqlErrorUrl, absl::Cord(absl::StrCat(code)));
  return status;
}

std::optional<int> SqlErrorCode(const absl::Status& status) {
  auto payload = status.GetPayload(kSqlErrorUrl);
  int code;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &code)) return std::nullopt;
  return code;
}

bool IsDuplicateKey(const absl::Status& status) { return SqlErrorCode(status) == kDuplicateKey; }

}  // namespace grassroots::db
