#include "tests/integration/careers_fixture.h"

#include "absl/strings/str_format.h"
#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/db/transaction.h"
#include "common/server/balanced_channel.h"
#include "common/status/errors.h"
#include "common/testing/private_mariadb.h"
#include "services/careers/assessment_handler.h"
#include "services/careers/pay_handler.h"
#include "services/careers/qualification_feed.h"
#include "services/careers/staffing_handler.h"
#include "services/careers/training_handler.h"
#include "services/careers/worker_handler.h"

namespace grassroots::db {
const MigrationSet& careers_migrations();
}  // namespace grassroots::db

namespace grassroots::careers::testing {

using ::grassroots::testing::InProcessService;

struct CareersSuite {
  std::unique_ptr<InProcessService> service;
  std::unique_ptr<PersonalDataCipher> cipher;
  std::unique_ptr<WorkerStore> workers;
  std::unique_ptr<WorkerHandler> worker_handler;
  std::unique_ptr<StaffingStore> staffing;
  std::unique_ptr<StaffingHandler> staffing_handler;
  std::unique_ptr<PayStore> pay;
  std::unique_ptr<PayHandler> pay_handler;
  std::unique_ptr<TrainingStore> training;
  std::unique_ptr<QualificationFeed> qualifications;
  std::unique_ptr<TrainingHandler> training_handler;
  std::unique_ptr<ChangeFeedHandler<v1::ChangeFeedService>> feed;
  std::unique_ptr<AssessmentStore> assessments;
  std::unique_ptr<GridCaseFigures> grid;
  std::unique_ptr<AssessmentHandler> assessment_handler;

  ~CareersSuite() {
    if (service) service->Stop();
  }
};

CareersSuite* CareersServiceTest::suite_ = nullptr;

void CareersServiceTest::SetUpTestSuite() {
  auto* suite = new CareersSuite;
  suite->service = std::make_unique<InProcessService>(
      "careers", ::grassroots::testing::FreshSchema("careers"),
      std::vector<const db::MigrationSet*>{&db::careers_migrations()});
  const ServiceEnv& env = suite->service->env();
  suite->cipher = *PersonalDataCipher::Create(::grassroots::testing::kTestPersonalDataKey);
  suite->workers = std::make_unique<WorkerStore>(*env.pool, *env.changes, *suite->cipher);
  suite->worker_handler = std::make_unique<WorkerHandler>(env, *suite->workers);
  suite->staffing = std::make_unique<StaffingStore>(*env.pool, *env.changes);
  suite->staffing_handler = std::make_unique<StaffingHandler>(env, *suite->staffing);
  suite->pay = std::make_unique<PayStore>(*env.pool, *env.changes);
  suite->pay_handler = std::make_unique<PayHandler>(env, *suite->pay);
  suite->training = std::make_unique<TrainingStore>(*env.pool, *env.changes);
  suite->qualifications = std::make_unique<QualificationFeed>(*env.pool);
  suite->training_handler =
      std::make_unique<TrainingHandler>(env, *suite->training, *suite->qualifications);
  suite->feed = std::make_unique<ChangeFeedHandler<v1::ChangeFeedService>>(env);
  suite->assessments = std::make_unique<AssessmentStore>(*env.pool, *env.changes);
  // Port 1 (tcpmux) is never served here: every call fails at once.
  suite->grid = std::make_unique<GridCaseFigures>(PeerChannel("127.0.0.1:1"), absl::Seconds(2));
  suite->assessment_handler =
      std::make_unique<AssessmentHandler>(env, *suite->assessments, *suite->grid);
  suite->service->Start({suite->worker_handler.get(), suite->staffing_handler.get(),
                         suite->pay_handler.get(), suite->training_handler.get(), suite->feed.get(),
                         suite->assessment_handler.get()});
  suite_ = suite;
}

void CareersServiceTest::TearDownTestSuite() {
  delete suite_;
  suite_ = nullptr;
}

CareersServiceTest::CareersServiceTest() {
  auto channel = suite_->service->Channel();
  workers_ = v1::WorkerService::NewStub(channel);
  staffing_ = v1::StaffingService::NewStub(channel);
  pay_ = v1::PayService::NewStub(channel);
  training_ = v1::TrainingService::NewStub(channel);
  feed_ = v1::ChangeFeedService::NewStub(channel);
  assessments_ = v1::AssessmentService::NewStub(channel);
}

AssessmentStore& CareersServiceTest::assessment_store() const { return *suite_->assessments; }

absl::StatusOr<v1::Worker> CareersServiceTest::NewWorker(const std::string& community,
                                                         const std::string& id_number,
                                                         const std::string& hire_date,
                                                         const std::string& scope) const {
  v1::CreateWorkerRequest request;
  v1::Worker* w = request.mutable_worker();
  w->set_community_path(community);
  w->set_name("王秀英");
  w->set_id_number(id_number);
  w->set_post(v1::POST_FULL_TIME_STAFF);
  w->set_grade(3);
  w->set_entry_channel(v1::ENTRY_EXTERNAL_RECRUITMENT);
  w->set_degree(v1::DEGREE_BACHELOR);
  w->set_hire_date(hire_date);
  return Rpc(*workers_, &v1::WorkerService::Stub::CreateWorker, request, scope);
}

int CareersServiceTest::CountRows(const std::string& sql) const {
  int count = -1;
  absl::Status status = db::RunReadOnly(*suite_->service->env().pool, [&](db::Connection& c) {
    auto& select = c.Prepare(sql);
    auto rows = c.Query(select);
    if (rows->next()) count = rows->getInt(1);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return count;
}

std::string IdNumber(int serial) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  const std::string base = absl::StrFormat("11010119900101%03d", serial);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (base[i] - '0') * kWeights[i];
  return base + "10X98765432"[sum % 11];
}

std::string Reason(const absl::Status& status) {
  return status.ok() ? "OK" : ErrorReason(status).value_or(status.ToString());
}

}  // namespace grassroots::careers::testing
