#include "common/db/connection.h"

#include <cppconn/statement.h>

namespace grassroots::db {

sql::PreparedStatement& Connection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_
             .emplace(sql, std::unique_ptr<sql::PreparedStatement>(raw_->prepareStatement(sql)))
             .first;
  } else {
    it->second->clearParameters();
  }
  return *it->second;
}

void Connection::Execute(const std::string& sql) {
  std::unique_ptr<sql::Statement> statement(raw_->createStatement());
  statement->execute(sql);
}

}  // namespace grassroots::db
