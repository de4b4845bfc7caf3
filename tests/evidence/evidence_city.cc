// grassroots-evidence-writer city: loads the synthetic city (city_plan.h)
// through the gateway, by the services' bulk import paths where they have
// one and by creates with request ids where they do not, and prints each
// phase's records, seconds and records a second.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grassroots/careers/v1/worker.grpc.pb.h"
#include "grassroots/dualreg/v1/registration.grpc.pb.h"
#include "grassroots/grid/v1/case.grpc.pb.h"
#include "grassroots/grid/v1/grid.grpc.pb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "grassroots/orgs/v1/member.grpc.pb.h"
#include "grassroots/orgs/v1/organisation.grpc.pb.h"
#include "grassroots/volunteer/v1/volunteer.grpc.pb.h"
#include "tests/evidence/evidence_modes.h"

namespace grassroots::evidence {
namespace {

constexpr absl::Duration kGiveUp = absl::Seconds(120);
// An import of 20,000 cases takes seconds; the deadline leaves room for a
// busy machine.
constexpr absl::Duration kImportDeadline = absl::Minutes(5);
// Import files go in pieces well under gRPC's 4 MB message limit.
constexpr size_t kPiece = 1 << 20;

// The first failure of a phase, naming the record.
class FirstError {
 public:
  void Note(const grpc::Status& status, const std::string& what) {
    if (status.ok()) return;
    absl::MutexLock lock(&mu_);
    if (message_.empty()) message_ = absl::StrCat(what, ": ", Describe(status));
  }
  bool failed() const {
    absl::MutexLock lock(&mu_);
    return !message_.empty();
  }
  std::string message() const {
    absl::MutexLock lock(&mu_);
    return message_;
  }

 private:
  mutable absl::Mutex mu_;
  std::string message_;
};

// Runs body(0 .. count-1) on `threads` threads, each taking the next index,
// until every index is done or one fails.
void ParallelFor(int64_t count, int threads, FirstError& error,
                 const std::function<void(int64_t)>& body) {
  std::atomic<int64_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int64_t i = next++; i < count && !error.failed(); i = next++) body(i);
    });
  }
  for (auto& w : workers) w.join();
}

// Sends `data` as a client stream of `first` (format and request id set)
// followed by pieces, retrying the whole file with the same request id.
template <typename Request, typename Response>
grpc::Status SendFile(const Gateway& gateway,
                      const std::function<std::unique_ptr<grpc::ClientWriter<Request>>(
                          grpc::ClientContext*, Response*)>& open,
                      const Request& first, const std::string& data, Response* response) {
  return gateway.Call(
      [&](grpc::ClientContext* context) {
        auto writer = open(context, response);
        size_t at = 0;
        do {
          Request piece = at == 0 ? first : Request();
          piece.set_data(data.substr(at, kPiece));
          if (!writer->Write(piece)) break;
          at += kPiece;
        } while (at < data.size());
        writer->WritesDone();
        return writer->Finish();
      },
      kGiveUp, nullptr, nullptr, kImportDeadline);
}

class CityLoader {
 public:
  CityLoader(const Gateway& gateway, const CityLoadOptions& options)
      : gateway_(gateway), options_(options), city_(options.city) {}

  int Run() {
    // What the services' tables hold once the city is loaded into empty
    // schemas: city.sh compares each with a count in MariaDB.
    const int64_t areas = city_.districts() + city_.streets() + city_.communities();
    std::printf(
        "city tag=%s seed=%llu scale=%g as_of=%s expect_areas=%lld expect_organisations=%lld "
        "expect_members=%lld expect_grids=%d expect_cases=%lld expect_volunteers=%d "
        "expect_workers=%d expect_unit_registrations=%d expect_member_registrations=%d\n",
        options_.city.tag.c_str(), static_cast<unsigned long long>(options_.city.seed),
        options_.city.scale, absl::FormatCivilTime(options_.city.as_of).c_str(),
        static_cast<long long>(areas), static_cast<long long>(areas + city_.streets()),
        static_cast<long long>(city_.members()), city_.grids(),
        static_cast<long long>(city_.cases()), city_.volunteers() + city_.registrations(),
        city_.workers(), city_.streets(), city_.registrations());
    const absl::Time start = absl::Now();
    const std::vector<std::pair<std::string, std::function<int64_t(FirstError&)>>> phases = {
        {"areas", [&](FirstError& e) { return ImportAreas(e); }},
        {"organisations", [&](FirstError& e) { return ImportOrganisations(e); }},
        {"case_setup", [&](FirstError& e) { return CaseSetup(e); }},
        {"grids", [&](FirstError& e) { return Grids(e); }},
        {"members", [&](FirstError& e) { return Members(e); }},
        {"cases", [&](FirstError& e) { return Cases(e); }},
        {"volunteers", [&](FirstError& e) { return Volunteers(e); }},
        {"workers", [&](FirstError& e) { return Workers(e); }},
        {"units", [&](FirstError& e) { return Units(e); }},
        {"registrations", [&](FirstError& e) { return Registrations(e); }},
    };
    for (const auto& [name, phase] : phases) {
      FirstError error;
      const absl::Time t = absl::Now();
      const int64_t records = phase(error);
      const double seconds = absl::ToDoubleSeconds(absl::Now() - t);
      if (error.failed()) {
        std::printf("city phase=%s FAILED %s\n", name.c_str(), error.message().c_str());
        std::fflush(stdout);
        return 1;
      }
      std::printf("city phase=%s records=%lld seconds=%.1f per_second=%.0f\n", name.c_str(),
                  static_cast<long long>(records), seconds,
                  seconds > 0 ? static_cast<double>(records) / seconds : 0.0);
      std::fflush(stdout);
    }
    std::printf("city loaded seconds=%.1f\n", absl::ToDoubleSeconds(absl::Now() - start));
    return 0;
  }

 private:
  int64_t ImportAreas(FirstError& error) {
    auto stub = orgs::v1::AreaService::NewStub(gateway_.channel());
    orgs::v1::ImportAreasRequest first;
    first.set_format(orgs::v1::ImportAreasRequest::JSON_LINES);
    first.set_request_id(city_.RequestId("areas", 0));
    orgs::v1::ImportAreasResponse response;
    error.Note(SendFile<orgs::v1::ImportAreasRequest, orgs::v1::ImportAreasResponse>(
                   gateway_,
                   [&](grpc::ClientContext* c, orgs::v1::ImportAreasResponse* r) {
                     return stub->ImportAreas(c, r);
                   },
                   first, city_.AreasFile(), &response),
               "orgs ImportAreas");
    if (error.failed()) return 0;
    // The tree's ids by path, district by district.
    std::vector<std::string> districts;
    ListAreas(stub.get(), "", false, error, [&](const orgs::v1::Area& a) {
      if (a.path().rfind(options_.city.tag + "-d", 0) == 0) districts.push_back(a.id());
    });
    for (const std::string& district : districts) {
      ListAreas(stub.get(), district, true, error,
                [&](const orgs::v1::Area& a) { area_ids_[a.path()] = a.id(); });
    }
    for (int c = 0; c < city_.communities() && !error.failed(); ++c) {
      if (!area_ids_.count(city_.CommunityPath(c))) {
        error.Note(grpc::Status(grpc::NOT_FOUND, "not listed after the import"),
                   city_.CommunityPath(c));
      }
    }
    return city_.districts() + city_.streets() + city_.communities();
  }

  void ListAreas(orgs::v1::AreaService::Stub* stub, const std::string& parent, bool subtree,
                 FirstError& error, const std::function<void(const orgs::v1::Area&)>& each) {
    orgs::v1::ListAreasRequest request;
    request.set_parent_id(parent);
    request.set_subtree(subtree);
    request.set_page_size(1000);
    do {
      orgs::v1::ListAreasResponse page;
      error.Note(
          gateway_.Call([&](grpc::ClientContext* c) { return stub->ListAreas(c, request, &page); },
                        kGiveUp),
          "orgs ListAreas");
      if (error.failed()) return;
      for (const auto& a : page.areas()) each(a);
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
  }

  void ListOrganisations(orgs::v1::OrganisationService::Stub* stub,
                         orgs::v1::ListOrganisationsRequest request, FirstError& error,
                         const std::function<void(const orgs::v1::Organisation&)>& each) {
    request.set_page_size(1000);
    do {
      orgs::v1::ListOrganisationsResponse page;
      error.Note(
          gateway_.Call(
              [&](grpc::ClientContext* c) { return stub->ListOrganisations(c, request, &page); },
              kGiveUp),
          "orgs ListOrganisations");
      if (error.failed()) return;
      for (const auto& o : page.organisations()) each(o);
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
  }

  grpc::Status ImportChunks(
      const std::function<std::unique_ptr<grpc::ClientWriter<common::v1::ImportChunk>>(
          grpc::ClientContext*, common::v1::ImportResult*)>& open,
      const std::string& request_id, const std::string& data, common::v1::ImportResult* result) {
    common::v1::ImportChunk first;
    first.set_format(common::v1::JSON_LINES);
    first.set_request_id(request_id);
    return SendFile<common::v1::ImportChunk, common::v1::ImportResult>(gateway_, open, first, data,
                                                                       result);
  }

  int64_t ImportOrganisations(FirstError& error) {
    auto stub = orgs::v1::OrganisationService::NewStub(gateway_.channel());
    common::v1::ImportResult result;
    error.Note(
        ImportChunks([&](grpc::ClientContext* c,
                         common::v1::ImportResult* r) { return stub->ImportOrganisations(c, r); },
                     city_.RequestId("organisations", 0), city_.OrganisationsFile(), &result),
        "orgs ImportOrganisations");
    if (error.failed()) return 0;
    // The employers' ids, below each district committee of the city.
    std::vector<std::string> committees;
    ListOrganisations(stub.get(), {}, error, [&](const orgs::v1::Organisation& o) {
      if (o.path().rfind(options_.city.tag + "-d", 0) == 0) committees.push_back(o.id());
    });
    for (const std::string& committee : committees) {
      orgs::v1::ListOrganisationsRequest request;
      request.set_parent_id(committee);
      request.set_subtree(true);
      request.set_kind(orgs::v1::TWO_NEW_ORGANISATION);
      ListOrganisations(stub.get(), request, error,
                        [&](const orgs::v1::Organisation& o) { employer_ids_[o.path()] = o.id(); });
    }
    for (int s = 0; s < city_.streets() && !error.failed(); ++s) {
      if (!employer_ids_.count(city_.EmployerPath(s))) {
        error.Note(grpc::Status(grpc::NOT_FOUND, "not listed after the import"),
                   city_.EmployerPath(s));
      }
    }
    return city_.districts() + city_.streets() + city_.communities() + city_.streets();
  }

  int64_t CaseSetup(FirstError& error) {
    auto stub = grid::v1::CaseSetupService::NewStub(gateway_.channel());
    std::map<std::string, std::string> department_ids;
    int64_t records = 0;
    for (const auto& request : city_.Departments()) {
      grid::v1::Department made;
      error.Note(
          gateway_.Call(
              [&](grpc::ClientContext* c) { return stub->CreateDepartment(c, request, &made); },
              kGiveUp),
          absl::StrCat("grid CreateDepartment ", request.department().code()));
      if (error.failed()) return records;
      department_ids[request.department().code()] = made.id();
      ++records;
    }
    for (const CityCategory& category : CityCategories()) {
      const std::string department = department_ids[absl::StrFormat(
          "%s_D01_%s", absl::AsciiStrToUpper(options_.city.tag), category.department)];
      const auto request = city_.Category(category, department);
      grid::v1::CaseCategory made;
      grpc::Status status = gateway_.Call(
          [&](grpc::ClientContext* c) { return stub->CreateCategory(c, request, &made); }, kGiveUp);
      // Categories carry no request id: one made by an earlier load of the
      // same city is already there.
      if (status.error_code() == grpc::ALREADY_EXISTS) status = grpc::Status::OK;
      error.Note(status, absl::StrCat("grid CreateCategory ", request.category().code()));
      if (error.failed()) return records;
      ++records;
    }
    return records;
  }

  // Makes records 0 .. count-1 from options_.threads threads, `call`
  // sending record i (each call retried with a fresh context).
  int64_t CreateEach(int64_t count, FirstError& error, const std::string& what,
                     const std::function<grpc::Status(int64_t, grpc::ClientContext*)>& call) {
    ParallelFor(count, options_.threads, error, [&](int64_t i) {
      error.Note(gateway_.Call([&](grpc::ClientContext* c) { return call(i, c); }, kGiveUp),
                 absl::StrCat(what, " ", i));
    });
    return count;
  }

  int64_t Grids(FirstError& error) {
    auto stub = grid::v1::GridService::NewStub(gateway_.channel());
    return CreateEach(
        city_.grids(), error, "grid CreateGrid", [&](int64_t g, grpc::ClientContext* c) {
          const int grid = static_cast<int>(g);
          const auto request = city_.Grid(
              grid, area_ids_.at(city_.CommunityPath(grid / CityPlan::kGridsPerCommunity)));
          grid::v1::Grid made;
          return stub->CreateGrid(c, request, &made);
        });
  }

  int64_t Members(FirstError& error) {
    std::atomic<int64_t> created{0};
    ParallelFor(city_.streets(), options_.import_threads, error, [&](int64_t s) {
      auto stub = orgs::v1::MemberService::NewStub(gateway_.channel());
      common::v1::ImportResult result;
      error.Note(
          ImportChunks([&](grpc::ClientContext* c,
                           common::v1::ImportResult* r) { return stub->ImportMembers(c, r); },
                       city_.RequestId("members", s), city_.MembersFile(static_cast<int>(s)),
                       &result),
          absl::StrCat("orgs ImportMembers of street ", city_.StreetPath(static_cast<int>(s))));
      created += result.created_count();
    });
    return created;
  }

  int64_t Cases(FirstError& error) {
    std::atomic<int64_t> created{0};
    ParallelFor(city_.case_files(), options_.import_threads, error, [&](int64_t f) {
      auto stub = grid::v1::CaseService::NewStub(gateway_.channel());
      common::v1::ImportResult result;
      error.Note(
          ImportChunks([&](grpc::ClientContext* c,
                           common::v1::ImportResult* r) { return stub->ImportCases(c, r); },
                       city_.RequestId("cases", f), city_.CasesFile(static_cast<int>(f)), &result),
          absl::StrCat("grid ImportCases of file ", f));
      created += result.created_count();
    });
    return created;
  }

  int64_t Volunteers(FirstError& error) {
    auto stub = volunteer::v1::VolunteerService::NewStub(gateway_.channel());
    return CreateEach(city_.volunteers(), error, "volunteer CreateVolunteer",
                      [&](int64_t v, grpc::ClientContext* c) {
                        volunteer::v1::Volunteer made;
                        return stub->CreateVolunteer(c, city_.Volunteer(static_cast<int>(v)),
                                                     &made);
                      });
  }

  int64_t Workers(FirstError& error) {
    auto stub = careers::v1::WorkerService::NewStub(gateway_.channel());
    return CreateEach(city_.workers(), error, "careers CreateWorker",
                      [&](int64_t w, grpc::ClientContext* c) {
                        careers::v1::Worker made;
                        return stub->CreateWorker(c, city_.Worker(static_cast<int>(w)), &made);
                      });
  }

  // Each street's employer registered with the street's first community.
  int64_t Units(FirstError& error) {
    auto stub = dualreg::v1::RegistrationService::NewStub(gateway_.channel());
    return CreateEach(
        city_.streets(), error, "dualreg RegisterUnit of street",
        [&](int64_t s, grpc::ClientContext* c) {
          const int street = static_cast<int>(s);
          const auto request = city_.Unit(
              street, employer_ids_.at(city_.EmployerPath(street)),
              area_ids_.at(city_.CommunityPath(street * CityPlan::kCommunitiesPerStreet)));
          dualreg::v1::UnitRegistration made;
          return stub->RegisterUnit(c, request, &made);
        });
  }

  // Each: the member added to the employer, their volunteer record, the
  // registration with their home community.
  int64_t Registrations(FirstError& error) {
    auto members = orgs::v1::MemberService::NewStub(gateway_.channel());
    auto volunteers = volunteer::v1::VolunteerService::NewStub(gateway_.channel());
    auto registrations = dualreg::v1::RegistrationService::NewStub(gateway_.channel());
    ParallelFor(city_.registrations(), options_.threads, error, [&](int64_t g) {
      const int r = static_cast<int>(g);
      const int street = city_.StreetOf(r / CityPlan::kRegistrationsPerCommunity);
      const std::string& employer = employer_ids_.at(city_.EmployerPath(street));
      const auto add = city_.RegisteredMember(r, employer);
      orgs::v1::Member member;
      error.Note(
          gateway_.Call([&](grpc::ClientContext* c) { return members->AddMember(c, add, &member); },
                        kGiveUp),
          absl::StrCat("orgs AddMember of registration ", r));
      if (error.failed()) return;
      const auto create = city_.RegisteredVolunteer(r, member.id());
      volunteer::v1::Volunteer volunteer;
      error.Note(gateway_.Call(
                     [&](grpc::ClientContext* c) {
                       return volunteers->CreateVolunteer(c, create, &volunteer);
                     },
                     kGiveUp),
                 absl::StrCat("volunteer CreateVolunteer of registration ", r));
      if (error.failed()) return;
      const auto request = city_.Registration(
          r, member.id(), employer, area_ids_.at(city_.CommunityPath(city_.RegistrationHome(r))),
          volunteer.id());
      dualreg::v1::MemberRegistration made;
      error.Note(gateway_.Call(
                     [&](grpc::ClientContext* c) {
                       return registrations->RegisterMember(c, request, &made);
                     },
                     kGiveUp),
                 absl::StrCat("dualreg RegisterMember ", r));
    });
    return city_.registrations();
  }

  const Gateway& gateway_;
  const CityLoadOptions options_;
  const CityPlan city_;
  // Written before the parallel phases, only read in them.
  std::map<std::string, std::string> area_ids_;
  std::map<std::string, std::string> employer_ids_;
};

}  // namespace

int RunCity(const Gateway& gateway, const CityLoadOptions& options) {
  return CityLoader(gateway, options).Run();
}

}  // namespace grassroots::evidence
