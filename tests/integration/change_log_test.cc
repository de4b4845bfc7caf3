// The audit/outbox row commits or rolls back with the change, and the feed
// hands out every committed change exactly once, in order, with no gaps,
// while writers are still committing out of order.
#include "common/changes/change_log.h"

#include <cppconn/driver.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <set>
#include <thread>

#include "common/changes/change_sequencer.h"
#include "common/db/migrator.h"
#include "common/db/transaction.h"
#include "common/testing/private_mariadb.h"
#include "google/protobuf/wrappers.pb.h"
#include "tests/support/test_server.h"

namespace grassroots {
namespace {

db::MigrationSet* Things() {
  static db::MigrationSet set{
      "things", {{"0001_things.sql", "CREATE TABLE things (id VARCHAR(40) PRIMARY KEY);\n"}}};
  return &set;
}

class ChangeLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    get_driver_instance();
    auto options = testing::FreshSchema("changes");
    options.pool_size = 12;
    pool_ = std::make_unique<db::ConnectionPool>(options, registry_);
    ASSERT_TRUE(db::ApplyMigrations(*pool_, {&db::common_migrations(), Things()}, clock_).ok());
  }

  // Inserts a thing and its change in one transaction; fails after both
  // writes when `fail` is set.
  absl::Status WriteThing(const std::string& id, bool fail, const std::string& request_id = "") {
    return db::RunInTransaction(*pool_, [&](db::Connection& c) -> absl::Status {
      auto& insert = c.Prepare("INSERT INTO things (id) VALUES (?)");
      insert.setString(1, id);
      insert.executeUpdate();
      google::protobuf::StringValue state;
      state.set_value(id);
      changes_.Append(c, WriteContext{"tester", request_id, clock_.Now()},
                      {id, common::v1::Change::CREATED, "d01/" + id, &state, nullptr});
      if (fail) return absl::FailedPreconditionError("a later rule refused the change");
      return absl::OkStatus();
    });
  }

  prometheus::Registry registry_;
  SystemClock clock_;
  Logger log_{"test", stderr, Logger::Level::kError};
  ChangeLog changes_{"test"};
  std::unique_ptr<db::ConnectionPool> pool_;
};

TEST_F(ChangeLogTest, AFailedTransactionLeavesNeitherTheChangeNorItsAuditRow) {
  ASSERT_FALSE(WriteThing("a", /*fail=*/true).ok());
  EXPECT_EQ(testing::QueryInt(*pool_, "SELECT COUNT(*) FROM things"), 0);
  EXPECT_EQ(testing::QueryInt(*pool_, "SELECT COUNT(*) FROM change_log"), 0);
  ASSERT_TRUE(WriteThing("b", /*fail=*/false).ok());
  EXPECT_EQ(testing::QueryInt(*pool_, "SELECT COUNT(*) FROM things"), 1);
  EXPECT_EQ(
      testing::QueryInt(
          *pool_, "SELECT COUNT(*) FROM change_log WHERE resource_id = 'b' AND actor = 'tester'"),
      1);
}

TEST_F(ChangeLogTest, RequestIdsAreUniquePerActorAndFindTheFirstResult) {
  ASSERT_TRUE(WriteThing("first", false, "req-1").ok());
  EXPECT_FALSE(WriteThing("second", false, "req-1").ok());  // the change row's key refuses it
  EXPECT_EQ(testing::QueryInt(*pool_, "SELECT COUNT(*) FROM things"), 1);
  std::optional<google::protobuf::Any> found;
  ASSERT_TRUE(db::RunReadOnly(*pool_, [&](db::Connection& c) {
                found = changes_.FindRequestResult(c, "tester", "req-1");
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(found.has_value());
  google::protobuf::StringValue state;
  ASSERT_TRUE(found->UnpackTo(&state));
  EXPECT_EQ(state.value(), "first");
}

TEST_F(ChangeLogTest, FeedHasNoGapsOrRepeatsUnderConcurrentWriters) {
  ChangeSequencer sequencer(*pool_, log_, registry_, absl::Milliseconds(2));
  sequencer.Start();
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 60;
  std::atomic<bool> writing{true};
  std::set<std::string> committed;
  absl::Mutex committed_mu;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
        const bool fail = i % 7 == 3;  // some roll back and leave auto-increment holes
        if (WriteThing(id, fail).ok()) {
          absl::MutexLock lock(&committed_mu);
          committed.insert(id);
        }
      }
    });
  }
  // Read the feed while it is being written, resuming from the cursor.
  std::vector<common::v1::Change> seen;
  int64_t cursor = 0;
  std::thread reader([&] {
    while (true) {
      const bool done = !writing.load();
      std::vector<common::v1::Change> page;
      ASSERT_TRUE(db::RunReadOnly(*pool_, [&](db::Connection& c) {
                    page = changes_.Read(c, cursor, 37, "");
                    return absl::OkStatus();
                  }).ok());
      for (auto& change : page) {
        cursor = change.sequence();
        seen.push_back(std::move(change));
      }
      if (done && page.empty() && sequencer.last_sequence() == cursor) break;
      if (page.empty()) absl::SleepFor(absl::Milliseconds(3));
    }
  });
  for (auto& t : writers) t.join();
  // Let the sequencer number the last commits, then stop the reader.
  while (testing::QueryInt(*pool_, "SELECT COUNT(*) FROM change_log WHERE sequence IS NULL") > 0) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  writing = false;
  reader.join();
  sequencer.Stop();

  ASSERT_EQ(seen.size(), committed.size());
  std::set<std::string> seen_ids;
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].sequence(), static_cast<int64_t>(i) + 1) << "gap or repeat at " << i;
    seen_ids.insert(seen[i].resource_id());
    EXPECT_EQ(seen[i].event_id().rfind("test:", 0), 0u);
  }
  EXPECT_EQ(seen_ids, committed);
}

TEST_F(ChangeLogTest, ReadFiltersByPathPrefixSegmentWise) {
  ChangeSequencer sequencer(*pool_, log_, registry_, absl::Milliseconds(2));
  ASSERT_TRUE(WriteThing("s03", false).ok());
  ASSERT_TRUE(WriteThing("s030", false).ok());
  ASSERT_TRUE(sequencer.SequenceOnce().ok());
  std::vector<common::v1::Change> page;
  ASSERT_TRUE(db::RunReadOnly(*pool_, [&](db::Connection& c) {
                page = changes_.Read(c, 0, 100, "d01/s03");
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].path(), "d01/s03");
}

}  // namespace
}  // namespace grassroots
