#include "common/db/migrator.h"

#include <cppconn/driver.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <thread>

#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/testing/private_mariadb.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
namespace {

MigrationSet Sample() {
  return MigrationSet{"sample",
                      {{"0001_things.sql",
                        "CREATE TABLE things (id INT PRIMARY KEY);\n"
                        "INSERT INTO things VALUES (1);\n"},
                       {"0002_more.sql", "ALTER TABLE things ADD COLUMN name VARCHAR(10);\n"}}};
}

class MigratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    get_driver_instance();
    options_ = testing::FreshSchema("migrator");
  }
  DbOptions options_;
  prometheus::Registry registry_;
  SystemClock clock_;
};

TEST_F(MigratorTest, AppliesOnceAndIsIdempotent) {
  ConnectionPool pool(options_, registry_);
  MigrationSet set = Sample();
  ASSERT_TRUE(ApplyMigrations(pool, {&set}, clock_).ok());
  ASSERT_TRUE(ApplyMigrations(pool, {&set}, clock_).ok());
  EXPECT_EQ(testing::QueryInt(pool, "SELECT COUNT(*) FROM things"), 1);
  EXPECT_EQ(
      testing::QueryInt(pool, "SELECT COUNT(*) FROM schema_migrations WHERE track = 'sample'"), 2);
}

TEST_F(MigratorTest, RefusesAnEditedAppliedMigrationNamingTheFile) {
  ConnectionPool pool(options_, registry_);
  MigrationSet set = Sample();
  ASSERT_TRUE(ApplyMigrations(pool, {&set}, clock_).ok());
  set.migrations[0].sql += "-- a harmless-looking edit\n";
  absl::Status status = ApplyMigrations(pool, {&set}, clock_);
  ASSERT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_EQ(ErrorReason(status), "MIGRATION_EDITED");
  EXPECT_NE(status.message().find("sample/0001_things.sql"), absl::string_view::npos);
}

TEST_F(MigratorTest, RefusesWhenAnAppliedMigrationIsMissing) {
  ConnectionPool pool(options_, registry_);
  MigrationSet set = Sample();
  ASSERT_TRUE(ApplyMigrations(pool, {&set}, clock_).ok());
  set.migrations.pop_back();
  EXPECT_EQ(ErrorReason(ApplyMigrations(pool, {&set}, clock_)), "MIGRATION_MISSING");
}

TEST_F(MigratorTest, ConcurrentStartsApplyEachMigrationOnce) {
  MigrationSet set = Sample();
  constexpr int kReplicas = 6;
  // Registries outlive the pools that report into them.
  std::vector<std::unique_ptr<prometheus::Registry>> registries;
  std::vector<std::unique_ptr<ConnectionPool>> pools;
  for (int i = 0; i < kReplicas; ++i) {
    registries.push_back(std::make_unique<prometheus::Registry>());
    pools.push_back(std::make_unique<ConnectionPool>(options_, *registries.back()));
  }
  std::vector<absl::Status> results(kReplicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] { results[i] = ApplyMigrations(*pools[i], {&set}, clock_); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r;
  // The INSERT in 0001 ran exactly once.
  EXPECT_EQ(testing::QueryInt(*pools[0], "SELECT COUNT(*) FROM things"), 1);
  EXPECT_EQ(testing::QueryInt(*pools[0], "SELECT COUNT(*) FROM schema_migrations"), 2);
}

}  // namespace
}  // namespace grassroots::db
