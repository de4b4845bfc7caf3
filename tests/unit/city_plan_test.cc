// The synthetic city of issue 10: its size at each scale, the same city
// from the same seed, and every record it makes passing the services' own
// rules, so that loading it fails only for reasons worth knowing.
#include "tests/evidence/city_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "absl/strings/str_split.h"
#include "common/import/record_parser.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "services/careers/worker_rules.h"
#include "services/grid/case_import_rules.h"
#include "services/orgs/area_import_parser.h"
#include "services/orgs/member_rules.h"
#include "services/orgs/organisation_rules.h"

namespace grassroots::evidence {
namespace {

const absl::CivilDay kAsOf(2026, 12, 1);

CityOptions Options(double scale, uint64_t seed = 7) {
  CityOptions options;
  options.tag = "t1";
  options.seed = seed;
  options.scale = scale;
  options.as_of = kAsOf;
  options.cases_per_file = 5000;
  return options;
}

template <typename Record>
std::vector<ImportLine<Record>> Lines(const std::string& file) {
  auto lines = ParseImport<Record>(common::v1::JSON_LINES, file,
                                   [](const Record&) { return absl::OkStatus(); });
  EXPECT_TRUE(lines.ok()) << lines.status();
  return lines.ok() ? *lines : std::vector<ImportLine<Record>>{};
}

TEST(CityPlanTest, TheWholeCityIsTheIssuesCity) {
  CityPlan city(Options(1));
  EXPECT_EQ(city.districts(), 10);
  EXPECT_EQ(city.streets(), 150);
  EXPECT_EQ(city.communities(), 3000);
  EXPECT_EQ(city.grids(), 30000);
  EXPECT_EQ(city.members(), 500000);
  EXPECT_EQ(city.cases(), 5000000);
  EXPECT_EQ(city.case_files(), 1000);
  EXPECT_EQ(city.volunteers(), 60000);
  EXPECT_EQ(city.workers(), 24000);
  EXPECT_EQ(city.registrations(), 15000);
  EXPECT_EQ(city.imported_members() + city.registrations(), city.members());
}

TEST(CityPlanTest, AHundredthOfTheCityKeepsItsShape) {
  CityPlan city(Options(0.01));
  EXPECT_EQ(city.districts(), 1);
  EXPECT_EQ(city.streets(), 2);
  EXPECT_EQ(city.communities(), 30);
  EXPECT_EQ(city.grids(), 300);
  EXPECT_EQ(city.members(), 5000);
  EXPECT_EQ(city.cases(), 50000);
  EXPECT_EQ(city.case_files(), 10);
  EXPECT_EQ(city.CommunityPath(29), "t1-d01/s02/c10");
  EXPECT_EQ(city.GridPath(299), "t1-d01/s02/c10/g10");
  EXPECT_EQ(city.EmployerPath(1), "t1-d01/s02/c01/employer");
}

TEST(CityPlanTest, BadOptionsNameTheOption) {
  CityOptions options = Options(0.01);
  options.tag = "Has-Caps";
  EXPECT_NE(ValidateCityOptions(options).message().find("tag"), std::string::npos);
  options = Options(2);
  EXPECT_NE(ValidateCityOptions(options).message().find("scale"), std::string::npos);
  options = Options(0.01);
  options.cases_per_file = 0;
  EXPECT_NE(ValidateCityOptions(options).message().find("cases per file"), std::string::npos);
  EXPECT_TRUE(ValidateCityOptions(Options(0.0001)).ok());
}

TEST(CityPlanTest, TheSameSeedMakesTheSameCityAndAnotherSeedAnother) {
  CityPlan a(Options(0.002, 7)), b(Options(0.002, 7)), c(Options(0.002, 8));
  EXPECT_EQ(a.CasesFile(0), b.CasesFile(0));
  EXPECT_EQ(a.MembersFile(0), b.MembersFile(0));
  EXPECT_EQ(a.Worker(3).SerializeAsString(), b.Worker(3).SerializeAsString());
  EXPECT_NE(a.CasesFile(0), c.CasesFile(0));
  EXPECT_NE(a.MembersFile(0), c.MembersFile(0));
}

TEST(CityPlanTest, TheTreeImportsAsTheOrgsServiceReadsIt) {
  CityPlan city(Options(0.01));
  auto areas = orgs::ParseAreaImport(common::v1::JSON_LINES, city.AreasFile());
  ASSERT_TRUE(areas.ok()) << areas.status();
  EXPECT_EQ(areas->size(), 1u + 2u + 30u);
  // Every parent comes before its children, as an import needs.
  std::set<std::string> seen;
  for (const auto& line : *areas) {
    const auto& r = line.record;
    if (!r.parent_path().empty()) {
      EXPECT_TRUE(seen.count(r.parent_path())) << r.parent_path();
    }
    seen.insert(r.parent_path().empty() ? r.code() : r.parent_path() + "/" + r.code());
  }
  auto organisations = Lines<orgs::v1::OrganisationImportRecord>(city.OrganisationsFile());
  EXPECT_EQ(organisations.size(), 1u + 2u + 30u + 2u);
  std::set<std::string> organisation_paths;
  for (const auto& line : organisations) {
    const auto& r = line.record;
    EXPECT_TRUE(seen.count(r.area_path())) << r.area_path();
    if (!r.parent_path().empty()) {
      EXPECT_TRUE(organisation_paths.count(r.parent_path())) << r.parent_path();
    }
    organisation_paths.insert(r.parent_path().empty() ? r.code()
                                                      : r.parent_path() + "/" + r.code());
    EXPECT_TRUE(orgs::ValidateUnitName("unit_name", r.kind(), r.unit_name()).ok()) << r.code();
  }
  EXPECT_TRUE(organisation_paths.count(city.EmployerPath(0)));
}

TEST(CityPlanTest, MembersPassTheMemberRulesAndNoTwoShareAnIdNumber) {
  CityPlan city(Options(0.01));
  std::set<std::string> id_numbers;
  int64_t probationary = 0, total = 0;
  for (int street = 0; street < city.streets(); ++street) {
    for (const auto& line : Lines<orgs::v1::MemberImportRecord>(city.MembersFile(street))) {
      const auto& r = line.record;
      ++total;
      auto id = orgs::NormaliseIdNumber("id_number", r.id_number());
      ASSERT_TRUE(id.ok()) << r.id_number();
      EXPECT_TRUE(id_numbers.insert(*id).second) << *id;
      EXPECT_TRUE(orgs::NormalisePhone("phone", r.phone()).ok()) << r.phone();
      auto joined = orgs::ParseDate("join_date", r.join_date());
      ASSERT_TRUE(joined.ok()) << r.join_date();
      absl::CivilDay end;
      if (r.status() == orgs::v1::PROBATIONARY) {
        ++probationary;
        end = *orgs::ParseDate("probation_end_date", r.probation_end_date());
      }
      EXPECT_TRUE(orgs::ValidateMembership(r.status(), *joined,
                                           r.status() == orgs::v1::PROBATIONARY ? &end : nullptr,
                                           kAsOf)
                      .ok())
          << line.line_number;
      EXPECT_EQ(r.organisation_path().rfind("t1-d01/s0" + std::to_string(street + 1) + "/", 0), 0u)
          << r.organisation_path();
    }
  }
  EXPECT_EQ(total, city.imported_members());
  // About one in twenty is still on probation.
  EXPECT_GT(probationary, total / 40);
  EXPECT_LT(probationary, total / 10);
  // The registered members are people of their own.
  for (int g = 0; g < city.registrations(); ++g) {
    auto id =
        orgs::NormaliseIdNumber("id_number", city.RegisteredMember(g, "m").member().id_number());
    ASSERT_TRUE(id.ok());
    EXPECT_TRUE(id_numbers.insert(*id).second) << *id;
  }
}

TEST(CityPlanTest, CasesPassTheImportRulesWithTheCitysMixOfStates) {
  CityPlan city(Options(0.01));
  const absl::Time now = absl::FromCivil(kAsOf, absl::UTCTimeZone());
  std::set<std::string> categories;
  for (const auto& c : CityCategories()) categories.insert("T1_" + c.code);
  std::set<std::string> departments;
  for (const auto& d : city.Departments()) departments.insert(d.department().code());
  std::map<grid::v1::Case::State, int64_t> states;
  std::set<std::string> tickets;
  int64_t total = 0, reworked = 0;
  for (int file = 0; file < city.case_files(); ++file) {
    auto lines = ParseImport<grid::v1::CaseImportRecord>(
        common::v1::JSON_LINES, city.CasesFile(file),
        [&](const grid::v1::CaseImportRecord& r) { return grid::ValidateCaseImportLine(r, now); });
    ASSERT_TRUE(lines.ok()) << "file " << file << ": " << lines.status();
    for (const auto& line : *lines) {
      const auto& r = line.record;
      ++total;
      ++states[r.state()];
      reworked += r.rework_count();
      EXPECT_TRUE(categories.count(r.category_code())) << r.category_code();
      if (!r.department_code().empty()) {
        EXPECT_TRUE(departments.count(r.department_code())) << r.department_code();
      }
      EXPECT_TRUE(tickets.insert(r.external_ticket_id()).second) << r.external_ticket_id();
      EXPECT_EQ(r.grid_path().rfind("t1-d01/s0", 0), 0u) << r.grid_path();
    }
  }
  EXPECT_EQ(total, city.cases());
  auto share = [&](grid::v1::Case::State s) { return 100.0 * states[s] / total; };
  EXPECT_NEAR(share(grid::v1::Case::EVALUATED), 40, 1.5);
  EXPECT_NEAR(share(grid::v1::Case::CLOSED), 35, 1.5);
  EXPECT_NEAR(share(grid::v1::Case::REJECTED), 5, 0.7);
  EXPECT_NEAR(share(grid::v1::Case::HANDLING), 5, 0.7);
  EXPECT_NEAR(100.0 * reworked / total, 8.7, 1.0);
}

TEST(CityPlanTest, WorkersAndRegistrationsAreValid) {
  CityPlan city(Options(0.01));
  std::set<std::string> id_numbers;
  for (int w = 0; w < city.workers(); ++w) {
    const auto request = city.Worker(w);
    EXPECT_TRUE(careers::ValidateNewWorker(request.worker()).ok())
        << w << ": " << careers::ValidateNewWorker(request.worker());
    EXPECT_TRUE(id_numbers.insert(request.worker().id_number()).second);
  }
  for (int g = 0; g < city.registrations(); ++g) {
    const int home = city.RegistrationHome(g);
    // At home in a community of the employer's street.
    EXPECT_EQ(city.StreetOf(home), city.StreetOf(g / CityPlan::kRegistrationsPerCommunity));
    const auto registration = city.Registration(g, "m", "e", "h", "v");
    EXPECT_EQ(registration.registration().availability_size(), 4);
    EXPECT_NE(registration.request_id(), city.Registration(g + 1, "m", "e", "h", "v").request_id());
  }
}

}  // namespace
}  // namespace grassroots::evidence
