// The pool heals itself after the database restarts or crashes: callers see
// success again without any restart of their own.
#include <cppconn/driver.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "common/db/transaction.h"
#include "common/testing/private_mariadb.h"

namespace grassroots::db {
namespace {

absl::StatusOr<int> SelectOne(ConnectionPool& pool) {
  int value = 0;
  absl::Status status = RunReadOnly(pool, [&](Connection& c) {
    auto& s = c.Prepare("SELECT 1");
    auto rows = c.Query(s);
    rows->next();
    value = rows->getInt(1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return value;
}

class PoolRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    get_driver_instance();
    auto server = testing::PrivateMariaDb::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    DbOptions options = server_->RootOptions();
    options.pool_size = 4;
    options.acquire_timeout = absl::Seconds(2);
    pool_ = std::make_unique<ConnectionPool>(options, registry_);
  }

  // Fills the pool with idle sessions that the restart will kill.
  void WarmPool() {
    std::vector<Lease> leases;
    for (int i = 0; i < 4; ++i) leases.push_back(*pool_->Acquire());
  }

  prometheus::Registry registry_;
  std::unique_ptr<testing::PrivateMariaDb> server_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(PoolRecoveryTest, RecoversAfterAGracefulRestart) {
  WarmPool();
  ASSERT_EQ(*SelectOne(*pool_), 1);
  ASSERT_TRUE(server_->Restart().ok());
  // Every pooled session is dead now; the first calls must still succeed.
  for (int i = 0; i < 8; ++i) {
    auto value = SelectOne(*pool_);
    ASSERT_TRUE(value.ok()) << "call " << i << ": " << value.status();
  }
}

TEST_F(PoolRecoveryTest, ReportsUnavailableWhileDownThenRecoversAfterACrash) {
  WarmPool();
  server_->Kill();
  auto down = SelectOne(*pool_);
  ASSERT_FALSE(down.ok());
  EXPECT_TRUE(absl::IsUnavailable(down.status())) << down.status();
  ASSERT_TRUE(server_->Restart().ok());
  auto up = SelectOne(*pool_);
  ASSERT_TRUE(up.ok()) << up.status();
}

TEST_F(PoolRecoveryTest, WriteTransactionLostBeforeCommitIsRetriedWhole) {
  ASSERT_TRUE(RunInTransaction(*pool_, [](Connection& c) {
                c.Execute("CREATE DATABASE r");
                c.Execute("CREATE TABLE r.t (id INT PRIMARY KEY)");
                return absl::OkStatus();
              }).ok());
  WarmPool();
  ASSERT_TRUE(server_->Restart().ok());
  int attempts = 0;
  absl::Status status = RunInTransaction(*pool_, [&](Connection& c) {
    ++attempts;
    auto& insert = c.Prepare("INSERT INTO r.t (id) VALUES (1)");
    insert.executeUpdate();
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_GE(attempts, 1);
  int rows = 0;
  ASSERT_TRUE(RunReadOnly(*pool_, [&](Connection& c) {
                auto& s = c.Prepare("SELECT COUNT(*) FROM r.t");
                auto r = c.Query(s);
                r->next();
                rows = r->getInt(1);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(rows, 1);
}

}  // namespace
}  // namespace grassroots::db
