// The roster history's backfill (migration 0010) over members and accepted
// transfers that existed before it: each member gets its periods in the
// organisations it belonged to, and one open period where it is now.
#include <cppconn/driver.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/db/migrator.h"
#include "common/db/transaction.h"
#include "common/testing/private_mariadb.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::QueryInt;

void Execute(db::ConnectionPool& pool, const std::string& sql) {
  ASSERT_TRUE(db::RunInTransaction(pool,
                                   [&](db::Connection& c) {
                                     c.Execute(sql);
                                     return absl::OkStatus();
                                   })
                  .ok())
      << sql;
}

void AddMember(db::ConnectionPool& pool, const std::string& id, const std::string& organisation,
               int status, const std::string& join_date) {
  Execute(pool, absl::StrCat("INSERT INTO members (id, organisation_id, area_path, status,"
                             " join_date, name_cipher, name_masked, phone_masked,"
                             " id_number_cipher, id_number_masked, id_number_hash, version,"
                             " create_time, update_time) VALUES ('",
                             id, "', '", organisation, "', 'd/", organisation, "', ", status, ", '",
                             join_date, "', 'x', 'x', '', 'x', 'x', '", id,
                             "', 1, '2026-01-01', '2026-01-01')"));
}

void AddTransfer(db::ConnectionPool& pool, const std::string& id, const std::string& member,
                 const std::string& from, const std::string& to, int state,
                 const std::string& decided) {
  Execute(pool,
          absl::StrCat("INSERT INTO member_transfers (id, member_id, from_organisation_id,"
                       " to_organisation_id, from_area_path, to_area_path, state, reason,"
                       " requested_by, request_time, decide_time, version) VALUES ('",
                       id, "', '", member, "', '", from, "', '", to, "', 'd/", from, "', 'd/", to,
                       "', ", state, ", 'moved', 'clerk', '", decided, "', '", decided, "', 2)"));
}

// The member's periods, oldest first: "organisation from..to" (to empty while open).
std::string Periods(db::ConnectionPool& pool, const std::string& member) {
  std::vector<std::string> out;
  EXPECT_TRUE(db::RunReadOnly(pool, [&](db::Connection& c) {
                auto& select = c.Prepare(
                    "SELECT organisation_id, area_path, status, valid_from,"
                    " COALESCE(valid_to, '') FROM memberships WHERE member_id = ?"
                    " ORDER BY valid_from");
                select.setString(1, member);
                auto rows = c.Query(select);
                while (rows->next()) {
                  out.push_back(absl::StrCat(rows->getString(1).asStdString(), "@",
                                             rows->getString(2).asStdString(), ":", rows->getInt(3),
                                             " ", rows->getString(4).asStdString(), "..",
                                             rows->getString(5).asStdString()));
                }
                return absl::OkStatus();
              }).ok());
  return absl::StrJoin(out, ", ");
}

TEST(MembershipBackfillTest, RebuildsPeriodsFromAcceptedTransfers) {
  get_driver_instance();
  prometheus::Registry registry;
  SystemClock clock;
  db::ConnectionPool pool(grassroots::testing::FreshSchema("orgs_backfill"), registry);
  // The schema as it was before the roster history.
  db::MigrationSet before = db::orgs_migrations();
  std::erase_if(before.migrations,
                [](const db::Migration& m) { return m.name >= std::string("0010"); });
  ASSERT_TRUE(db::ApplyMigrations(pool, {&db::common_migrations(), &before}, clock).ok());
  AddMember(pool, "never-moved", "a", 1, "2010-07-01");
  // Joined in a, moved to b on 2020-03-15 18:00 UTC, then to c on 2023-01-02.
  AddMember(pool, "moved-twice", "c", 1, "2015-07-01");
  AddTransfer(pool, "t1", "moved-twice", "a", "b", 2, "2020-03-15 18:00:00");
  AddTransfer(pool, "t2", "moved-twice", "b", "c", 2, "2023-01-02 09:00:00");
  // A rejected transfer and one accepted on the joining day leave no period.
  AddMember(pool, "moved-on-joining", "b", 2, "2024-05-06");
  AddTransfer(pool, "t3", "moved-on-joining", "a", "c", 3, "2024-05-06 10:00:00");
  AddTransfer(pool, "t4", "moved-on-joining", "a", "b", 2, "2024-05-06 12:00:00");

  ASSERT_TRUE(
      db::ApplyMigrations(pool, {&db::common_migrations(), &db::orgs_migrations()}, clock).ok());
  EXPECT_EQ(QueryInt(pool, "SELECT COUNT(*) FROM memberships"), 5);
  EXPECT_EQ(QueryInt(pool, "SELECT COUNT(*) FROM memberships WHERE valid_to IS NULL"), 3);
  EXPECT_EQ(Periods(pool, "never-moved"), "a@d/a:1 2010-07-01..");
  EXPECT_EQ(Periods(pool, "moved-twice"),
            "a@d/a:1 2015-07-01..2020-03-15, b@d/b:1 2020-03-15..2023-01-02, "
            "c@d/c:1 2023-01-02..");
  EXPECT_EQ(Periods(pool, "moved-on-joining"), "b@d/b:2 2024-05-06..");
}

}  // namespace
}  // namespace grassroots::orgs
