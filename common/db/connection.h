#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace grassroots::db {

// One MariaDB session and its prepared statements. Statements are prepared
// once per session and reused: a prepare is a server round trip.
class Connection {
 public:
  Connection(std::unique_ptr<sql::Connection> raw, uint64_t generation)
      : raw_(std::move(raw)), generation_(generation) {}

  // The cached statement for `sql`, with its parameters cleared.
  sql::PreparedStatement& Prepare(const std::string& sql);
  // For fixed statements without parameters (transaction control, DDL).
  void Execute(const std::string& sql);
  // Runs a prepared query and hands back its buffered result.
  std::unique_ptr<sql::ResultSet> Query(sql::PreparedStatement& statement) {
    return std::unique_ptr<sql::ResultSet>(statement.executeQuery());
  }

  sql::Connection& raw() { return *raw_; }

  // Sessions used for writes stay in autocommit=0 mode, so a transaction
  // begins with its first statement and costs no START TRANSACTION round
  // trip; the pool switches a session's mode only when it must.
  bool autocommit() const { return autocommit_; }
  void SetAutocommit(bool on) {
    if (on == autocommit_) return;
    raw_->setAutoCommit(on);
    autocommit_ = on;
  }
  uint64_t generation() const { return generation_; }
  void set_generation(uint64_t g) { generation_ = g; }
  absl::Time last_used() const { return last_used_; }
  void set_last_used(absl::Time t) { last_used_ = t; }

 private:
  std::unique_ptr<sql::Connection> raw_;
  absl::flat_hash_map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  uint64_t generation_;
  bool autocommit_ = true;
  absl::Time last_used_ = absl::InfinitePast();
};

}  // namespace grassroots::db
