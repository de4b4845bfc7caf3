#include "tests/evidence/city_plan.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "grassroots/orgs/v1/area.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "tests/evidence/id_numbers.h"

namespace grassroots::evidence {
namespace {

// The city's draws: each record has a stream of its own (SplitMix64 over
// the seed, the kind of record and its index), so a record is the same
// whatever file or order it is made in, on any machine.
class Draw {
 public:
  Draw(uint64_t seed, uint64_t kind, uint64_t index)
      : state_(seed * 0x9E3779B97F4A7C15ULL ^ (kind << 56) ^ index) {
    Next();
  }
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0 to n - 1.
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  // True `percent` times in 100.
  bool Percent(int percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

enum DrawKind : uint64_t {
  kCaseDraw = 1,
  kMemberDraw,
  kVolunteerDraw,
  kWorkerDraw,
  kRegistrationDraw
};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                     "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
constexpr const char* kGivenNames[] = {"伟", "芳", "娜", "敏",   "静", "丽",  "强",
                                       "磊", "军", "洋", "勇",   "艳", "杰",  "娟",
                                       "涛", "明", "超", "秀英", "华", "建国"};

std::string PersonName(Draw& draw) {
  return absl::StrCat(kSurnames[draw.Below(std::size(kSurnames))],
                      kGivenNames[draw.Below(std::size(kGivenNames))]);
}

// A birthday from 1950 to 1999, the same for a thousand people in a row and
// different between thousands (7919 is prime to 18250), so that with the
// serial (the index's last three digits) every index has its own number.
int BirthDayOf(int64_t index) { return static_cast<int>((index / 1000 * 7919) % 18250); }
absl::CivilDay Birthday(int64_t index) { return absl::CivilDay(1950, 1, 1) + BirthDayOf(index); }
std::string IdNumberOf(const char* region, int64_t index) {
  return IdNumber(region, BirthDayOf(index), static_cast<int>(index % 1000));
}

std::string DayString(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string JsonLine(const google::protobuf::Message& message) {
  std::string line;
  // Only the generator's own messages are written, so this cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &line);
  line.push_back('\n');
  return line;
}

// Open states take the rest of the mix, one in five of all cases.
struct StateShare {
  grid::v1::Case::State state;
  int share;  // out of 100
};
constexpr StateShare kStateMix[] = {
    {grid::v1::Case::EVALUATED, 40}, {grid::v1::Case::CLOSED, 35},
    {grid::v1::Case::REJECTED, 5},   {grid::v1::Case::REPORTED, 4},
    {grid::v1::Case::REGISTERED, 4}, {grid::v1::Case::DISPATCHED, 4},
    {grid::v1::Case::HANDLING, 5},   {grid::v1::Case::HANDLED, 2},
    {grid::v1::Case::VERIFIED, 1},
};

grid::v1::Case::State DrawState(Draw& draw) {
  int at = static_cast<int>(draw.Below(100));
  for (const StateShare& s : kStateMix) {
    if (at < s.share) return s.state;
    at -= s.share;
  }
  return grid::v1::Case::CLOSED;
}

bool Dispatched(grid::v1::Case::State state) {
  return state != grid::v1::Case::REPORTED && state != grid::v1::Case::REGISTERED &&
         state != grid::v1::Case::REJECTED;
}

bool Finished(grid::v1::Case::State state) {
  return state == grid::v1::Case::CLOSED || state == grid::v1::Case::EVALUATED ||
         state == grid::v1::Case::REJECTED;
}

const CityCategory& DrawCategory(Draw& draw) {
  int at = static_cast<int>(draw.Below(100));
  for (const CityCategory& c : CityCategories()) {
    if (at < c.share) return c;
    at -= c.share;
  }
  return CityCategories().front();
}

google::protobuf::Timestamp TimestampOf(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

std::string Upper(const std::string& text) { return absl::AsciiStrToUpper(text); }

}  // namespace

absl::Status ValidateCityOptions(const CityOptions& options) {
  if (options.tag.empty() || options.tag.size() > 8 ||
      !std::all_of(options.tag.begin(), options.tag.end(), [](char c) {
        return absl::ascii_islower(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError("tag: 1-8 of a-z and 0-9");
  }
  if (!(options.scale >= 0.0001 && options.scale <= 1)) {
    return absl::InvalidArgumentError("scale: from 0.0001 (a street) to 1 (the whole city)");
  }
  if (options.cases_per_file < 1 || options.cases_per_file > 100000) {
    return absl::InvalidArgumentError("cases per file: 1 to 100,000");
  }
  return absl::OkStatus();
}

const std::vector<std::string>& CityDepartmentKinds() {
  static const auto* kinds =
      new std::vector<std::string>{"URBAN", "SANITATION", "JUSTICE", "SAFETY"};
  return *kinds;
}

const std::vector<CityCategory>& CityCategories() {
  static const auto* categories = new std::vector<CityCategory>{
      {"APPEARANCE", "市容环境", "URBAN", 480, false, 25},
      {"STREET_ORDER", "街面秩序", "URBAN", 240, false, 20},
      {"SANITATION", "环境卫生", "SANITATION", 240, false, 25},
      {"FACILITIES", "公共设施", "URBAN", 960, false, 15},
      {"DISPUTES", "矛盾纠纷", "JUSTICE", 1440, false, 10},
      {"SAFETY", "安全隐患", "SAFETY", 120, true, 5},
  };
  return *categories;
}

CityPlan::CityPlan(CityOptions options) : options_(std::move(options)) {
  communities_ = std::max(1, static_cast<int>(std::lround(3000 * options_.scale)));
  streets_ = (communities_ + kCommunitiesPerStreet - 1) / kCommunitiesPerStreet;
  districts_ = (streets_ + kStreetsPerDistrict - 1) / kStreetsPerDistrict;
  members_ = std::max<int64_t>(static_cast<int64_t>(communities_) * 2 * kRegistrationsPerCommunity,
                               std::llround(500000 * options_.scale));
  cases_ = std::max<int64_t>(1, std::llround(5000000 * options_.scale));
}

std::string CityPlan::DistrictPath(int district) const {
  return absl::StrFormat("%s-d%02d", options_.tag, district + 1);
}
std::string CityPlan::StreetPath(int street) const {
  return absl::StrFormat("%s/s%02d", DistrictPath(DistrictOf(street)),
                         street % kStreetsPerDistrict + 1);
}
std::string CityPlan::CommunityPath(int community) const {
  return absl::StrFormat("%s/c%02d", StreetPath(StreetOf(community)),
                         community % kCommunitiesPerStreet + 1);
}
std::string CityPlan::GridPath(int grid) const {
  return absl::StrFormat("%s/g%02d", CommunityPath(grid / kGridsPerCommunity),
                         grid % kGridsPerCommunity + 1);
}
std::string CityPlan::EmployerPath(int street) const {
  return CommunityPath(street * kCommunitiesPerStreet) + "/employer";
}
std::string CityPlan::RequestId(const std::string& what, int64_t index) const {
  return absl::StrCat(options_.tag, "-", options_.seed, "-", what, "-", index);
}

std::string CityPlan::AreasFile() const {
  std::string out;
  auto add = [&](orgs::v1::AreaKind kind, const std::string& path, const std::string& name) {
    orgs::v1::AreaImportRecord r;
    r.set_kind(kind);
    const size_t slash = path.rfind('/');
    r.set_code(slash == std::string::npos ? path : path.substr(slash + 1));
    r.set_parent_path(slash == std::string::npos ? "" : path.substr(0, slash));
    r.set_display_name(name);
    out += JsonLine(r);
  };
  for (int d = 0; d < districts_; ++d)
    add(orgs::v1::DISTRICT, DistrictPath(d), absl::StrCat("第", d + 1, "区"));
  for (int s = 0; s < streets_; ++s)
    add(orgs::v1::STREET, StreetPath(s), absl::StrCat("第", s + 1, "街道"));
  for (int c = 0; c < communities_; ++c) {
    add(orgs::v1::COMMUNITY, CommunityPath(c), absl::StrCat("第", c + 1, "社区"));
  }
  return out;
}

std::string CityPlan::OrganisationsFile() const {
  std::string out;
  auto add = [&](orgs::v1::OrganisationKind kind, const std::string& path,
                 const std::string& area_path, const std::string& name,
                 const std::string& unit = "") {
    orgs::v1::OrganisationImportRecord r;
    r.set_kind(kind);
    const size_t slash = path.rfind('/');
    r.set_code(slash == std::string::npos ? path : path.substr(slash + 1));
    r.set_parent_path(slash == std::string::npos ? "" : path.substr(0, slash));
    r.set_area_path(area_path);
    r.set_display_name(name);
    r.set_unit_name(unit);
    out += JsonLine(r);
  };
  for (int d = 0; d < districts_; ++d) {
    add(orgs::v1::DISTRICT_COMMITTEE, DistrictPath(d), DistrictPath(d), "区委");
  }
  for (int s = 0; s < streets_; ++s) {
    add(orgs::v1::STREET_WORKING_COMMITTEE, StreetPath(s), StreetPath(s), "街道党工委");
  }
  for (int c = 0; c < communities_; ++c) {
    add(orgs::v1::COMMUNITY_COMMITTEE, CommunityPath(c), CommunityPath(c), "社区党委");
  }
  for (int s = 0; s < streets_; ++s) {
    add(orgs::v1::TWO_NEW_ORGANISATION, EmployerPath(s), CommunityPath(s * kCommunitiesPerStreet),
        "企业党支部", absl::StrCat("第", s + 1, "街道科技有限公司"));
  }
  return out;
}

std::string CityPlan::MembersFile(int street) const {
  const int64_t imported = imported_members();
  const absl::CivilDay year_before = options_.as_of - 365;
  std::string out;
  const int first = street * kCommunitiesPerStreet;
  const int last = std::min(communities_, first + kCommunitiesPerStreet);
  for (int c = first; c < last; ++c) {
    // Member m lives in community m % communities.
    for (int64_t m = c; m < imported; m += communities_) {
      Draw draw(options_.seed, kMemberDraw, static_cast<uint64_t>(m));
      orgs::v1::MemberImportRecord r;
      r.set_organisation_path(CommunityPath(c));
      const absl::CivilDay adult = absl::CivilDay(Birthday(m).year() + 18, 7, 1);
      if (draw.Percent(5)) {
        const absl::CivilDay joined = year_before + draw.Below(365);
        r.set_status(orgs::v1::PROBATIONARY);
        r.set_join_date(DayString(joined));
        r.set_probation_end_date(DayString(joined + 365));
      } else {
        r.set_status(orgs::v1::FULL);
        r.set_join_date(DayString(adult + draw.Below(std::max<int64_t>(1, year_before - adult))));
      }
      r.set_name(PersonName(draw));
      r.set_phone(absl::StrFormat("139%08d", m % 100000000));
      r.set_id_number(IdNumberOf("110107", m));
      out += JsonLine(r);
    }
  }
  return out;
}

int CityPlan::case_files() const {
  return static_cast<int>((cases_ + options_.cases_per_file - 1) / options_.cases_per_file);
}

std::string CityPlan::CasesFile(int file) const {
  const absl::Time day = absl::FromCivil(options_.as_of, absl::UTCTimeZone());
  const int64_t first = static_cast<int64_t>(file) * options_.cases_per_file;
  const int64_t last = std::min(cases_, first + options_.cases_per_file);
  std::string out;
  for (int64_t i = first; i < last; ++i) {
    Draw draw(options_.seed, kCaseDraw, static_cast<uint64_t>(i));
    const int grid = static_cast<int>(draw.Below(grids()));
    const int district = DistrictOf(StreetOf(grid / kGridsPerCommunity));
    const CityCategory& category = DrawCategory(draw);
    const grid::v1::Case::State state = DrawState(draw);
    grid::v1::CaseImportRecord r;
    r.set_external_system(absl::StrCat(options_.tag, "-legacy"));
    r.set_external_ticket_id(absl::StrCat(options_.seed, "-", i));
    r.set_grid_path(GridPath(grid));
    r.set_kind(grid::v1::Case::INCIDENT);
    const int source = static_cast<int>(draw.Below(100));
    if (category.code == "SAFETY" && source < 30) {
      r.set_source(grid::v1::Case::DEVICE);
    } else {
      r.set_source(source < 45   ? grid::v1::Case::GRID_WORKER
                   : source < 75 ? grid::v1::Case::RESIDENT
                   : source < 92 ? grid::v1::Case::OTHER_SYSTEM
                                 : grid::v1::Case::BUILDING_WORKING_DAY);
    }
    r.set_category_code(absl::StrCat(Upper(options_.tag), "_", category.code));
    // Grids lie on a 0.005-degree lattice (about 500 m), cases within one.
    r.set_latitude(30.0 + (grid % 200) * 0.005 + static_cast<double>(draw.Below(5000)) * 1e-6);
    r.set_longitude(120.0 + (grid / 200) * 0.005 + static_cast<double>(draw.Below(5000)) * 1e-6);
    r.set_address(absl::StrCat(GridPath(grid), " 楼", draw.Below(30) + 1));
    r.set_description(absl::StrCat(category.name, "问题"));
    r.set_reporter_ref(absl::StrCat("resident-", draw.Below(100000)));
    r.set_state(state);
    // One in five finished cases was taken over by the street, one in
    // twenty by the district.
    const int level = static_cast<int>(draw.Below(100));
    r.set_level(level < 75   ? grid::v1::Case::COMMUNITY
                : level < 95 ? grid::v1::Case::STREET
                             : grid::v1::Case::DISTRICT);
    if (Dispatched(state)) {
      r.set_department_code(
          absl::StrFormat("%s_D%02d_%s", Upper(options_.tag), district + 1, category.department));
    }
    r.set_rework_count(Dispatched(state) && draw.Percent(10) ? 1 : 0);
    if (state == grid::v1::Case::EVALUATED) {
      const int resolution = static_cast<int>(draw.Below(100));
      r.set_resolution(resolution < 85   ? grid::v1::Case::FIXED
                       : resolution < 95 ? grid::v1::Case::PARTLY_FIXED
                                         : grid::v1::Case::NOT_FIXED);
      r.set_satisfaction(r.resolution() == grid::v1::Case::FIXED ? 4 + draw.Below(2)
                                                                 : 1 + draw.Below(3));
    }
    // Reported over the year before the day (at least an hour before it),
    // finished 30 minutes to a week later, never after the day.
    const absl::Time reported = day - absl::Minutes(60 + draw.Below(365 * 24 * 60 - 60));
    *r.mutable_create_time() = TimestampOf(reported);
    if (Finished(state)) {
      const absl::Time closed =
          std::min(day, reported + absl::Minutes(30 + draw.Below(7 * 24 * 60)));
      *r.mutable_close_time() = TimestampOf(closed);
    }
    out += JsonLine(r);
  }
  return out;
}

std::vector<grid::v1::CreateDepartmentRequest> CityPlan::Departments() const {
  std::vector<grid::v1::CreateDepartmentRequest> out;
  for (int d = 0; d < districts_; ++d) {
    for (const std::string& kind : CityDepartmentKinds()) {
      grid::v1::CreateDepartmentRequest r;
      r.mutable_department()->set_code(
          absl::StrFormat("%s_D%02d_%s", Upper(options_.tag), d + 1, kind));
      r.mutable_department()->set_name(absl::StrCat("第", d + 1, "区", kind));
      r.mutable_department()->set_area_path(DistrictPath(d));
      r.set_request_id(RequestId(absl::StrCat("department-", kind), d));
      out.push_back(std::move(r));
    }
  }
  return out;
}

grid::v1::CreateCategoryRequest CityPlan::Category(const CityCategory& category,
                                                   const std::string& department_id) const {
  grid::v1::CreateCategoryRequest r;
  auto* k = r.mutable_category();
  k->set_code(absl::StrCat(Upper(options_.tag), "_", category.code));
  k->set_name(category.name);
  k->set_kind(grid::v1::Case::INCIDENT);
  k->set_department_id(department_id);
  k->set_continuous_clock(category.continuous_clock);
  k->set_urgent(category.continuous_clock);
  k->mutable_deadlines()->set_register_minutes(60);
  k->mutable_deadlines()->set_dispatch_minutes(30);
  k->mutable_deadlines()->set_accept_minutes(60);
  k->mutable_deadlines()->set_handle_minutes(category.handle_minutes);
  k->mutable_deadlines()->set_verify_minutes(240);
  k->set_duplicate_radius_meters(50);
  k->set_duplicate_window_minutes(1440);
  return r;
}

grid::v1::CreateGridRequest CityPlan::Grid(int grid, const std::string& community_id) const {
  grid::v1::CreateGridRequest r;
  const std::string path = GridPath(grid);
  r.mutable_grid()->set_code(path.substr(path.rfind('/') + 1));
  r.mutable_grid()->set_display_name(absl::StrCat("第", grid % kGridsPerCommunity + 1, "网格"));
  r.mutable_grid()->set_community_id(community_id);
  r.set_request_id(RequestId("grid", grid));
  return r;
}

volunteer::v1::CreateVolunteerRequest CityPlan::Volunteer(int volunteer) const {
  Draw draw(options_.seed, kVolunteerDraw, static_cast<uint64_t>(volunteer));
  volunteer::v1::CreateVolunteerRequest r;
  r.mutable_volunteer()->set_community_path(CommunityPath(volunteer / kVolunteersPerCommunity));
  r.mutable_volunteer()->set_name(PersonName(draw));
  r.set_request_id(RequestId("volunteer", volunteer));
  return r;
}

careers::v1::CreateWorkerRequest CityPlan::Worker(int worker) const {
  Draw draw(options_.seed, kWorkerDraw, static_cast<uint64_t>(worker));
  careers::v1::CreateWorkerRequest r;
  auto* w = r.mutable_worker();
  w->set_community_path(CommunityPath(worker / kWorkersPerCommunity));
  w->set_name(PersonName(draw));
  w->set_id_number(IdNumberOf("110108", worker));
  // Each community: a principal, two deputies, five full-time staff, on
  // grades inside the default pay policy's ranges.
  const int seat = worker % kWorkersPerCommunity;
  if (seat == 0) {
    w->set_post(careers::v1::POST_PRINCIPAL);
    w->set_grade(7 + static_cast<int>(draw.Below(12)));
  } else if (seat < 3) {
    w->set_post(careers::v1::POST_DEPUTY);
    w->set_grade(4 + static_cast<int>(draw.Below(12)));
  } else {
    w->set_post(careers::v1::POST_FULL_TIME_STAFF);
    w->set_grade(1 + static_cast<int>(draw.Below(12)));
  }
  w->set_entry_channel(draw.Percent(70) ? careers::v1::ENTRY_EXTERNAL_RECRUITMENT
                                        : careers::v1::ENTRY_INTERNAL_SELECTION);
  w->set_degree(draw.Percent(60) ? careers::v1::DEGREE_BACHELOR : careers::v1::DEGREE_ASSOCIATE);
  w->set_hire_date(DayString(options_.as_of - 30 - draw.Below(15 * 365)));
  r.set_request_id(RequestId("worker", worker));
  return r;
}

int CityPlan::RegistrationHome(int registration) const {
  // A community of the street whose employer the member works for.
  const int street = StreetOf(registration / kRegistrationsPerCommunity);
  const int first = street * kCommunitiesPerStreet;
  const int count = std::min(communities_, first + kCommunitiesPerStreet) - first;
  Draw draw(options_.seed, kRegistrationDraw, static_cast<uint64_t>(registration));
  return first + static_cast<int>(draw.Below(count));
}

orgs::v1::AddMemberRequest CityPlan::RegisteredMember(int registration,
                                                      const std::string& employer_id) const {
  Draw draw(options_.seed, kRegistrationDraw, static_cast<uint64_t>(registration));
  draw.Next();  // the home community's draw
  orgs::v1::AddMemberRequest r;
  auto* m = r.mutable_member();
  m->set_organisation_id(employer_id);
  m->set_status(orgs::v1::FULL);
  const absl::CivilDay adult = absl::CivilDay(Birthday(registration).year() + 18, 7, 1);
  m->set_join_date(
      DayString(adult + draw.Below(std::max<int64_t>(1, options_.as_of - 365 - adult))));
  m->set_name(PersonName(draw));
  m->set_phone(absl::StrFormat("137%08d", registration % 100000000));
  m->set_id_number(IdNumberOf("110109", registration));
  r.set_request_id(RequestId("registered-member", registration));
  return r;
}

volunteer::v1::CreateVolunteerRequest CityPlan::RegisteredVolunteer(
    int registration, const std::string& member_id) const {
  volunteer::v1::CreateVolunteerRequest r;
  r.mutable_volunteer()->set_community_path(CommunityPath(RegistrationHome(registration)));
  r.mutable_volunteer()->set_name("在职党员");
  r.mutable_volunteer()->set_member_id(member_id);
  r.set_request_id(RequestId("registered-volunteer", registration));
  return r;
}

dualreg::v1::RegisterMemberRequest CityPlan::Registration(int registration,
                                                          const std::string& member_id,
                                                          const std::string& employer_id,
                                                          const std::string& home_id,
                                                          const std::string& volunteer_id) const {
  static constexpr const char* kSkills[] = {"repair",  "tutoring",   "legal-aid",
                                            "medical", "elder-care", "it-help"};
  Draw draw(options_.seed, kRegistrationDraw, static_cast<uint64_t>(registration) + (1ULL << 40));
  dualreg::v1::RegisterMemberRequest r;
  auto* g = r.mutable_registration();
  g->set_member_id(member_id);
  g->set_employer_organisation_id(employer_id);
  g->set_community_id(home_id);
  g->add_skills(kSkills[draw.Below(std::size(kSkills))]);
  // Weekends and two evenings, as members who work in the week give.
  for (int day : {6, 7}) {
    auto* slot = g->add_availability();
    slot->set_weekday(day);
    slot->set_start_minute(9 * 60);
    slot->set_end_minute(17 * 60);
  }
  for (int k = 0; k < 2; ++k) {
    auto* slot = g->add_availability();
    slot->set_weekday(1 + static_cast<int>(draw.Below(5)));
    slot->set_start_minute(19 * 60);
    slot->set_end_minute(21 * 60);
  }
  g->set_volunteer_id(volunteer_id);
  r.set_request_id(RequestId("registration", registration));
  return r;
}

dualreg::v1::RegisterUnitRequest CityPlan::Unit(int street, const std::string& employer_id,
                                                const std::string& community_id) const {
  dualreg::v1::RegisterUnitRequest r;
  r.mutable_unit()->set_organisation_id(employer_id);
  r.mutable_unit()->set_community_id(community_id);
  r.mutable_unit()->set_resources("会议室, 志愿服务队");
  r.mutable_unit()->set_agreement("共驻共建协议");
  r.mutable_unit()->set_valid_until(DayString(options_.as_of + 3 * 365));
  r.set_request_id(RequestId("unit", street));
  return r;
}

}  // namespace grassroots::evidence
