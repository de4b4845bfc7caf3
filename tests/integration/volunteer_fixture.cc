#include "tests/integration/volunteer_fixture.h"

#include <prometheus/text_serializer.h>

#include "common/changes/change_feed_handler.h"
#include "common/crypto/personal_data.h"
#include "common/status/errors.h"
#include "common/testing/private_mariadb.h"
#include "services/volunteer/activity_handler.h"
#include "services/volunteer/certificate_handler.h"
#include "services/volunteer/credit_handler.h"
#include "services/volunteer/expiry_handler.h"
#include "services/volunteer/invariant_store.h"
#include "services/volunteer/ledger_handler.h"
#include "services/volunteer/ledger_store.h"
#include "services/volunteer/roster_handler.h"
#include "services/volunteer/supermarket_handler.h"
#include "services/volunteer/volunteer_handler.h"
#include "services/volunteer/wish_handler.h"

namespace grassroots::db {
const MigrationSet& volunteer_migrations();
}  // namespace grassroots::db

namespace grassroots::volunteer::testing {

using ::grassroots::testing::InProcessService;

struct VolunteerSuite {
  std::unique_ptr<InProcessService> service;
  std::unique_ptr<LedgerStore> ledger;
  std::unique_ptr<InvariantStore> invariants;
  std::unique_ptr<LedgerHandler> ledger_handler;
  std::unique_ptr<PersonalDataCipher> cipher;
  std::unique_ptr<VolunteerStore> volunteers;
  std::unique_ptr<VolunteerHandler> volunteer_handler;
  std::unique_ptr<ActivityStore> activities;
  std::unique_ptr<RosterStore> roster;
  std::unique_ptr<RosterHandler> roster_handler;
  std::unique_ptr<AttendanceStore> attendances;
  std::unique_ptr<ActivityHandler> activity_handler;
  std::unique_ptr<SupermarketStore> supermarket;
  std::unique_ptr<SupermarketHandler> supermarket_handler;
  std::unique_ptr<CreditStore> credits;
  std::unique_ptr<CreditHandler> credit_handler;
  std::unique_ptr<prometheus::Registry> registry;
  std::unique_ptr<BusinessMetrics> metrics;
  std::unique_ptr<ManualClock> expiry_clock;
  std::unique_ptr<ExpiryStore> expiry;
  std::unique_ptr<ExpiryHandler> expiry_handler;
  std::unique_ptr<ManualClock> certificate_clock;
  std::unique_ptr<CertificateStore> certificates;
  std::unique_ptr<CertificateHandler> certificate_handler;
  std::unique_ptr<WishStore> wishes;
  std::unique_ptr<WishHandler> wish_handler;
  std::unique_ptr<ManualClock> sweep_clock;
  std::unique_ptr<WishSweeper> sweeper;
  std::unique_ptr<ChangeFeedHandler<v1::ChangeFeedService>> feed;

  ~VolunteerSuite() {
    if (service) service->Stop();
  }
};

void VolunteerSuiteDeleter::operator()(VolunteerSuite* suite) const { delete suite; }

VolunteerSuitePtr StartVolunteerSuite(const std::string& name) {
  VolunteerSuitePtr suite(new VolunteerSuite);
  suite->service = std::make_unique<InProcessService>(
      "volunteer", ::grassroots::testing::FreshSchema(name),
      std::vector<const db::MigrationSet*>{&db::volunteer_migrations()});
  const ServiceEnv& env = suite->service->env();
  suite->registry = std::make_unique<prometheus::Registry>();
  suite->metrics = std::make_unique<BusinessMetrics>(*suite->registry);
  suite->ledger = std::make_unique<LedgerStore>(*env.pool, *env.changes);
  suite->invariants = std::make_unique<InvariantStore>(*env.pool);
  suite->ledger_handler = std::make_unique<LedgerHandler>(env, *suite->ledger, *suite->invariants);
  suite->cipher = *PersonalDataCipher::Create(::grassroots::testing::kTestPersonalDataKey);
  suite->volunteers = std::make_unique<VolunteerStore>(*env.pool, *env.changes, *suite->cipher);
  suite->volunteer_handler =
      std::make_unique<VolunteerHandler>(env, *suite->volunteers, *suite->metrics);
  suite->activities = std::make_unique<ActivityStore>(*env.pool, *env.changes);
  suite->roster = std::make_unique<RosterStore>(*env.pool, *env.changes);
  suite->roster_handler = std::make_unique<RosterHandler>(env, *suite->roster);
  suite->attendances = std::make_unique<AttendanceStore>(*env.pool, *env.changes, *suite->roster);
  suite->activity_handler = std::make_unique<ActivityHandler>(env, *suite->activities,
                                                              *suite->attendances, *suite->metrics);
  suite->supermarket = std::make_unique<SupermarketStore>(*env.pool, *env.changes);
  suite->supermarket_handler =
      std::make_unique<SupermarketHandler>(env, *suite->supermarket, *suite->metrics);
  suite->credits = std::make_unique<CreditStore>(*env.pool, *env.changes);
  suite->credit_handler = std::make_unique<CreditHandler>(env, *suite->credits, *suite->metrics);
  suite->expiry_clock = std::make_unique<ManualClock>(absl::Now());
  suite->expiry = std::make_unique<ExpiryStore>(*env.pool, *env.changes);
  suite->expiry_handler =
      std::make_unique<ExpiryHandler>(env, *suite->expiry, *suite->expiry_clock, *suite->metrics);
  suite->certificate_clock = std::make_unique<ManualClock>(absl::Now());
  suite->certificates = std::make_unique<CertificateStore>(*env.pool, *env.changes);
  suite->certificate_handler =
      std::make_unique<CertificateHandler>(env, *suite->certificates, *suite->certificate_clock);
  suite->wishes = std::make_unique<WishStore>(*env.pool, *env.changes);
  suite->wish_handler = std::make_unique<WishHandler>(env, *suite->wishes, *suite->metrics);
  suite->sweep_clock = std::make_unique<ManualClock>(absl::Now());
  suite->sweeper = std::make_unique<WishSweeper>(env, *suite->wishes, *suite->sweep_clock,
                                                 *suite->registry, absl::Seconds(1), /*batch=*/3);
  suite->feed = std::make_unique<ChangeFeedHandler<v1::ChangeFeedService>>(env);
  suite->service->Start({suite->ledger_handler.get(), suite->volunteer_handler.get(),
                         suite->activity_handler.get(), suite->supermarket_handler.get(),
                         suite->credit_handler.get(), suite->wish_handler.get(),
                         suite->certificate_handler.get(), suite->expiry_handler.get(),
                         suite->roster_handler.get(), suite->feed.get()});
  return suite;
}

InProcessService& Service(VolunteerSuite& suite) { return *suite.service; }
WishSweeper& Sweeper(VolunteerSuite& suite) { return *suite.sweeper; }
ManualClock& SweepClock(VolunteerSuite& suite) { return *suite.sweep_clock; }
ManualClock& CertificateClock(VolunteerSuite& suite) { return *suite.certificate_clock; }
ManualClock& ExpiryClock(VolunteerSuite& suite) { return *suite.expiry_clock; }
std::string ScrapeMetrics(VolunteerSuite& suite) {
  return prometheus::TextSerializer().Serialize(suite.registry->Collect());
}

VolunteerClient::VolunteerClient(VolunteerSuite& suite) : suite_(suite) {
  auto channel = suite.service->Channel();
  ledger_ = v1::LedgerService::NewStub(channel);
  feed_ = v1::ChangeFeedService::NewStub(channel);
  volunteers_ = v1::VolunteerService::NewStub(channel);
  activities_ = v1::ActivityService::NewStub(channel);
  supermarket_ = v1::SupermarketService::NewStub(channel);
  credits_ = v1::CreditService::NewStub(channel);
  wishes_ = v1::WishService::NewStub(channel);
  certificates_ = v1::CertificateService::NewStub(channel);
  expiry_ = v1::PointsExpiryService::NewStub(channel);
  roster_ = v1::RosterService::NewStub(channel);
}

absl::StatusOr<v1::Account> VolunteerClient::Open(v1::AccountKind kind,
                                                  const std::string& community,
                                                  const std::string& scope) {
  v1::OpenAccountRequest request;
  request.mutable_account()->set_kind(kind);
  request.mutable_account()->set_community_path(community);
  return Rpc(*ledger_, &v1::LedgerService::Stub::OpenAccount, request, scope);
}

absl::StatusOr<v1::Volunteer> VolunteerClient::NewVolunteer(const std::string& community,
                                                            const std::string& name,
                                                            const std::string& member_id,
                                                            const std::string& scope,
                                                            const std::string& request_id) const {
  v1::CreateVolunteerRequest request;
  request.mutable_volunteer()->set_community_path(community);
  request.mutable_volunteer()->set_name(name);
  request.mutable_volunteer()->set_member_id(member_id);
  request.set_request_id(request_id);
  return Rpc(*volunteers_, &v1::VolunteerService::Stub::CreateVolunteer, request, scope);
}

absl::StatusOr<v1::Transfer> VolunteerClient::Transfer(const std::string& id,
                                                       const std::string& debit,
                                                       const std::string& credit, int64_t amount,
                                                       const std::string& scope,
                                                       const std::string& memo) const {
  v1::CreateTransferRequest request;
  request.mutable_transfer()->set_id(id);
  request.mutable_transfer()->set_debit_account_id(debit);
  request.mutable_transfer()->set_credit_account_id(credit);
  request.mutable_transfer()->set_amount(amount);
  request.mutable_transfer()->set_memo(memo);
  return Rpc(*ledger_, &v1::LedgerService::Stub::CreateTransfer, request, scope);
}

int64_t VolunteerClient::Balance(const std::string& account) const {
  v1::GetAccountRequest request;
  request.set_id(account);
  auto got = Rpc(*ledger_, &v1::LedgerService::Stub::GetAccount, request);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? got->balance() : -1;
}

absl::StatusOr<v1::CheckInvariantsResponse> VolunteerClient::Check() const {
  return Rpc(*ledger_, &v1::LedgerService::Stub::CheckInvariants, v1::CheckInvariantsRequest());
}

VolunteerSuite* VolunteerServiceTest::suite_ = nullptr;

void VolunteerServiceTest::TearDownTestSuite() {
  VolunteerSuiteDeleter()(suite_);
  suite_ = nullptr;
}

void VolunteerServiceTest::TearDown() {
  auto check = Check();
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_EQ(check->balance_sum(), 0);
  for (const v1::Violation& v : check->violations()) {
    ADD_FAILURE() << "invariant " << v.rule() << " broken by " << v.subject() << ": " << v.detail();
  }
}

std::string Reason(const absl::Status& status) {
  return status.ok() ? "OK" : ErrorReason(status).value_or(status.ToString());
}

}  // namespace grassroots::volunteer::testing
