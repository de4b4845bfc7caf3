#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/dualreg/v1/order.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "tests/evidence/evidence_modes.h"

namespace grassroots::evidence {
namespace {

// A read is retried like a write, for at most this long.
constexpr absl::Duration kReadGiveUp = absl::Seconds(60);

class Verify {
 public:
  Verify(const Gateway& gateway, const VerifyOptions& options, const State& state,
         std::vector<Written> log)
      : gateway_(gateway), options_(options), state_(state) {
    for (Written& w : log) by_kind_[w.kind].push_back(std::move(w));
  }

  absl::Status Run() {
    for (const char* key : {"load_street_id", "grid_id", "community_path", "tag"}) {
      auto value = state_.Get(key);
      if (!value.ok()) return value.status();
      values_[key] = *value;
    }
    for (const char* key : {"transfer_accounts", "registration_volunteers"}) {
      auto list = state_.GetList(key);
      if (!list.ok()) return list.status();
      lists_[key] = *list;
    }
    Areas();
    Cases();
    Workers();
    Transfers();
    Orders();
    Ledger();
    std::printf("verify %s accepted=%lld missing=%lld duplicates=%lld violations=%lld\n",
                values_["tag"].c_str(), static_cast<long long>(accepted_),
                static_cast<long long>(missing_), static_cast<long long>(duplicates_),
                static_cast<long long>(violations_));
    return absl::OkStatus();
  }

  bool Clean() const { return missing_ == 0 && duplicates_ == 0 && violations_ == 0; }

 private:
  grpc::Status Read(const std::function<grpc::Status(grpc::ClientContext*)>& call) {
    return gateway_.Call(call, kReadGiveUp);
  }

  // Every id a paged List call answers for `request`, into `listed`.
  // `list(context, request, page)` makes the call; `items(page)` are the
  // records of one page.
  template <typename Response, typename Request, typename List, typename Items>
  grpc::Status ListAll(Request request, List list, Items items, std::set<std::string>* listed) {
    request.set_page_size(1000);
    for (;;) {
      Response page;
      grpc::Status s = Read([&](grpc::ClientContext* c) { return list(c, request, &page); });
      if (!s.ok()) return s;
      for (const auto& record : items(page)) listed->insert(record.id());
      if (page.next_page_token().empty()) return s;
      request.set_page_token(page.next_page_token());
    }
  }

  // A read that did not find the record: gone (NOT_FOUND or, as scoped
  // reads answer for records that do not exist, PERMISSION_DENIED), or not
  // readable at all (counted missing as well: its presence is not shown).
  void Unread(const std::string& what, const std::string& id, const grpc::Status& status) {
    if (unread_reported_++ < 10) {
      std::fprintf(stderr, "%s %s not read back: %s\n", what.c_str(), id.c_str(),
                   Describe(status).c_str());
    }
  }

  // Compares one kind's logged writes (read back one by one by `get`) with
  // the records `list` finds under the run's parent, and prints the line.
  void Records(const std::string& title, const std::string& kind,
               const std::function<grpc::Status(const std::string&)>& get,
               const std::function<grpc::Status(std::set<std::string>*)>& list) {
    const auto& written = by_kind_[kind];
    std::set<std::string> requests, ids, gone;
    int64_t found = 0;
    for (const Written& w : written) {
      requests.insert(w.request_id);
      ids.insert(w.id);
      const grpc::Status status = get(w.id);
      if (status.ok()) {
        ++found;
      } else {
        gone.insert(w.id);
        Unread(kind, w.id, status);
      }
    }
    std::set<std::string> listed;
    const grpc::Status listing = list(&listed);
    int64_t unlogged = 0;
    if (!listing.ok()) {
      ++violations_;
      std::fprintf(stderr, "%s: listing failed: %s\n", title.c_str(), Describe(listing).c_str());
    }
    for (const std::string& id : listed) {
      if (!ids.contains(id)) ++unlogged;
    }
    // Read back by id but not listed under the run's parent is missing too.
    for (const std::string& id : ids) {
      if (listing.ok() && !listed.contains(id)) gone.insert(id);
    }
    const auto missing = static_cast<int64_t>(gone.size());
    const int64_t merged = static_cast<int64_t>(requests.size() - ids.size());
    accepted_ += static_cast<int64_t>(written.size());
    missing_ += missing;
    duplicates_ +=
        unlogged + merged +
        static_cast<int64_t>(written.size() - requests.size());  // a request logged twice
    std::printf(
        "check %s: accepted %zu, read back %lld, missing %lld, listed %zu, not in the log %lld, "
        "two requests one record %lld\n",
        title.c_str(), written.size(), static_cast<long long>(found),
        static_cast<long long>(missing), listed.size(), static_cast<long long>(unlogged),
        static_cast<long long>(merged));
  }

  void Areas() {
    auto stub = orgs::v1::AreaService::NewStub(gateway_.channel());
    const std::string street = values_["load_street_id"];
    Records(
        "orgs areas", "area",
        [&](const std::string& id) {
          orgs::v1::GetAreaRequest request;
          request.set_id(id);
          orgs::v1::Area area;
          grpc::Status s =
              Read([&](grpc::ClientContext* c) { return stub->GetArea(c, request, &area); });
          if (s.ok() && area.parent_id() != street) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND, "the area moved from its street");
          }
          return s;
        },
        [&](std::set<std::string>* listed) {
          orgs::v1::ListAreasRequest request;
          request.set_parent_id(street);
          return ListAll<orgs::v1::ListAreasResponse>(
              request,
              [&](grpc::ClientContext* c, const auto& r, auto* page) {
                return stub->ListAreas(c, r, page);
              },
              [](const orgs::v1::ListAreasResponse& page) -> const auto& { return page.areas(); },
              listed);
        });
  }

  void Cases() {
    auto stub = grid::v1::CaseService::NewStub(gateway_.channel());
    const std::string grid = values_["grid_id"];
    Records(
        "grid cases", "case",
        [&](const std::string& id) {
          grid::v1::GetCaseRequest request;
          request.set_id(id);
          grid::v1::Case found;
          grpc::Status s =
              Read([&](grpc::ClientContext* c) { return stub->GetCase(c, request, &found); });
          if (s.ok() && found.grid_id() != grid) {
            return grpc::Status(grpc::StatusCode::NOT_FOUND, "the case is not in the run's grid");
          }
          return s;
        },
        [&](std::set<std::string>* listed) {
          grid::v1::ListCasesRequest request;
          request.set_grid_id(grid);
          return ListAll<grid::v1::ListCasesResponse>(
              request,
              [&](grpc::ClientContext* c, const auto& r, auto* page) {
                return stub->ListCases(c, r, page);
              },
              [](const grid::v1::ListCasesResponse& page) -> const auto& { return page.cases(); },
              listed);
        });
  }

  void Workers() {
    auto stub = careers::v1::WorkerService::NewStub(gateway_.channel());
    const std::string path = values_["community_path"];
    Records(
        "careers workers", "worker",
        [&](const std::string& id) {
          careers::v1::GetWorkerRequest request;
          request.set_id(id);
          careers::v1::Worker found;
          return Read([&](grpc::ClientContext* c) { return stub->GetWorker(c, request, &found); });
        },
        [&](std::set<std::string>* listed) {
          careers::v1::ListWorkersRequest request;
          request.set_path_prefix(path);
          return ListAll<careers::v1::ListWorkersResponse>(
              request,
              [&](grpc::ClientContext* c, const auto& r, auto* page) {
                return stub->ListWorkers(c, r, page);
              },
              [](const careers::v1::ListWorkersResponse& page) -> const auto& {
                return page.workers();
              },
              listed);
        });
  }

  // An account's balance and entry count, or an error.
  grpc::Status Account(const std::string& id, volunteer::v1::Account* account) {
    auto stub = volunteer::v1::LedgerService::NewStub(gateway_.channel());
    volunteer::v1::GetAccountRequest request;
    request.set_id(id);
    return Read([&](grpc::ClientContext* c) { return stub->GetAccount(c, request, account); });
  }

  // Each logged transfer read back with its amount and account; each of
  // the run's accounts holding exactly the logged transfers (entries and
  // balance).
  void Transfers() {
    auto stub = volunteer::v1::LedgerService::NewStub(gateway_.channel());
    const auto& written = by_kind_["transfer"];
    std::map<std::string, std::pair<int64_t, int64_t>> expected;  // account -> (entries, sum)
    std::set<std::string> ids;
    int64_t found = 0, missing = 0, differ = 0;
    for (const Written& w : written) {
      int64_t amount = 0;
      if (w.details.size() != 2 || !absl::SimpleAtoi(w.details[1], &amount)) {
        ++violations_;
        continue;
      }
      ids.insert(w.id);
      expected[w.details[0]].first++;
      expected[w.details[0]].second += amount;
      volunteer::v1::GetTransferRequest request;
      request.set_id(w.id);
      volunteer::v1::Transfer t;
      const grpc::Status s =
          Read([&](grpc::ClientContext* c) { return stub->GetTransfer(c, request, &t); });
      if (!s.ok()) {
        ++missing;
        Unread("transfer", w.id, s);
      } else if (t.amount() != amount || t.credit_account_id() != w.details[0]) {
        ++differ;
      } else {
        ++found;
      }
    }
    int64_t extra_entries = 0, balance_wrong = 0;
    for (const std::string& id : lists_["transfer_accounts"]) {
      volunteer::v1::Account account;
      const grpc::Status s = Account(id, &account);
      if (!s.ok()) {
        ++balance_wrong;
        Unread("account", id, s);
        continue;
      }
      const auto [entries, sum] = expected[id];
      if (account.entry_count() > entries) extra_entries += account.entry_count() - entries;
      if (account.balance() != sum) ++balance_wrong;
    }
    accepted_ += static_cast<int64_t>(written.size());
    missing_ += missing;
    duplicates_ += extra_entries + static_cast<int64_t>(written.size() - ids.size());
    violations_ += differ + balance_wrong;
    std::printf(
        "check volunteer transfers: accepted %zu, read back %lld, missing %lld, differing %lld; "
        "%zu accounts: entries beyond the logged %lld, balances not the logged sum %lld\n",
        written.size(), static_cast<long long>(found), static_cast<long long>(missing),
        static_cast<long long>(differ), lists_["transfer_accounts"].size(),
        static_cast<long long>(extra_entries), static_cast<long long>(balance_wrong));
  }

  // Every created order read back and listed; every confirmed order
  // credited exactly once: CREDIT_DELIVERED (waited for up to
  // credit_wait: the outbox), its credit transfer on the taker's account,
  // and each member's account holding one entry per order it served.
  void Orders() {
    auto stub = dualreg::v1::OrderService::NewStub(gateway_.channel());
    auto ledger = volunteer::v1::LedgerService::NewStub(gateway_.channel());
    auto get = [&](const std::string& id, dualreg::v1::Order* order) {
      dualreg::v1::GetOrderRequest request;
      request.set_id(id);
      return Read([&](grpc::ClientContext* c) { return stub->GetOrder(c, request, order); });
    };
    Records(
        "dualreg orders", "order",
        [&](const std::string& id) {
          dualreg::v1::Order order;
          return get(id, &order);
        },
        [&](std::set<std::string>* listed) {
          dualreg::v1::ListOrdersRequest request;
          request.set_path(values_["community_path"]);
          return ListAll<dualreg::v1::ListOrdersResponse>(
              request,
              [&](grpc::ClientContext* c, const auto& r, auto* page) {
                return stub->ListOrders(c, r, page);
              },
              [](const dualreg::v1::ListOrdersResponse& page) -> const auto& {
                return page.orders();
              },
              listed);
        });

    const auto& confirmed = by_kind_["confirmed"];
    std::set<std::string> created;
    for (const Written& w : by_kind_["order"]) created.insert(w.id);
    // Wait for the outbox: every confirmed order delivered.
    std::map<std::string, dualreg::v1::Order> orders;
    std::set<std::string> waiting;
    for (const Written& w : confirmed) waiting.insert(w.id);
    const absl::Time start = absl::Now(), end = start + options_.credit_wait;
    while (!waiting.empty()) {
      for (auto it = waiting.begin(); it != waiting.end();) {
        dualreg::v1::Order order;
        if (get(*it, &order).ok() && order.credit_state() != dualreg::v1::CREDIT_PENDING) {
          orders[*it] = order;
          it = waiting.erase(it);
        } else {
          ++it;
        }
      }
      if (waiting.empty() || absl::Now() >= end) break;
      absl::SleepFor(absl::Seconds(1));
    }
    const double waited = absl::ToDoubleSeconds(absl::Now() - start);

    int64_t not_confirmed = 0, not_credited = 0, transfer_wrong = 0, extra_credits = 0,
            balance_wrong = 0;
    std::map<std::string, std::pair<int64_t, int64_t>> expected;  // account -> (entries, sum)
    for (const Written& w : confirmed) {
      if (w.details.size() != 1) {
        ++violations_;
        continue;
      }
      const std::string account = absl::StrCat("volunteer/", w.details[0]);
      expected[account].first++;
      auto it = orders.find(w.id);
      if (it == orders.end() || it->second.credit_state() != dualreg::v1::CREDIT_DELIVERED) {
        ++not_credited;
        if (it == orders.end()) continue;
      }
      const dualreg::v1::Order& order = it->second;
      if (order.state() != dualreg::v1::CONFIRMED && order.state() != dualreg::v1::RATED) {
        ++not_confirmed;
      }
      volunteer::v1::GetTransferRequest request;
      request.set_id(absl::StrCat("credit/dualreg/", w.id));
      volunteer::v1::Transfer t;
      const grpc::Status s =
          Read([&](grpc::ClientContext* c) { return ledger->GetTransfer(c, request, &t); });
      if (!s.ok() || t.credit_account_id() != account) {
        ++transfer_wrong;
        continue;
      }
      expected[account].second += t.amount();
    }
    for (const std::string& volunteer : lists_["registration_volunteers"]) {
      const std::string id = absl::StrCat("volunteer/", volunteer);
      volunteer::v1::Account account;
      const grpc::Status s = Account(id, &account);
      if (!s.ok()) {
        ++balance_wrong;
        Unread("account", id, s);
        continue;
      }
      const auto [entries, sum] = expected[id];
      if (account.entry_count() > entries) extra_credits += account.entry_count() - entries;
      if (account.entry_count() != entries || account.balance() != sum) ++balance_wrong;
    }
    int64_t unfinished = 0;
    std::set<std::string> confirmed_ids;
    for (const Written& w : confirmed) confirmed_ids.insert(w.id);
    for (const std::string& id : created) {
      if (!confirmed_ids.contains(id)) ++unfinished;
    }
    violations_ += not_confirmed + not_credited + transfer_wrong + extra_credits + balance_wrong;
    std::printf(
        "check dualreg credited exactly once: %zu confirmed (%lld rounds unfinished), credited "
        "after %.0f s wait: not credited %lld, not confirmed %lld, credit transfer missing or "
        "elsewhere %lld, credits beyond one an order %lld, member accounts off %lld\n",
        confirmed.size(), static_cast<long long>(unfinished), waited,
        static_cast<long long>(not_credited), static_cast<long long>(not_confirmed),
        static_cast<long long>(transfer_wrong), static_cast<long long>(extra_credits),
        static_cast<long long>(balance_wrong));
  }

  void Ledger() {
    auto stub = volunteer::v1::LedgerService::NewStub(gateway_.channel());
    volunteer::v1::CheckInvariantsResponse check;
    const grpc::Status s = Read([&](grpc::ClientContext* c) {
      return stub->CheckInvariants(c, volunteer::v1::CheckInvariantsRequest(), &check);
    });
    if (!s.ok()) {
      ++violations_;
      std::printf("check volunteer CheckInvariants: not answered: %s\n", Describe(s).c_str());
      return;
    }
    violations_ += check.violations_size() + (check.balance_sum() != 0 ? 1 : 0);
    for (int i = 0; i < check.violations_size() && i < 10; ++i) {
      std::fprintf(stderr, "ledger violation %s %s: %s\n", check.violations(i).rule().c_str(),
                   check.violations(i).subject().c_str(), check.violations(i).detail().c_str());
    }
    std::printf(
        "check volunteer CheckInvariants: violations %d, balance sum %lld, accounts %lld, "
        "transfers %lld, goods %lld, attendances %lld\n",
        check.violations_size(), static_cast<long long>(check.balance_sum()),
        static_cast<long long>(check.accounts_checked()),
        static_cast<long long>(check.transfers_checked()),
        static_cast<long long>(check.goods_checked()),
        static_cast<long long>(check.attendances_checked()));
  }

  const Gateway& gateway_;
  const VerifyOptions& options_;
  const State& state_;
  std::map<std::string, std::vector<Written>> by_kind_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> lists_;
  int64_t accepted_ = 0, missing_ = 0, duplicates_ = 0, violations_ = 0;
  int unread_reported_ = 0;
};

}  // namespace

int RunVerify(const Gateway& gateway, const VerifyOptions& options) {
  auto state = State::Read(options.state_path);
  if (!state.ok()) {
    std::fprintf(stderr, "%s\n", state.status().ToString().c_str());
    return 2;
  }
  auto log = WrittenLog::ReadAll(options.log_path);
  if (!log.ok()) {
    std::fprintf(stderr, "%s\n", log.status().ToString().c_str());
    return 2;
  }
  Verify verify(gateway, options, *state, std::move(*log));
  if (auto s = verify.Run(); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  return verify.Clean() ? 0 : 1;
}

}  // namespace grassroots::evidence
