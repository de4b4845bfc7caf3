// The synthetic city of issue 10: what it holds, deterministic from a seed,
// a scale and a day. Pure: no I/O. grassroots-evidence-writer's city mode
// loads it through the gateway (evidence_city.cc); the unit tests check
// that every record it makes passes the services' own rules.
//
// At scale 1: 10 districts of 15 streets of 20 communities (3,000), ten
// grids a community (30,000), 500,000 party members (in the community
// committees, but for the dual registrations), 5,000,000 cases over the
// year before the day, 60,000 volunteers, 24,000 community workers and
// 15,000 dual registrations (a party member working for an employer of the
// street, living in a community of the same street). Smaller scales keep
// the shape of a street and take fewer of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "grassroots/careers/v1/worker.pb.h"
#include "grassroots/dualreg/v1/registration.pb.h"
#include "grassroots/grid/v1/case.pb.h"
#include "grassroots/grid/v1/grid.pb.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "grassroots/volunteer/v1/volunteer.pb.h"

namespace grassroots::evidence {

struct CityOptions {
  // Names the city's records (its districts' codes, departments,
  // categories and request ids): 1-8 of a-z and 0-9.
  std::string tag = "city";
  uint64_t seed = 1;
  // 1 is the city of issue 10; 0.01 is 30 communities and 50,000 cases.
  double scale = 1;
  // The cases are reported over the 365 days before this day.
  absl::CivilDay as_of;
  // Cases a case file holds (one ImportCases call each).
  int cases_per_file = 20000;
};

// Refuses options the city cannot be made from, naming the option.
absl::Status ValidateCityOptions(const CityOptions& options);

// The department kinds each district has, and the case categories
// (each handled by one of them).
struct CityCategory {
  std::string code;  // without the tag: "SANITATION"
  std::string name;
  std::string department;  // a department kind: "URBAN", ...
  int handle_minutes = 0;
  bool continuous_clock = false;
  // Out of 100 reports.
  int share = 0;
};
const std::vector<std::string>& CityDepartmentKinds();
const std::vector<CityCategory>& CityCategories();

class CityPlan {
 public:
  static constexpr int kStreetsPerDistrict = 15;
  static constexpr int kCommunitiesPerStreet = 20;
  static constexpr int kGridsPerCommunity = 10;
  static constexpr int kVolunteersPerCommunity = 20;
  static constexpr int kWorkersPerCommunity = 8;
  static constexpr int kRegistrationsPerCommunity = 5;

  // The options must be valid (ValidateCityOptions).
  explicit CityPlan(CityOptions options);

  const CityOptions& options() const { return options_; }
  int districts() const { return districts_; }
  int streets() const { return streets_; }
  int communities() const { return communities_; }
  int grids() const { return communities_ * kGridsPerCommunity; }
  // Every member, those imported and those added to be registered.
  int64_t members() const { return members_; }
  int64_t imported_members() const { return members_ - registrations(); }
  int64_t cases() const { return cases_; }
  int volunteers() const { return communities_ * kVolunteersPerCommunity; }
  int workers() const { return communities_ * kWorkersPerCommunity; }
  int registrations() const { return communities_ * kRegistrationsPerCommunity; }

  // Paths, each index counted from 0 across the whole city.
  std::string DistrictPath(int district) const;
  std::string StreetPath(int street) const;
  std::string CommunityPath(int community) const;
  std::string GridPath(int grid) const;
  int StreetOf(int community) const { return community / kCommunitiesPerStreet; }
  int DistrictOf(int street) const { return street / kStreetsPerDistrict; }
  // Each street's employer (a two-new organisation), in its first community.
  std::string EmployerPath(int street) const;
  // The city's records' request ids: "<tag>-<seed>-<what>-<index>".
  std::string RequestId(const std::string& what, int64_t index) const;

  // ImportAreas as JSON lines: districts, streets, communities.
  std::string AreasFile() const;
  // ImportOrganisations as JSON lines: a district committee, a street
  // working committee and a community committee at each area, and each
  // street's employer under its first community's committee.
  std::string OrganisationsFile() const;
  // ImportMembers as JSON lines, one file a street: its communities'
  // imported members.
  std::string MembersFile(int street) const;
  int case_files() const;
  // ImportCases as JSON lines: cases [file * cases_per_file, ...) of the
  // city, each in a grid drawn from the seed, with a state mix of four in
  // five closed or evaluated (a tenth of those reworked once), the rest in
  // the open states, reported over the year before as_of.
  std::string CasesFile(int file) const;

  std::vector<grid::v1::CreateDepartmentRequest> Departments() const;
  // Each category handled by district 0's department of its kind.
  grid::v1::CreateCategoryRequest Category(const CityCategory& category,
                                           const std::string& department_id) const;
  grid::v1::CreateGridRequest Grid(int grid, const std::string& community_id) const;
  volunteer::v1::CreateVolunteerRequest Volunteer(int volunteer) const;
  careers::v1::CreateWorkerRequest Worker(int worker) const;

  // Registration r: the member added to the street's employer, their
  // volunteer record, and the registration with their home community.
  int RegistrationHome(int registration) const;
  orgs::v1::AddMemberRequest RegisteredMember(int registration,
                                              const std::string& employer_id) const;
  volunteer::v1::CreateVolunteerRequest RegisteredVolunteer(int registration,
                                                            const std::string& member_id) const;
  dualreg::v1::RegisterMemberRequest Registration(int registration, const std::string& member_id,
                                                  const std::string& employer_id,
                                                  const std::string& home_id,
                                                  const std::string& volunteer_id) const;
  dualreg::v1::RegisterUnitRequest Unit(int street, const std::string& employer_id,
                                        const std::string& community_id) const;

 private:
  const CityOptions options_;
  int communities_ = 0;
  int streets_ = 0;
  int districts_ = 0;
  int64_t members_ = 0;
  int64_t cases_ = 0;
};

}  // namespace grassroots::evidence
