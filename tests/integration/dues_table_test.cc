// The yearly dues tables over gRPC against a real MariaDB: a year's own
// table, inherited by later years, the national one before any, and
// ComputeMonthlyDues by the table of the year asked.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/dues.grpc.pb.h"
#include "services/orgs/dues_handler.h"
#include "services/orgs/dues_table_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::InProcessService;
using grassroots::testing::TestPrincipals;

class DuesTableTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs_dues_tables"),
                                    {&db::orgs_migrations()});
    const ServiceEnv& env = service_->env();
    dues_store_ = new DuesStore(*env.pool, *env.changes);
    tables_ = new DuesTableStore(*env.pool, *env.changes);
    dues_handler_ = new DuesHandler(env, *dues_store_, tables_);
    table_handler_ = new DuesTableHandler(env, *tables_);
    service_->Start({dues_handler_, table_handler_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete table_handler_;
    delete dues_handler_;
    delete tables_;
    delete dues_store_;
    delete service_;
  }
  void SetUp() override {
    dues_ = v1::DuesService::NewStub(service_->Channel());
    tables_stub_ = v1::DuesTableService::NewStub(service_->Channel());
  }

  int64_t Dues(int year, v1::DuesCategory category, int64_t yuan) {
    v1::ComputeMonthlyDuesRequest request;
    request.set_year(year);
    request.set_category(category);
    request.set_monthly_income_fen(yuan * 100);
    v1::ComputeMonthlyDuesResponse response;
    auto status = dues_->ComputeMonthlyDues(principals_.Context("").get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.monthly_dues_fen();
  }

  v1::DuesTable Get(int year) {
    v1::GetDuesTableRequest request;
    request.set_year(year);
    v1::DuesTable table;
    EXPECT_TRUE(tables_stub_->GetDuesTable(principals_.Context("").get(), request, &table).ok());
    return table;
  }

  static InProcessService* service_;
  static DuesStore* dues_store_;
  static DuesTableStore* tables_;
  static DuesHandler* dues_handler_;
  static DuesTableHandler* table_handler_;
  TestPrincipals principals_;
  std::unique_ptr<v1::DuesService::Stub> dues_;
  std::unique_ptr<v1::DuesTableService::Stub> tables_stub_;
};

InProcessService* DuesTableTest::service_ = nullptr;
DuesStore* DuesTableTest::dues_store_ = nullptr;
DuesTableStore* DuesTableTest::tables_ = nullptr;
DuesHandler* DuesTableTest::dues_handler_ = nullptr;
DuesTableHandler* DuesTableTest::table_handler_ = nullptr;

TEST_F(DuesTableTest, EachYearUsesItsOwnTableOrTheLatestBefore) {
  // Before any table: the national one (0.5% of 2,000 yuan = 10 yuan).
  EXPECT_EQ(Get(2026).source_year(), 0);
  EXPECT_EQ(Get(2026).etag(), "");
  EXPECT_EQ(Dues(2026, v1::EMPLOYED, 2000), 1000);

  // 2027 raises the lowest bracket's rate to 0.6% and the flat amount.
  v1::SetDuesTableRequest set;
  *set.mutable_table() = Get(2027);
  set.mutable_table()->mutable_employed(0)->set_basis_points(60);
  set.mutable_table()->set_flat_fen(30);
  v1::DuesTable stored;
  auto status = tables_stub_->SetDuesTable(principals_.Context("").get(), set, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stored.etag(), "1");
  EXPECT_EQ(stored.source_year(), 2027);
  EXPECT_EQ(Dues(2027, v1::EMPLOYED, 2000), 1200);
  EXPECT_EQ(Dues(2027, v1::STUDENT_OR_LOW_INCOME, 0), 30);
  // 2026 keeps the national table; 2029 inherits 2027's.
  EXPECT_EQ(Dues(2026, v1::EMPLOYED, 2000), 1000);
  EXPECT_EQ(Get(2029).source_year(), 2027);
  EXPECT_EQ(Dues(2029, v1::EMPLOYED, 2000), 1200);
  // The open top bracket reads back as up_to_fen 0.
  EXPECT_EQ(Get(2029).employed(Get(2029).employed_size() - 1).up_to_fen(), 0);

  // A stale etag and a broken table are refused; nothing changes.
  set.set_etag("7");
  EXPECT_EQ(tables_stub_->SetDuesTable(principals_.Context("").get(), set, &stored).error_code(),
            grpc::StatusCode::ABORTED);
  set.set_etag("1");
  set.mutable_table()->mutable_employed()->RemoveLast();
  auto broken = tables_stub_->SetDuesTable(principals_.Context("").get(), set, &stored);
  EXPECT_EQ(broken.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(broken.error_message().find("no upper bound"), std::string::npos);
  EXPECT_EQ(Dues(2027, v1::EMPLOYED, 2000), 1200);
  // A year out of range is named.
  v1::ComputeMonthlyDuesRequest far;
  far.set_year(1800);
  far.set_category(v1::EMPLOYED);
  v1::ComputeMonthlyDuesResponse ignored;
  EXPECT_EQ(dues_->ComputeMonthlyDues(principals_.Context("").get(), far, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace grassroots::orgs
