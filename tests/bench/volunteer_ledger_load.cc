// The points ledger and the love supermarket under load, through the
// volunteer service's own APIs.
//
//   seed VOLUNTEER COMMUNITIES PER_COMMUNITY CONCURRENCY OUT_FILE
//     In each of COMMUNITIES communities "bd/s0/c<i>": the issuing account
//     opened and one good (price 1 point, 1,000,000 in stock) created; then
//     PER_COMMUNITY volunteers made there (CreateVolunteer), each given
//     1,000,000 points from the issuing account (CreateTransfer),
//     CONCURRENCY volunteers at a time. Writes a line "volunteer_id
//     account_id good_id issuing_account_id" a volunteer to OUT_FILE and
//     prints "volunteers_per_second errors"; fails unless all were made.
//
//   transfers VOLUNTEER FILE distinct|hot CONCURRENCY SECONDS
//     CONCURRENCY CreateTransfer calls in flight for SECONDS, 1 point each
//     under a new id. distinct: the n-th from volunteer 2n to volunteer 2n+1
//     (mod the volunteers), so the calls in flight share no account. hot:
//     every one from the first community's issuing account, to volunteer n.
//
//   redeem VOLUNTEER FILE distinct|hot CONCURRENCY SECONDS
//     Redeem calls, one item each under a new id. distinct: volunteer n at
//     the good of their community. hot: only the first community's
//     volunteers, all at its one good.
//
// The load modes print "calls_per_second p50_ms p99_ms errors calls_ok".
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "grassroots/volunteer/v1/ledger.grpc.pb.h"
#include "grassroots/volunteer/v1/supermarket.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/bench/closed_loop.h"
#include "tests/bench/fields_file.h"

namespace {

namespace v1 = grassroots::volunteer::v1;
using grassroots::bench::ReadFields;
using grassroots::bench::SignedPrincipal;
using grassroots::bench::UnitLoop;

constexpr int64_t kStartingPoints = 1000000;

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

struct Seeded {
  std::string volunteer_id;
  std::string account_id;
  std::string good_id;
  std::string issuing_account_id;
};

std::vector<Seeded> ReadSeeded(const std::string& file) {
  std::vector<Seeded> seeded;
  for (auto& f : ReadFields(file, 4)) seeded.push_back({f[0], f[1], f[2], f[3]});
  return seeded;
}

// Attaches the principal and a deadline to a call made one at a time.
void Prepare(grpc::ClientContext& context, const std::string& token) {
  context.AddMetadata(std::string(grassroots::kPrincipalMetadataKey), token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

struct Community {
  std::string path;
  std::string issuing_account_id;
  std::string good_id;
};

// The issuing account and the good of each community, one call at a time.
bool OpenCommunities(const std::string& target, const std::string& token, int count,
                     std::vector<Community>& communities) {
  auto ledger = v1::LedgerService::NewStub(ChannelTo(target));
  auto supermarket = v1::SupermarketService::NewStub(ChannelTo(target));
  for (int i = 0; i < count; ++i) {
    Community community{absl::StrCat("bd/s0/c", i), "", ""};
    v1::OpenAccountRequest open;
    open.mutable_account()->set_kind(v1::ACCOUNT_KIND_ISSUING);
    open.mutable_account()->set_community_path(community.path);
    v1::Account account;
    grpc::ClientContext open_context;
    Prepare(open_context, token);
    if (auto s = ledger->OpenAccount(&open_context, open, &account); !s.ok()) {
      std::fprintf(stderr, "OpenAccount %s: %s\n", community.path.c_str(),
                   s.error_message().c_str());
      return false;
    }
    community.issuing_account_id = account.id();
    v1::CreateGoodRequest create;
    create.mutable_good()->set_community_path(community.path);
    create.mutable_good()->set_display_name("rice, 5 kg");
    create.mutable_good()->set_price(1);
    create.mutable_good()->set_initial_stock(1000000);
    create.set_request_id(absl::StrCat("bench-good-", i));
    v1::Good good;
    grpc::ClientContext good_context;
    Prepare(good_context, token);
    if (auto s = supermarket->CreateGood(&good_context, create, &good); !s.ok()) {
      std::fprintf(stderr, "CreateGood %s: %s\n", community.path.c_str(),
                   s.error_message().c_str());
      return false;
    }
    community.good_id = good.id();
    communities.push_back(std::move(community));
  }
  return true;
}

struct SeedState {
  v1::CreateVolunteerRequest create;
  v1::Volunteer volunteer;
  v1::CreateTransferRequest fund;
  v1::Transfer transfer;
};

int Seed(const std::string& target, int community_count, int per_community, int concurrency,
         const std::string& out_file) {
  const std::string admin = SignedPrincipal({"volunteer.admin"}, "bench-admin");
  if (admin.empty()) return 2;
  std::vector<Community> communities;
  if (!OpenCommunities(target, admin, community_count, communities)) return 1;
  const int64_t total = static_cast<int64_t>(community_count) * per_community;
  std::vector<Seeded> seeded(total);
  auto volunteers = v1::VolunteerService::NewStub(ChannelTo(target));
  auto ledger = v1::LedgerService::NewStub(ChannelTo(target));
  using Loop = UnitLoop<SeedState>;
  Loop loop({
      {"CreateVolunteer", admin,
       [&](int64_t n, SeedState& s, grpc::ClientContext* context, Loop::Done done) {
         s.create.mutable_volunteer()->set_community_path(communities[n % community_count].path);
         s.create.mutable_volunteer()->set_name("志愿者");
         s.create.set_request_id(absl::StrCat("bench-volunteer-", n));
         volunteers->async()->CreateVolunteer(context, &s.create, &s.volunteer, std::move(done));
       }},
      {"CreateTransfer", admin,
       [&](int64_t n, SeedState& s, grpc::ClientContext* context, Loop::Done done) {
         const Community& community = communities[n % community_count];
         v1::Transfer* t = s.fund.mutable_transfer();
         t->set_id(absl::StrCat("bench-fund-", n));
         t->set_debit_account_id(community.issuing_account_id);
         t->set_credit_account_id(s.volunteer.account_id());
         t->set_amount(kStartingPoints);
         t->set_memo("bench: starting points");
         seeded[n] = {s.volunteer.id(), s.volunteer.account_id(), community.good_id,
                      community.issuing_account_id};
         ledger->async()->CreateTransfer(context, &s.fund, &s.transfer, std::move(done));
       }},
  });
  auto summary = loop.Run(concurrency, /*seconds=*/3600, total);
  if (!summary) return 1;
  std::ofstream out(out_file);
  for (const Seeded& s : seeded) {
    out << s.volunteer_id << ' ' << s.account_id << ' ' << s.good_id << ' ' << s.issuing_account_id
        << '\n';
  }
  std::printf("%.0f %lld\n", summary->units_per_second, static_cast<long long>(summary->errors));
  return summary->units == total && summary->errors == 0 ? 0 : 1;
}

template <typename Request, typename Response>
struct Exchange {
  Request request;
  Response response;
};

template <typename State>
int Report(UnitLoop<State>& loop, int concurrency, int seconds) {
  auto summary = loop.Run(concurrency, seconds);
  if (!summary) return 1;
  std::printf("%.1f %.2f %.2f %lld %lld\n", summary->units_per_second, summary->p50_ms,
              summary->p99_ms, static_cast<long long>(summary->errors),
              static_cast<long long>(summary->units));
  return 0;
}

int Transfers(const std::string& target, const std::vector<Seeded>& seeded, bool hot,
              int concurrency, int seconds) {
  const std::string admin = SignedPrincipal({"volunteer.admin"}, "bench-admin");
  if (admin.empty()) return 2;
  auto ledger = v1::LedgerService::NewStub(ChannelTo(target));
  const std::string run = grassroots::bench::RunTag();
  const size_t n_volunteers = seeded.size();
  using State = Exchange<v1::CreateTransferRequest, v1::Transfer>;
  using Loop = UnitLoop<State>;
  Loop loop({{"CreateTransfer", admin,
              [&](int64_t n, State& s, grpc::ClientContext* context, Loop::Done done) {
                v1::Transfer* t = s.request.mutable_transfer();
                t->set_id(absl::StrCat("bench-", run, hot ? "-h-" : "-d-", n));
                if (hot) {
                  t->set_debit_account_id(seeded[0].issuing_account_id);
                  t->set_credit_account_id(seeded[n % n_volunteers].account_id);
                } else {
                  t->set_debit_account_id(seeded[(2 * n) % n_volunteers].account_id);
                  t->set_credit_account_id(seeded[(2 * n + 1) % n_volunteers].account_id);
                }
                t->set_amount(1);
                t->set_memo("bench: thank you");
                ledger->async()->CreateTransfer(context, &s.request, &s.response, std::move(done));
              }}});
  return Report(loop, concurrency, seconds);
}

int Redeem(const std::string& target, const std::vector<Seeded>& all, bool hot, int concurrency,
           int seconds) {
  const std::string organiser = SignedPrincipal({"volunteer.organiser"}, "bench-organiser");
  if (organiser.empty()) return 2;
  std::vector<Seeded> redeeming;
  for (const Seeded& s : all) {
    if (!hot || s.good_id == all[0].good_id) redeeming.push_back(s);
  }
  auto supermarket = v1::SupermarketService::NewStub(ChannelTo(target));
  const std::string run = grassroots::bench::RunTag();
  using State = Exchange<v1::RedeemRequest, v1::Redemption>;
  using Loop = UnitLoop<State>;
  Loop loop({{"Redeem", organiser,
              [&](int64_t n, State& s, grpc::ClientContext* context, Loop::Done done) {
                const Seeded& who = redeeming[n % redeeming.size()];
                v1::Redemption* r = s.request.mutable_redemption();
                r->set_id(absl::StrCat("bench-", run, hot ? "-h-" : "-d-", n));
                r->set_volunteer_id(who.volunteer_id);
                r->set_good_id(who.good_id);
                r->set_quantity(1);
                supermarket->async()->Redeem(context, &s.request, &s.response, std::move(done));
              }}});
  return Report(loop, concurrency, seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  int communities = 0, per_community = 0, concurrency = 0, seconds = 0;
  if (mode == "seed" && argc == 7 && absl::SimpleAtoi(argv[3], &communities) &&
      absl::SimpleAtoi(argv[4], &per_community) && absl::SimpleAtoi(argv[5], &concurrency) &&
      communities > 0 && per_community > 0 && concurrency > 0) {
    return Seed(argv[2], communities, per_community, concurrency, argv[6]);
  }
  const std::string shape = argc > 4 ? argv[4] : "";
  if ((mode == "transfers" || mode == "redeem") && argc == 7 &&
      (shape == "distinct" || shape == "hot") && absl::SimpleAtoi(argv[5], &concurrency) &&
      absl::SimpleAtoi(argv[6], &seconds) && concurrency > 0 && seconds > 0) {
    const auto seeded = ReadSeeded(argv[3]);
    if (seeded.size() < 2) return 2;
    return mode == "transfers" ? Transfers(argv[2], seeded, shape == "hot", concurrency, seconds)
                               : Redeem(argv[2], seeded, shape == "hot", concurrency, seconds);
  }
  std::fprintf(stderr,
               "usage: %s seed VOLUNTEER COMMUNITIES PER_COMMUNITY CONCURRENCY OUT_FILE\n"
               "       %s transfers|redeem VOLUNTEER FILE distinct|hot CONCURRENCY SECONDS\n",
               argv[0], argv[0]);
  return 2;
}
