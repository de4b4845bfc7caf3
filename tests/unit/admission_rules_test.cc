// The community work admission list: validation, the version in force on a
// day, the nearest list up the tree, and the decision.
#include "services/orgs/admission_rules.h"

#include <gtest/gtest.h>

#include <map>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

using absl::CivilDay;
using Response = v1::CheckAdmissionResponse;

std::string Reason(const absl::Status& s) { return ErrorReason(s).value_or(""); }
std::string Field(const absl::Status& s) { return ErrorField(s).value_or(""); }

v1::AdmissionCategory Category(
    const std::string& code, std::vector<std::pair<std::string, std::vector<std::string>>> items) {
  v1::AdmissionCategory category;
  category.set_code(code);
  category.set_name("Category " + code);
  for (auto& [item_code, departments] : items) {
    auto* item = category.add_items();
    item->set_code(item_code);
    item->set_name("Item " + item_code);
    for (auto& d : departments) item->add_departments(d);
  }
  return category;
}

AdmissionVersion Version(const std::string& region, int version, CivilDay effective,
                         std::vector<v1::AdmissionCategory> categories) {
  auto list = std::make_shared<v1::AdmissionList>();
  list->set_id(region + "-v" + std::to_string(version));
  list->set_region_path(region);
  list->set_version(version);
  list->set_effective_date(absl::FormatCivilTime(effective));
  for (auto& c : categories) *list->add_categories() = std::move(c);
  return AdmissionVersion{effective, version, std::move(list)};
}

google::protobuf::RepeatedPtrField<v1::AdmissionCategory> Categories(
    std::vector<v1::AdmissionCategory> in) {
  google::protobuf::RepeatedPtrField<v1::AdmissionCategory> out;
  for (auto& c : in) *out.Add() = std::move(c);
  return out;
}

TEST(AdmissionRulesTest, RegionsAreDistrictsStreetsAndTowns) {
  EXPECT_TRUE(ValidateRegionKind(v1::DISTRICT).ok());
  EXPECT_TRUE(ValidateRegionKind(v1::STREET).ok());
  EXPECT_TRUE(ValidateRegionKind(v1::TOWN).ok());
  EXPECT_EQ(Reason(ValidateRegionKind(v1::COMMUNITY)), "REGION_KIND_INVALID");
}

TEST(AdmissionRulesTest, ListsAreWellFormed) {
  auto good = Categories({Category("1", {{"1.1", {"civil-affairs"}}, {"1.2", {"health", "hr"}}}),
                          Category("2", {{"2.1", {"police"}}})});
  EXPECT_TRUE(ValidateAdmissionCategories(good).ok());
  EXPECT_EQ(Reason(ValidateAdmissionCategories(Categories({}))), "ADMISSION_LIST_EMPTY");
  auto empty_category = Categories({Category("1", {})});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(empty_category)), "ADMISSION_CATEGORY_EMPTY");
  auto repeated_category =
      Categories({Category("1", {{"1.1", {"a"}}}), Category("1", {{"1.2", {"a"}}})});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(repeated_category)), "ADMISSION_CODE_REPEATED");
  EXPECT_EQ(Field(ValidateAdmissionCategories(repeated_category)), "categories[1].code");
  // An item code is unique across the whole list, not just its category.
  auto repeated_item = Categories({Category("1", {{"x", {"a"}}}), Category("2", {{"x", {"b"}}})});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(repeated_item)), "ADMISSION_CODE_REPEATED");
  EXPECT_EQ(Field(ValidateAdmissionCategories(repeated_item)), "categories[1].items[0].code");
  auto no_department = Categories({Category("1", {{"1.1", {}}})});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(no_department)),
            "ADMISSION_ITEM_WITHOUT_DEPARTMENT");
  auto twice = Categories({Category("1", {{"1.1", {"a", "a"}}})});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(twice)), "ADMISSION_CODE_REPEATED");
  auto bad_code = Categories({Category("1", {{"1 1", {"a"}}})});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(bad_code)), "ADMISSION_CODE_INVALID");
  auto bad_department = Categories({Category("1", {{"1.1", {"Civil Affairs"}}})});
  EXPECT_EQ(Field(ValidateAdmissionCategories(bad_department)),
            "categories[0].items[0].departments[0]");
  auto unnamed = Categories({Category("1", {{"1.1", {"a"}}})});
  unnamed[0].set_name("");
  EXPECT_EQ(Field(ValidateAdmissionCategories(unnamed)), "categories[0].name");
  // At most 500 items.
  std::vector<std::pair<std::string, std::vector<std::string>>> many;
  for (int i = 0; i < 501; ++i) many.push_back({"i" + std::to_string(i), {"a"}});
  EXPECT_EQ(Reason(ValidateAdmissionCategories(Categories({Category("1", many)}))),
            "ADMISSION_LIST_TOO_LONG");
  many.pop_back();
  EXPECT_TRUE(ValidateAdmissionCategories(Categories({Category("1", many)})).ok());
}

TEST(AdmissionRulesTest, EffectiveDatesNeverReachBack) {
  const CivilDay today(2026, 3, 1);
  EXPECT_TRUE(ValidateEffectiveDate(today, today, std::nullopt).ok());
  EXPECT_TRUE(ValidateEffectiveDate(today + 30, today, std::nullopt).ok());
  EXPECT_EQ(Reason(ValidateEffectiveDate(today - 1, today, std::nullopt)), "EFFECTIVE_DATE_PASSED");
  // Not before the latest version's date (equal replaces it on that day).
  const CivilDay latest(2026, 4, 1);
  EXPECT_TRUE(ValidateEffectiveDate(latest, today, latest).ok());
  auto before = ValidateEffectiveDate(latest - 1, today, latest);
  EXPECT_EQ(before.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(before), "EFFECTIVE_DATE_BEFORE_LATEST");
}

TEST(AdmissionRulesTest, TheVersionInForceOnADay) {
  const CivilDay jan(2026, 1, 1), jul(2026, 7, 1);
  std::vector<AdmissionVersion> versions = {Version("d", 2, jul, {}), Version("d", 1, jan, {})};
  EXPECT_EQ(VersionInForce(versions, jan - 1), nullptr);
  EXPECT_EQ(VersionInForce(versions, jan)->version, 1);
  EXPECT_EQ(VersionInForce(versions, jul - 1)->version, 1);
  EXPECT_EQ(VersionInForce(versions, jul)->version, 2);  // takes effect on its date
  EXPECT_EQ(VersionInForce(versions, jul + 400)->version, 2);
  // Two versions on one date: the later publication wins.
  versions.push_back(Version("d", 3, jul, {}));
  EXPECT_EQ(VersionInForce(versions, jul)->version, 3);
  EXPECT_EQ(VersionInForce({}, jul), nullptr);
}

TEST(AdmissionRulesTest, TheNearestRegionUpTheTreeWithAListInForceApplies) {
  const CivilDay jan(2026, 1, 1), jun(2026, 6, 1);
  std::map<std::string, std::vector<AdmissionVersion>> regions;
  regions["d01"] = {Version("d01", 1, jan, {})};
  regions["d01/s02"] = {Version("d01/s02", 1, jun, {})};
  VersionsAt at = [&](absl::string_view path) -> const std::vector<AdmissionVersion>* {
    auto it = regions.find(std::string(path));
    return it == regions.end() ? nullptr : &it->second;
  };
  // A community of s01 (no street list): the district's.
  EXPECT_EQ(ListInForce("d01/s01/c01", jan, at)->list->region_path(), "d01");
  // A grid below a community: still walks up.
  EXPECT_EQ(ListInForce("d01/s01/c01/g04", jan, at)->list->region_path(), "d01");
  // s02's list replaces the district's from its date; before it, the district's.
  EXPECT_EQ(ListInForce("d01/s02/c07", jun - 1, at)->list->region_path(), "d01");
  EXPECT_EQ(ListInForce("d01/s02/c07", jun, at)->list->region_path(), "d01/s02");
  EXPECT_EQ(ListInForce("d01/s02", jun, at)->list->region_path(), "d01/s02");
  // A path that only shares a prefix of characters is not below s02.
  EXPECT_EQ(ListInForce("d01/s020/c01", jun, at)->list->region_path(), "d01");
  // Nothing before any list, nothing in another district.
  EXPECT_EQ(ListInForce("d01/s01/c01", jan - 1, at), nullptr);
  EXPECT_EQ(ListInForce("d02/s01/c01", jun, at), nullptr);
  EXPECT_EQ(ListInForce("", jun, at), nullptr);
}

TEST(AdmissionRulesTest, TheDecisionNamesTheList) {
  const CivilDay jan(2026, 1, 1);
  auto version = Version(
      "d01", 3, jan,
      {Category("1", {{"1.1", {"civil-affairs"}}}), Category("2", {{"2.4", {"health", "hr"}}})});
  const v1::AdmissionList& list = *version.list;

  auto allowed = DecideAdmission(&list, "d01/s01/c01", "2.4", "hr", jan);
  EXPECT_EQ(allowed.decision(), Response::ALLOWED);
  EXPECT_EQ(allowed.reason(), "");
  EXPECT_EQ(allowed.category_code(), "2");
  EXPECT_EQ(allowed.item().code(), "2.4");
  EXPECT_EQ(allowed.list().version(), 3);
  EXPECT_EQ(allowed.list().region_path(), "d01");
  EXPECT_EQ(allowed.area_path(), "d01/s01/c01");
  EXPECT_NE(allowed.message().find("is on the admission list of d01 version 3 (in force from "
                                   "2026-01-01), category 2, for hr"),
            std::string::npos)
      << allowed.message();

  auto not_listed = DecideAdmission(&list, "d01/s01/c01", "9.9", "hr", jan);
  EXPECT_EQ(not_listed.decision(), Response::REFUSED);
  EXPECT_EQ(not_listed.reason(), "NOT_ON_ADMISSION_LIST");
  EXPECT_EQ(not_listed.list().version(), 3);
  EXPECT_FALSE(not_listed.has_item());
  EXPECT_NE(not_listed.message().find("the admission list of d01 version 3"), std::string::npos)
      << not_listed.message();

  auto other_department = DecideAdmission(&list, "d01/s01/c01", "1.1", "hr", jan);
  EXPECT_EQ(other_department.decision(), Response::REFUSED);
  EXPECT_EQ(other_department.reason(), "DEPARTMENT_NOT_ADMITTED");
  EXPECT_EQ(other_department.item().code(), "1.1");
  EXPECT_NE(other_department.message().find("civil-affairs only"), std::string::npos);

  auto no_list = DecideAdmission(nullptr, "d02/s01", "1.1", "hr", jan);
  EXPECT_EQ(no_list.decision(), Response::REFUSED);
  EXPECT_EQ(no_list.reason(), "NO_ADMISSION_LIST");
  EXPECT_FALSE(no_list.has_list());
}

}  // namespace
}  // namespace grassroots::orgs
