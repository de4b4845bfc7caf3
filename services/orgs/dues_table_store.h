#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/orgs/v1/dues.pb.h"
#include "services/orgs/dues_rules.h"

namespace grassroots::orgs {

// The only code that speaks SQL about the yearly dues tables.
class DuesTableStore {
 public:
  DuesTableStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // The table in force in `year`: its own, else the latest earlier year's,
  // else the national table (source year 0).
  absl::StatusOr<v1::DuesTable> InForce(int year) const;
  // Sets `year`'s own table (checked by ValidateDuesTable).
  absl::StatusOr<v1::DuesTable> Set(const WriteContext& write, const v1::DuesTable& table,
                                    const std::string& etag);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

// The rules' form of a table and back (an open top bracket is up_to_fen 0
// on the wire, INT64_MAX in the rules).
DuesTable FromProto(const v1::DuesTable& table);
v1::DuesTable ToProto(const DuesTable& table);

}  // namespace grassroots::orgs
