// A city's working day through the gateway at a constant offered rate
// (open loop): grid workers report cases, supervisors register them,
// dispatchers dispatch them, and apps and dashboards read cases, grids'
// case lists, a street's figures and places. Writes and reads are offered at
// WRITES_PER_S and READS_PER_S, split by the mix below.
//
// usage: city_day_load GATEWAY SEED_FILE WRITES_PER_S READS_PER_S SECONDS [BLOCK]
//   BLOCK (0-9): which tenth of the map this run reports on, so that runs
//   one after another never report where an earlier run's open case is (a
//   report there would be linked to it as a duplicate, not a new case)
//   GRASSROOTS_BENCH_API_KEY: an API key with grid.admin and orgs.viewer
//   SEED_FILE: lines "grid ID", "area ID", "street PATH", "category CODE"
// Prints a line a kind: "kind write|read offered/s ok/s p50_ms p99_ms errors
// shed idle",
// then each error code seen with its count.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/case_figures.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "tests/bench/closed_loop.h"
#include "tests/bench/open_loop.h"

namespace grassroots::bench {
namespace {

using grid::v1::CaseFiguresService;
using grid::v1::CaseService;
using orgs::v1::AreaService;

struct Seed {
  std::vector<std::string> grids, areas, streets;
  std::string category;
};

bool ReadSeed(const char* path, Seed& seed) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> parts = absl::StrSplit(line, ' ');
    if (parts.size() != 2) continue;
    if (parts[0] == "grid") seed.grids.push_back(parts[1]);
    if (parts[0] == "area") seed.areas.push_back(parts[1]);
    if (parts[0] == "street") seed.streets.push_back(parts[1]);
    if (parts[0] == "category") seed.category = parts[1];
  }
  return !seed.grids.empty() && !seed.areas.empty() && !seed.streets.empty() &&
         !seed.category.empty();
}

// Case ids waiting for their next step, filled as the day goes on: a case
// reported now is registered later, and dispatched after that.
class Queue {
 public:
  void Push(std::string id) {
    absl::MutexLock lock(&mu_);
    ids_.push_back(std::move(id));
  }
  bool Pop(std::string& id) {
    absl::MutexLock lock(&mu_);
    if (ids_.empty()) return false;
    id = std::move(ids_.front());
    ids_.pop_front();
    return true;
  }

 private:
  absl::Mutex mu_;
  std::deque<std::string> ids_;
};

// Every case reported so far, for reads of a random one.
class Known {
 public:
  void Add(std::string id) {
    absl::MutexLock lock(&mu_);
    ids_.push_back(std::move(id));
  }
  std::string Any(int64_t n) {
    absl::MutexLock lock(&mu_);
    if (ids_.empty()) return "";
    return ids_[static_cast<size_t>(n * 2654435761u % ids_.size())];
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> ids_;
};

// A unary callback call whose request and response live until it completes.
template <typename Request, typename Response, typename Starter, typename After>
void Unary(Request request, grpc::ClientContext* context, Starter start, After after,
           std::function<void(grpc::Status)> done) {
  auto call = std::make_shared<std::pair<Request, Response>>(std::move(request), Response());
  start(context, &call->first, &call->second,
        [call, after, done = std::move(done)](grpc::Status status) {
          if (status.ok()) after(call->second);
          done(std::move(status));
        });
}

int Main(int argc, char** argv) {
  double write_rate = 0, read_rate = 0;
  int seconds = 0;
  Seed seed;
  const char* key = std::getenv("GRASSROOTS_BENCH_API_KEY");
  int block = 0;
  if ((argc != 6 && (argc != 7 || !absl::SimpleAtoi(argv[6], &block))) ||
      !absl::SimpleAtod(argv[3], &write_rate) || !absl::SimpleAtod(argv[4], &read_rate) ||
      !absl::SimpleAtoi(argv[5], &seconds) || key == nullptr || !ReadSeed(argv[2], seed)) {
    std::fprintf(stderr,
                 "usage: %s GATEWAY SEED_FILE WRITES_PER_S READS_PER_S SECONDS "
                 "(GRASSROOTS_BENCH_API_KEY set; seed lines grid/area/street/category)\n",
                 argv[0]);
    return 2;
  }
  // Several channels, so the load is spread over more than one HTTP/2
  // connection as many app back ends would spread it.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grassroots.bench.channel", i);  // distinct channels, not one shared
    channels.push_back(
        grpc::CreateCustomChannel(argv[1], grpc::InsecureChannelCredentials(), args));
  }
  std::vector<std::unique_ptr<CaseService::Stub>> cases;
  std::vector<std::unique_ptr<CaseFiguresService::Stub>> figures;
  std::vector<std::unique_ptr<AreaService::Stub>> areas;
  for (auto& c : channels) {
    cases.push_back(CaseService::NewStub(c));
    figures.push_back(CaseFiguresService::NewStub(c));
    areas.push_back(AreaService::NewStub(c));
  }
  auto stub = [](auto& stubs, int64_t n) {
    return stubs[static_cast<size_t>(n) % stubs.size()].get();
  };
  const std::string run = RunTag();
  Queue to_register, to_dispatch;
  Known known;
  const std::string today = absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone());
  const std::string month_ago =
      absl::FormatTime("%Y-%m-%d", absl::Now() - absl::Hours(24 * 29), absl::UTCTimeZone());

  auto make_kinds = [&](double writes, double reads) {
    std::vector<CallKind> kinds;
    kinds.push_back(
        {"ReportCase", writes * 0.6, true, [&](int64_t n, grpc::ClientContext* context, auto done) {
           grid::v1::ReportCaseRequest request;
           auto* c = request.mutable_case_();
           c->set_kind(grid::v1::Case::INCIDENT);
           c->set_source(grid::v1::Case::GRID_WORKER);
           c->set_category_code(seed.category);
           c->set_grid_id(seed.grids[static_cast<size_t>(n) % seed.grids.size()]);
           // 110 m apart: beyond the duplicate radius, each a new case.
           c->set_latitude(30.2 + 0.001 * static_cast<double>(n % 1000));
           c->set_longitude(120.1 + 0.001 * static_cast<double>((block * 100 + n / 1000) % 1000));
           c->set_description("city day: rubbish by the bus stop");
           c->set_reporter_ref("city-day-worker");
           request.set_request_id(absl::StrCat("day-", run, "-", n));
           Unary<grid::v1::ReportCaseRequest, grid::v1::ReportCaseResponse>(
               std::move(request), context,
               [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                 stub(cases, n)->async()->ReportCase(ctx, req, resp, std::move(cb));
               },
               [&](const grid::v1::ReportCaseResponse& r) {
                 known.Add(r.case_().id());
                 to_register.Push(r.case_().id());
               },
               std::move(done));
           return true;
         }});
    // A step with no case waiting for it is counted as idle, not sent; the
    // warm-up fills the queues first.
    auto step = [&](const char* name, double rate, Queue& from, Queue* to, bool dispatch) {
      kinds.push_back(
          {name, rate, true,
           [&, name, &from = from, to, dispatch](int64_t n, grpc::ClientContext* context,
                                                 auto done) {
             std::string id;
             if (!from.Pop(id)) return false;
             auto after = [to, id](const grid::v1::Case&) {
               if (to != nullptr) to->Push(id);
             };
             if (dispatch) {
               grid::v1::DispatchCaseRequest request;
               request.mutable_step()->set_case_id(id);
               request.mutable_step()->set_request_id(absl::StrCat(name, "-", id));
               Unary<grid::v1::DispatchCaseRequest, grid::v1::Case>(
                   std::move(request), context,
                   [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                     stub(cases, n)->async()->DispatchCase(ctx, req, resp, std::move(cb));
                   },
                   after, std::move(done));
             } else {
               grid::v1::CaseStepRequest request;
               request.set_case_id(id);
               request.set_request_id(absl::StrCat(name, "-", id));
               Unary<grid::v1::CaseStepRequest, grid::v1::Case>(
                   std::move(request), context,
                   [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                     stub(cases, n)->async()->RegisterCase(ctx, req, resp, std::move(cb));
                   },
                   after, std::move(done));
             }
             return true;
           }});
    };
    step("RegisterCase", writes * 0.2, to_register, &to_dispatch, false);
    step("DispatchCase", writes * 0.2, to_dispatch, nullptr, true);
    kinds.push_back(
        {"GetCase", reads * 0.6, false, [&](int64_t n, grpc::ClientContext* context, auto done) {
           grid::v1::GetCaseRequest request;
           request.set_id(known.Any(n));
           if (request.id().empty()) return false;
           Unary<grid::v1::GetCaseRequest, grid::v1::Case>(
               std::move(request), context,
               [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                 stub(cases, n)->async()->GetCase(ctx, req, resp, std::move(cb));
               },
               [](const grid::v1::Case&) {}, std::move(done));
           return true;
         }});
    kinds.push_back(
        {"ListCases", reads * 0.15, false, [&](int64_t n, grpc::ClientContext* context, auto done) {
           grid::v1::ListCasesRequest request;
           request.set_grid_id(seed.grids[static_cast<size_t>(n) % seed.grids.size()]);
           request.set_page_size(20);
           Unary<grid::v1::ListCasesRequest, grid::v1::ListCasesResponse>(
               std::move(request), context,
               [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                 stub(cases, n)->async()->ListCases(ctx, req, resp, std::move(cb));
               },
               [](const grid::v1::ListCasesResponse&) {}, std::move(done));
           return true;
         }});
    kinds.push_back(
        {"GetCaseFigures", reads * 0.05, false,
         [&](int64_t n, grpc::ClientContext* context, auto done) {
           grid::v1::GetCaseFiguresRequest request;
           request.set_area_path(seed.streets[static_cast<size_t>(n) % seed.streets.size()]);
           request.set_group_by(grid::v1::GetCaseFiguresRequest::CHILD_AREA);
           request.mutable_period()->set_start_date(month_ago);
           request.mutable_period()->set_end_date(today);
           Unary<grid::v1::GetCaseFiguresRequest, grid::v1::GetCaseFiguresResponse>(
               std::move(request), context,
               [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                 stub(figures, n)->async()->GetCaseFigures(ctx, req, resp, std::move(cb));
               },
               [](const grid::v1::GetCaseFiguresResponse&) {}, std::move(done));
           return true;
         }});
    kinds.push_back(
        {"GetArea", reads * 0.2, false, [&](int64_t n, grpc::ClientContext* context, auto done) {
           orgs::v1::GetAreaRequest request;
           request.set_id(seed.areas[static_cast<size_t>(n) % seed.areas.size()]);
           Unary<orgs::v1::GetAreaRequest, orgs::v1::Area>(
               std::move(request), context,
               [&, n](auto* ctx, auto* req, auto* resp, auto cb) {
                 stub(areas, n)->async()->GetArea(ctx, req, resp, std::move(cb));
               },
               [](const orgs::v1::Area&) {}, std::move(done));
           return true;
         }});

    return kinds;
  };

  const std::string api_key = key;
  auto decorate = [&](grpc::ClientContext& c) { c.AddMetadata("x-api-key", api_key); };
  // Warm-up, not reported: a fifth of the write rate for 3 s fills the
  // queues of cases waiting to be registered and dispatched, and the
  // connections are up before the clock starts.
  OpenLoop(make_kinds(write_rate / 5, 0), decorate, 4000).Run(3);
  OpenLoop loop(make_kinds(write_rate, read_rate), decorate, 4000);
  for (const auto& f : loop.Run(seconds)) {
    std::printf("%s %s %.0f %.0f %.2f %.2f %lld %lld %lld\n", f.name.c_str(),
                f.write ? "write" : "read", f.offered_per_second, f.ok_per_second, f.p50_ms,
                f.p99_ms, static_cast<long long>(f.errors), static_cast<long long>(f.shed),
                static_cast<long long>(f.idle));
    for (const auto& [code, count] : f.error_codes) {
      std::printf("# %s %s x%lld\n", f.name.c_str(), code.c_str(), static_cast<long long>(count));
    }
  }
  // The client shares the cores with the servers: what it used (warm-up
  // included) is part of where the machine's time went.
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("#cpu %.2f\n", static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                                 (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
  return 0;
}

}  // namespace
}  // namespace grassroots::bench

int main(int argc, char** argv) { return grassroots::bench::Main(argc, argv); }
