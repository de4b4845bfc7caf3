#include "services/orgs/admission_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {
namespace {

constexpr int kMaxCategories = 50;
constexpr int kMaxItems = 500;

std::string Day(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// The path itself, then each ancestor up to the root.
std::vector<absl::string_view> SelfAndAncestors(absl::string_view path) {
  std::vector<absl::string_view> out;
  while (!path.empty()) {
    out.push_back(path);
    const size_t slash = path.rfind('/');
    if (slash == absl::string_view::npos) break;
    path = path.substr(0, slash);
  }
  return out;
}

v1::AdmissionListRef RefOf(const v1::AdmissionList& list) {
  v1::AdmissionListRef ref;
  ref.set_list_id(list.id());
  ref.set_region_area_id(list.region_area_id());
  ref.set_region_path(list.region_path());
  ref.set_version(list.version());
  ref.set_effective_date(list.effective_date());
  return ref;
}

}  // namespace

absl::Status ValidateAdmissionCode(absl::string_view field, absl::string_view code) {
  auto bad = [&] {
    return InvalidField(field, "ADMISSION_CODE_INVALID",
                        "must be 1 to 32 characters of a-z, 0-9, '-', '_' and '.'");
  };
  if (code.empty() || code.size() > 32) return bad();
  for (const char c : code) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return bad();
  }
  return absl::OkStatus();
}

absl::Status ValidateRegionKind(v1::AreaKind kind) {
  if (kind == v1::DISTRICT || kind == v1::STREET || kind == v1::TOWN) return absl::OkStatus();
  return InvalidField("region_area_id", "REGION_KIND_INVALID",
                      absl::StrCat("admission lists belong to a district, street or town, not a ",
                                   v1::AreaKind_Name(kind)));
}

absl::Status ValidateAdmissionCategories(
    const google::protobuf::RepeatedPtrField<v1::AdmissionCategory>& categories) {
  if (categories.empty()) {
    return InvalidField("categories", "ADMISSION_LIST_EMPTY",
                        "a list has at least one category with one item");
  }
  if (categories.size() > kMaxCategories) {
    return InvalidField("categories", "ADMISSION_LIST_TOO_LONG",
                        absl::StrCat("at most ", kMaxCategories, " categories"));
  }
  absl::flat_hash_set<std::string> category_codes, item_codes;
  int items = 0;
  for (int c = 0; c < categories.size(); ++c) {
    const v1::AdmissionCategory& category = categories[c];
    const std::string at = absl::StrCat("categories[", c, "]");
    if (auto s = ValidateAdmissionCode(at + ".code", category.code()); !s.ok()) return s;
    if (auto s = ValidateDisplayName(at + ".name", category.name()); !s.ok()) return s;
    if (!category_codes.insert(category.code()).second) {
      return InvalidField(at + ".code", "ADMISSION_CODE_REPEATED",
                          absl::StrCat("category ", category.code(), " appears twice"));
    }
    if (category.items().empty()) {
      return InvalidField(at + ".items", "ADMISSION_CATEGORY_EMPTY",
                          absl::StrCat("category ", category.code(), " has no items"));
    }
    for (int i = 0; i < category.items_size(); ++i) {
      const v1::AdmissionItem& item = category.items(i);
      const std::string item_at = absl::StrCat(at, ".items[", i, "]");
      if (auto s = ValidateAdmissionCode(item_at + ".code", item.code()); !s.ok()) return s;
      if (auto s = ValidateDisplayName(item_at + ".name", item.name()); !s.ok()) return s;
      if (!item_codes.insert(item.code()).second) {
        return InvalidField(item_at + ".code", "ADMISSION_CODE_REPEATED",
                            absl::StrCat("item ", item.code(), " appears twice in the list"));
      }
      if (item.departments().empty()) {
        return InvalidField(
            item_at + ".departments", "ADMISSION_ITEM_WITHOUT_DEPARTMENT",
            absl::StrCat("item ", item.code(), " names no department that may hand it down"));
      }
      absl::flat_hash_set<std::string> departments;
      for (int d = 0; d < item.departments_size(); ++d) {
        const std::string department_at = absl::StrCat(item_at, ".departments[", d, "]");
        if (auto s = ValidateAdmissionCode(department_at, item.departments(d)); !s.ok()) return s;
        if (!departments.insert(item.departments(d)).second) {
          return InvalidField(department_at, "ADMISSION_CODE_REPEATED",
                              absl::StrCat("department ", item.departments(d),
                                           " appears twice for item ", item.code()));
        }
      }
      if (++items > kMaxItems) {
        return InvalidField("categories", "ADMISSION_LIST_TOO_LONG",
                            absl::StrCat("at most ", kMaxItems, " items"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateEffectiveDate(absl::CivilDay effective, absl::CivilDay today,
                                   const std::optional<absl::CivilDay>& latest_effective) {
  if (effective < today) {
    return InvalidField("effective_date", "EFFECTIVE_DATE_PASSED",
                        absl::StrCat("a list takes effect from the day it is published or later; ",
                                     Day(effective), " is before today, ", Day(today)));
  }
  if (latest_effective && effective < *latest_effective) {
    return FailedPrecondition(
        "EFFECTIVE_DATE_BEFORE_LATEST",
        absl::StrCat("the region's latest list takes effect on ", Day(*latest_effective),
                     "; a new version cannot take effect before it (", Day(effective), ")"));
  }
  return absl::OkStatus();
}

const AdmissionVersion* VersionInForce(const std::vector<AdmissionVersion>& versions,
                                       absl::CivilDay day) {
  const AdmissionVersion* best = nullptr;
  for (const auto& v : versions) {
    if (v.effective > day) continue;
    if (best == nullptr || v.effective > best->effective ||
        (v.effective == best->effective && v.version > best->version)) {
      best = &v;
    }
  }
  return best;
}

const AdmissionVersion* ListInForce(absl::string_view place_path, absl::CivilDay day,
                                    const VersionsAt& versions_at) {
  for (absl::string_view path : SelfAndAncestors(place_path)) {
    const std::vector<AdmissionVersion>* versions = versions_at(path);
    if (versions == nullptr) continue;
    if (const AdmissionVersion* in_force = VersionInForce(*versions, day)) return in_force;
  }
  return nullptr;
}

std::string DescribeList(const v1::AdmissionList& list) {
  return absl::StrCat("the admission list of ", list.region_path(), " version ", list.version(),
                      " (in force from ", list.effective_date(), ")");
}

v1::CheckAdmissionResponse DecideAdmission(const v1::AdmissionList* list,
                                           absl::string_view place_path,
                                           absl::string_view item_code,
                                           absl::string_view department, absl::CivilDay day) {
  v1::CheckAdmissionResponse answer;
  answer.set_area_path(std::string(place_path));
  if (list == nullptr) {
    answer.set_decision(v1::CheckAdmissionResponse::REFUSED);
    answer.set_reason("NO_ADMISSION_LIST");
    answer.set_message(absl::StrCat("no admission list is in force at ", place_path, " on ",
                                    Day(day), ": no matter may be handed to the community"));
    return answer;
  }
  *answer.mutable_list() = RefOf(*list);
  for (const auto& category : list->categories()) {
    for (const auto& item : category.items()) {
      if (item.code() != item_code) continue;
      answer.set_category_code(category.code());
      *answer.mutable_item() = item;
      for (const auto& allowed : item.departments()) {
        if (allowed == department) {
          answer.set_decision(v1::CheckAdmissionResponse::ALLOWED);
          answer.set_message(absl::StrCat(item.code(), " (", item.name(), ") is on ",
                                          DescribeList(*list), ", category ", category.code(),
                                          ", for ", department));
          return answer;
        }
      }
      answer.set_decision(v1::CheckAdmissionResponse::REFUSED);
      answer.set_reason("DEPARTMENT_NOT_ADMITTED");
      answer.set_message(
          absl::StrCat(item.code(), " (", item.name(), ") is on ", DescribeList(*list), " for ",
                       absl::StrJoin(item.departments(), ", "), " only, not for ", department));
      return answer;
    }
  }
  answer.set_decision(v1::CheckAdmissionResponse::REFUSED);
  answer.set_reason("NOT_ON_ADMISSION_LIST");
  answer.set_message(absl::StrCat(item_code, " is not on ", DescribeList(*list),
                                  ": the community may not be given this matter"));
  return answer;
}

}  // namespace grassroots::orgs
