#pragma once

#include <cppconn/prepared_statement.h>
#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/changes/change_log.h"
#include "common/db/connection.h"

namespace grassroots::volunteer {

// Runs a store's prepared INSERT of a new record and appends its CREATED
// change. A duplicate key (the record's unique name, or the request id
// already used) becomes ALREADY_EXISTS with `reason` and `message`, which
// the store's EarlierResultOr turns into the first answer for a replay.
absl::Status InsertCreated(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                           sql::PreparedStatement& insert, const std::string& id,
                           const std::string& path, const google::protobuf::Message& record,
                           absl::string_view reason, const std::string& message);

// Binds `value`, or NULL when it is empty (optional references).
void SetStringOrNull(sql::PreparedStatement& statement, int index, const std::string& value);

}  // namespace grassroots::volunteer
