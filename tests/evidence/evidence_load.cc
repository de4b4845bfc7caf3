#include <csignal>
#include <cstdio>
#include <functional>
#include <map>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/time/proto_time.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "tests/evidence/evidence_modes.h"

namespace grassroots::evidence {
namespace {

volatile std::sig_atomic_t stop_requested = 0;
void RequestStop(int) { stop_requested = 1; }

// Workers a load part may create: their ID numbers take 20 birth days of
// 1,000 serials each.
constexpr int64_t kWorkersPerPart = 20000;

enum class Outcome { kAccepted, kAbandoned, kRefused };

struct Result {
  Outcome outcome = Outcome::kAccepted;
  std::string why;  // for abandoned and refused writes
};

// One service's writes: how many, and the longest stretch without one
// accepted (from the start of the load).
struct ServiceFigures {
  std::string name;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> accepted{0}, abandoned{0}, refused{0};
  absl::Mutex mu;
  absl::Time last_accepted;
  absl::Duration longest_gap = absl::ZeroDuration();
};

// Tomorrow at 10:00 (600 minutes) in UTC+8, when the run's members are available.
absl::Time TomorrowMorning() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now() + absl::Hours(8), absl::UTCTimeZone());
  return absl::FromCivil(absl::CivilMinute(today + 1) + 600, absl::UTCTimeZone()) - absl::Hours(8);
}

int StateRank(dualreg::v1::OrderState state) {
  switch (state) {
    case dualreg::v1::ORDERED:
      return 1;
    case dualreg::v1::DISPATCHED:
      return 2;
    case dualreg::v1::TAKEN:
      return 3;
    case dualreg::v1::COMPLETED:
      return 4;
    case dualreg::v1::CONFIRMED:
      return 5;
    case dualreg::v1::RATED:
      return 6;
    default:
      return 0;
  }
}

class Load {
 public:
  Load(const Gateway& gateway, const LoadOptions& options, const State& state, WrittenLog& log)
      : gateway_(gateway), options_(options), state_(state), log_(log) {
    stamp_ = absl::StrCat(absl::ToUnixMillis(absl::Now()) % 100000000);
  }

  absl::Status Init() {
    for (const char* key : {"tag", "load_street_id", "grid_id", "category_code", "community_id",
                            "community_path", "issuing_account", "serial"}) {
      auto value = state_.Get(key);
      if (!value.ok()) return value.status();
      values_[key] = *value;
    }
    for (const char* key : {"transfer_accounts", "registrations", "registration_volunteers"}) {
      auto list = state_.GetList(key);
      if (!list.ok()) return list.status();
      lists_[key] = *list;
    }
    if (lists_["registrations"].size() != lists_["registration_volunteers"].size() ||
        lists_["registrations"].empty() || lists_["transfer_accounts"].empty()) {
      return absl::InvalidArgumentError("state: registrations and their volunteers do not pair");
    }
    if (!absl::SimpleAtoi(values_["serial"], &serial_)) {
      return absl::InvalidArgumentError("state: serial is not a number");
    }
    return absl::OkStatus();
  }

  void Run() {
    start_ = absl::Now();
    end_ = start_ + options_.duration;
    const std::vector<std::pair<std::string, Write>> services = {
        {"orgs", &Load::WriteArea},
        {"grid", &Load::WriteCase},
        {"volunteer", &Load::WriteTransfer},
        {"careers", &Load::WriteWorker},
        {"dualreg", &Load::WriteOrderRound}};
    for (const auto& [name, write] : services) {
      auto figures = std::make_unique<ServiceFigures>();
      figures->name = name;
      figures->last_accepted = start_;
      figures_.push_back(std::move(figures));
    }
    std::vector<std::thread> threads;
    for (size_t s = 0; s < services.size(); ++s) {
      for (int c = 0; c < options_.clients_per_service; ++c) {
        threads.emplace_back(
            [this, s, c, write = services[s].second] { Client(*figures_[s], c, write); });
      }
    }
    for (auto& t : threads) t.join();
  }

  // The figures line; false when a write was abandoned or refused.
  bool Report() const {
    int64_t accepted = 0, abandoned = 0, refused = 0;
    std::vector<std::string> per, gaps;
    for (const auto& f : figures_) {
      accepted += f->accepted;
      abandoned += f->abandoned;
      refused += f->refused;
      per.push_back(absl::StrCat(f->name, "=", f->accepted.load()));
      gaps.push_back(
          absl::StrFormat("gap_%s=%.1f", f->name, absl::ToDoubleSeconds(f->longest_gap)));
    }
    std::printf(
        "load seconds=%.0f accepted=%lld %s retries=%lld settled_by_read=%lld "
        "abandoned=%lld refused=%lld %s\n",
        absl::ToDoubleSeconds(absl::Now() - start_), static_cast<long long>(accepted),
        absl::StrJoin(per, " ").c_str(), static_cast<long long>(retries_.Total()),
        static_cast<long long>(settled_by_read_.load()), static_cast<long long>(abandoned),
        static_cast<long long>(refused), absl::StrJoin(gaps, " ").c_str());
    std::printf("load retries by code: %s\n", retries_.Describe().c_str());
    return abandoned == 0 && refused == 0;
  }

 private:
  using Write = Result (Load::*)(int64_t);

  bool Stopping() const { return stop_requested != 0 || absl::Now() >= end_; }

  // One client of a service: a write every clients/rate seconds, the
  // clients of a service staggered; a late write is not made up for.
  void Client(ServiceFigures& figures, int index, Write write) {
    const absl::Duration interval =
        absl::Seconds(options_.clients_per_service / options_.rate_per_service);
    absl::Time next = start_ + interval * index / options_.clients_per_service;
    while (!Stopping()) {
      while (absl::Now() < next && !Stopping()) {
        absl::SleepFor(std::min(next - absl::Now(), absl::Milliseconds(100)));
      }
      if (Stopping()) break;
      const int64_t n = figures.next.fetch_add(1);
      const Result result = (this->*write)(n);
      switch (result.outcome) {
        case Outcome::kAccepted: {
          figures.accepted++;
          absl::MutexLock lock(&figures.mu);
          const absl::Time now = absl::Now();
          figures.longest_gap = std::max(figures.longest_gap, now - figures.last_accepted);
          figures.last_accepted = now;
          break;
        }
        case Outcome::kAbandoned:
          if (figures.abandoned++ < 5) {
            std::fprintf(stderr, "%s write %lld abandoned: %s\n", figures.name.c_str(),
                         static_cast<long long>(n), result.why.c_str());
          }
          break;
        case Outcome::kRefused:
          if (figures.refused++ < 5) {
            std::fprintf(stderr, "%s write %lld refused: %s\n", figures.name.c_str(),
                         static_cast<long long>(n), result.why.c_str());
          }
          break;
      }
      next = std::max(next + interval, absl::Now());
    }
  }

  // The outcome of a call retried until answered.
  static Result Answered(const grpc::Status& status) {
    if (status.ok()) return {};
    return {Retryable(status.error_code()) ? Outcome::kAbandoned : Outcome::kRefused,
            Describe(status)};
  }

  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                    int* attempts = nullptr) {
    return gateway_.Call(call, options_.give_up, attempts, &retries_);
  }

  std::string RequestId(const char* kind, int64_t n) const {
    return absl::StrCat("ev-", values_.at("tag"), "-", kind, "-", stamp_, "-", n);
  }

  Result WriteArea(int64_t n) {
    thread_local auto stub = orgs::v1::AreaService::NewStub(gateway_.channel());
    orgs::v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(orgs::v1::COMMUNITY);
    request.mutable_area()->set_code(absl::StrCat("a", stamp_, "-", n));
    request.mutable_area()->set_display_name("evidence community");
    request.mutable_area()->set_parent_id(values_.at("load_street_id"));
    request.set_request_id(RequestId("area", n));
    orgs::v1::Area made;
    const grpc::Status status =
        Call([&](grpc::ClientContext* c) { return stub->CreateArea(c, request, &made); });
    if (status.ok()) log_.Append({"area", request.request_id(), made.id(), {}});
    return Answered(status);
  }

  Result WriteCase(int64_t n) {
    thread_local auto stub = grid::v1::CaseService::NewStub(gateway_.channel());
    grid::v1::ReportCaseRequest request;
    auto* c = request.mutable_case_();
    c->set_kind(grid::v1::Case::INCIDENT);
    c->set_source(grid::v1::Case::GRID_WORKER);
    c->set_category_code(values_.at("category_code"));
    c->set_grid_id(values_.at("grid_id"));
    // 110 m apart, beyond the category's duplicate radius of 50 m; each
    // part of a run a degree of latitude away from the others.
    c->set_latitude(30.2 + options_.part + 0.001 * static_cast<double>(n % 1000));
    c->set_longitude(120.1 + 0.001 * static_cast<double>(n / 1000 % 1000));
    c->set_description("evidence: rubbish by the bus stop");
    c->set_reporter_ref("evidence-writer");
    request.set_request_id(RequestId("case", n));
    grid::v1::ReportCaseResponse response;
    const grpc::Status status =
        Call([&](grpc::ClientContext* ctx) { return stub->ReportCase(ctx, request, &response); });
    if (!status.ok()) return Answered(status);
    log_.Append({"case",
                 request.request_id(),
                 response.case_().id(),
                 {response.duplicate() ? "duplicate" : "new"}});
    if (response.duplicate()) {
      return {Outcome::kRefused, absl::StrCat("linked as a duplicate of ", response.case_().id(),
                                              " though 110 m from every other report")};
    }
    return {};
  }

  Result WriteTransfer(int64_t n) {
    thread_local auto stub = volunteer::v1::LedgerService::NewStub(gateway_.channel());
    const auto& accounts = lists_.at("transfer_accounts");
    volunteer::v1::CreateTransferRequest request;
    auto* t = request.mutable_transfer();
    t->set_id(RequestId("t", n));
    t->set_debit_account_id(values_.at("issuing_account"));
    t->set_credit_account_id(accounts[n % accounts.size()]);
    t->set_amount(1 + n % 5);
    t->set_memo("evidence transfer");
    volunteer::v1::Transfer made;
    const grpc::Status status =
        Call([&](grpc::ClientContext* c) { return stub->CreateTransfer(c, request, &made); });
    if (status.ok()) {
      log_.Append(
          {"transfer", t->id(), made.id(), {t->credit_account_id(), absl::StrCat(t->amount())}});
    }
    return Answered(status);
  }

  Result WriteWorker(int64_t n) {
    if (n >= kWorkersPerPart) {
      return {Outcome::kRefused, "more workers than a load part has ID numbers for"};
    }
    thread_local auto stub = careers::v1::WorkerService::NewStub(gateway_.channel());
    careers::v1::CreateWorkerRequest request;
    auto* w = request.mutable_worker();
    w->set_community_path(values_.at("community_path"));
    w->set_name("评估员");
    const int64_t base = (serial_ * 10 + options_.part) * kWorkersPerPart + n;
    w->set_id_number(
        IdNumber("110105", static_cast<int>(base / 1000), static_cast<int>(base % 1000)));
    w->set_post(careers::v1::POST_FULL_TIME_STAFF);
    w->set_grade(2);
    w->set_entry_channel(careers::v1::ENTRY_EXTERNAL_RECRUITMENT);
    w->set_degree(careers::v1::DEGREE_BACHELOR);
    w->set_hire_date("2020-09-01");
    request.set_request_id(RequestId("worker", n));
    careers::v1::Worker made;
    const grpc::Status status =
        Call([&](grpc::ClientContext* c) { return stub->CreateWorker(c, request, &made); });
    if (status.ok()) log_.Append({"worker", request.request_id(), made.id(), {}});
    return Answered(status);
  }

  // One step of an order's round, to `target`. A step has no request id:
  // when a retried step (whose first attempt may have been made) is
  // refused FAILED_PRECONDITION, the order is read back and the step
  // counts as made when the order is at or past `target`.
  Result Step(dualreg::v1::OrderService::Stub& stub, const std::string& id, const char* name,
              dualreg::v1::OrderState target,
              const std::function<grpc::Status(grpc::ClientContext*, dualreg::v1::Order*)>& call) {
    dualreg::v1::Order order;
    int attempts = 0;
    const grpc::Status status =
        Call([&](grpc::ClientContext* c) { return call(c, &order); }, &attempts);
    if (status.ok()) {
      if (order.state() != target) {
        return {Outcome::kRefused, absl::StrCat(name, " ", id, " left the order in state ",
                                                dualreg::v1::OrderState_Name(order.state()))};
      }
      return {};
    }
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION && attempts > 1) {
      dualreg::v1::GetOrderRequest get;
      get.set_id(id);
      const grpc::Status read =
          Call([&](grpc::ClientContext* c) { return stub.GetOrder(c, get, &order); });
      if (read.ok() && StateRank(order.state()) >= StateRank(target)) {
        settled_by_read_++;
        return {};
      }
    }
    Result result = Answered(status);
    result.why = absl::StrCat(name, " ", id, ": ", result.why);
    return result;
  }

  Result WriteOrderRound(int64_t n) {
    thread_local auto stub = dualreg::v1::OrderService::NewStub(gateway_.channel());
    const auto& registrations = lists_.at("registrations");
    const size_t k = n % registrations.size();
    dualreg::v1::CreateOrderRequest create;
    auto* o = create.mutable_order();
    o->set_community_id(values_.at("community_id"));
    o->set_household_id(absl::StrCat("hh_ev_", n % 97));
    o->set_skill("repair");
    o->set_description("evidence: the kitchen tap leaks");
    ToProtoTime(TomorrowMorning(), o->mutable_requested_time());
    o->set_duration_minutes(60);
    create.set_request_id(RequestId("order", n));
    dualreg::v1::Order order;
    grpc::Status status =
        Call([&](grpc::ClientContext* c) { return stub->CreateOrder(c, create, &order); });
    if (!status.ok()) return Answered(status);
    const std::string id = order.id();
    log_.Append({"order", create.request_id(), id, {}});

    dualreg::v1::DispatchOrderRequest dispatch;
    dispatch.set_id(id);
    dispatch.add_registration_ids(registrations[k]);
    Result r = Step(*stub, id, "DispatchOrder", dualreg::v1::DISPATCHED,
                    [&](grpc::ClientContext* c, dualreg::v1::Order* out) {
                      return stub->DispatchOrder(c, dispatch, out);
                    });
    if (r.outcome != Outcome::kAccepted) return r;
    dualreg::v1::TakeOrderRequest take;
    take.set_id(id);
    take.set_registration_id(registrations[k]);
    r = Step(*stub, id, "TakeOrder", dualreg::v1::TAKEN,
             [&](grpc::ClientContext* c, dualreg::v1::Order* out) {
               return stub->TakeOrder(c, take, out);
             });
    if (r.outcome != Outcome::kAccepted) return r;
    dualreg::v1::CompleteOrderRequest complete;
    complete.set_id(id);
    complete.set_minutes(30);
    r = Step(*stub, id, "CompleteOrder", dualreg::v1::COMPLETED,
             [&](grpc::ClientContext* c, dualreg::v1::Order* out) {
               return stub->CompleteOrder(c, complete, out);
             });
    if (r.outcome != Outcome::kAccepted) return r;
    dualreg::v1::ConfirmOrderRequest confirm;
    confirm.set_id(id);
    r = Step(*stub, id, "ConfirmOrder", dualreg::v1::CONFIRMED,
             [&](grpc::ClientContext* c, dualreg::v1::Order* out) {
               return stub->ConfirmOrder(c, confirm, out);
             });
    if (r.outcome != Outcome::kAccepted) return r;
    log_.Append({"confirmed", create.request_id(), id, {lists_.at("registration_volunteers")[k]}});
    return {};
  }

  const Gateway& gateway_;
  const LoadOptions& options_;
  const State& state_;
  WrittenLog& log_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> lists_;
  int64_t serial_ = 0;
  std::string stamp_;
  absl::Time start_, end_;
  std::vector<std::unique_ptr<ServiceFigures>> figures_;
  RetryCounters retries_;
  std::atomic<int64_t> settled_by_read_{0};
};

}  // namespace

int RunLoad(const Gateway& gateway, const LoadOptions& options) {
  std::signal(SIGTERM, RequestStop);
  std::signal(SIGINT, RequestStop);
  auto state = State::Read(options.state_path);
  if (!state.ok()) {
    std::fprintf(stderr, "%s\n", state.status().ToString().c_str());
    return 2;
  }
  auto log = WrittenLog::Open(options.log_path);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 2;
  }
  Load load(gateway, options, *state, **log);
  if (auto s = load.Init(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  load.Run();
  return load.Report() ? 0 : 1;
}

}  // namespace grassroots::evidence
