#include "services/volunteer/created_record.h"

#include <cppconn/exception.h>

#include "common/db/sql_errors.h"
#include "common/status/errors.h"

namespace grassroots::volunteer {

absl::Status InsertCreated(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                           sql::PreparedStatement& insert, const std::string& id,
                           const std::string& path, const google::protobuf::Message& record,
                           absl::string_view reason, const std::string& message) {
  try {
    insert.executeUpdate();
    changes.Append(c, write, {id, common::v1::Change::CREATED, path, &record, nullptr});
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != db::kDuplicateKey) throw;
    return AlreadyExists(reason, message);
  }
  return absl::OkStatus();
}

void SetStringOrNull(sql::PreparedStatement& statement, int index, const std::string& value) {
  if (value.empty()) {
    statement.setNull(index, sql::DataType::VARCHAR);
  } else {
    statement.setString(index, value);
  }
}

}  // namespace grassroots::volunteer
