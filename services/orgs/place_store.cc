#include "services/orgs/place_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/import/import_result.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "grassroots/orgs/v1/member.pb.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/area_store.h"
#include "services/orgs/coverage_rules.h"
#include "services/orgs/organisation_store.h"

namespace grassroots::orgs {
namespace {

// A place with the figures the coverage rule needs, read in one statement:
// its full members (through place_members) and the active organisations
// covering it, joint branches counted apart.
const std::string& SelectPlaces() {
  static const std::string& sql = *new std::string(absl::StrCat(
      "SELECT p.id, p.kind, p.display_name, p.area_id, p.area_path, p.resident_count,"
      " p.employee_count, p.version, p.create_time, p.update_time,"
      " (SELECT COUNT(*) FROM place_members pm JOIN members m ON m.id = pm.member_id"
      "  WHERE pm.place_id = p.id AND m.status = ",
      static_cast<int>(v1::FULL),
      "),"
      " (SELECT GROUP_CONCAT(o.id ORDER BY o.id SEPARATOR ',') FROM organisation_places op"
      "  JOIN organisations o ON o.id = op.organisation_id"
      "  WHERE op.place_id = p.id AND o.state = ",
      static_cast<int>(v1::ACTIVE),
      "),"
      " (SELECT COUNT(*) FROM organisation_places op JOIN organisations o"
      "  ON o.id = op.organisation_id WHERE op.place_id = p.id AND o.state = ",
      static_cast<int>(v1::ACTIVE), " AND o.kind = ", static_cast<int>(v1::JOINT_BRANCH),
      ")"
      " FROM places p"));
  return sql;
}

struct Row {
  v1::Place place;
  int joint_branches = 0;
};

Row ReadRow(sql::ResultSet& r) {
  Row row;
  v1::Place& p = row.place;
  p.set_id(r.getString(1));
  p.set_kind(static_cast<v1::PlaceKind>(r.getInt(2)));
  p.set_display_name(r.getString(3));
  p.set_area_id(r.getString(4));
  p.set_area_path(r.getString(5));
  p.set_resident_count(r.getInt(6));
  p.set_employee_count(r.getInt(7));
  p.set_etag(EtagOf(r.getInt64(8)));
  ToProtoTime(db::FromDbTime(r.getString(9)), p.mutable_create_time());
  ToProtoTime(db::FromDbTime(r.getString(10)), p.mutable_update_time());
  p.set_full_members(r.getInt(11));
  if (!r.isNull(12)) {
    for (absl::string_view id : absl::StrSplit(std::string(r.getString(12)), ',')) {
      p.add_organisation_ids(std::string(id));
    }
  }
  row.joint_branches = r.getInt(13);
  return row;
}

PlaceFigures FiguresOf(const Row& row) {
  const v1::Place& p = row.place;
  return PlaceFigures{p.kind(),
                      p.resident_count(),
                      p.employee_count(),
                      p.full_members(),
                      p.organisation_ids_size() - row.joint_branches,
                      row.joint_branches};
}

absl::Status Hidden(const std::string& scope, absl::string_view field) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the place lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError(absl::StrCat(field, ": no such place")), "PLACE_NOT_FOUND");
}

std::optional<Row> FindById(db::Connection& c, const std::string& scope, const std::string& id,
                            const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat(SelectPlaces(), " WHERE p.id = ?", db::InScope("p.area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadRow(*rows);
}

// Keyset position of a place in jurisdiction order.
std::string KeyOf(const v1::Place& p) { return absl::StrCat(p.area_path(), "\n", p.id()); }

std::pair<std::string, std::string> SplitKey(const std::string& key) {
  const size_t cut = key.find('\n');
  if (cut == std::string::npos) return {key, ""};
  return {key.substr(0, cut), key.substr(cut + 1)};
}

// Places after `after_key`, in the scope and below `below` (an area path;
// empty: everywhere in scope), optionally of one kind; `limit` rows.
std::vector<Row> Page(db::Connection& c, const std::string& scope, const std::string& below,
                      v1::PlaceKind kind, const std::string& after_key, int limit) {
  const auto [after_path, after_id] = SplitKey(after_key);
  auto& select = c.Prepare(
      absl::StrCat(SelectPlaces(), " WHERE (p.area_path > ? OR (p.area_path = ? AND p.id > ?))",
                   db::InScope("p.area_path"),
                   below.empty() ? "" : " AND (p.area_path = ? OR p.area_path LIKE ?)",
                   kind == v1::PLACE_KIND_UNSPECIFIED ? "" : " AND p.kind = ?",
                   " ORDER BY p.area_path, p.id LIMIT ?"));
  select.setString(1, after_path);
  select.setString(2, after_path);
  select.setString(3, after_id);
  int index = db::BindScope(select, 4, scope);
  if (!below.empty()) {
    select.setString(index++, below);
    select.setString(index++, DescendantsLikePattern(below));
  }
  if (kind != v1::PLACE_KIND_UNSPECIFIED) select.setInt(index++, kind);
  select.setInt(index, limit);
  std::vector<Row> out;
  auto rows = c.Query(select);
  while (rows->next()) out.push_back(ReadRow(*rows));
  return out;
}

// The area below which to list: the scope's own area for an empty id.
absl::StatusOr<std::string> ListingRoot(db::Connection& c, const std::string& scope,
                                        const std::string& area_id) {
  if (area_id.empty()) return std::string();
  auto area = AreaStore::FindInScope(c, scope, area_id);
  if (!area) {
    if (!scope.empty()) {
      return PermissionDenied("OUT_OF_SCOPE", "the area lies outside the caller's jurisdiction");
    }
    return InvalidField("area_id", "AREA_NOT_FOUND", "no area with this id");
  }
  return area->path();
}

std::vector<std::string> CoveredBy(db::Connection& c, const std::string& organisation_id) {
  auto& select = c.Prepare(
      "SELECT place_id FROM organisation_places WHERE organisation_id = ? ORDER BY place_id");
  select.setString(1, organisation_id);
  std::vector<std::string> out;
  auto rows = c.Query(select);
  while (rows->next()) out.push_back(rows->getString(1));
  return out;
}

v1::PlaceCoverage CoverageOf(db::Connection& c, const std::string& organisation_id,
                             const std::string& place_id) {
  v1::PlaceCoverage coverage;
  coverage.set_organisation_id(organisation_id);
  coverage.set_place_id(place_id);
  for (auto& id : CoveredBy(c, organisation_id)) coverage.add_covered_place_ids(std::move(id));
  return coverage;
}

// Inserts a place in `area` with its change row: for Create and Import.
absl::StatusOr<v1::Place> InsertPlace(db::Connection& c, const ChangeLog& changes,
                                      const WriteContext& write, const v1::Place& requested,
                                      const v1::Area& area) {
  if (area.kind() == v1::DISTRICT) {
    return InvalidField("place.area_id", "PLACE_AREA_KIND",
                        "a place lies in a street, town or community, not a district");
  }
  v1::Place created = requested;
  created.set_id(NewId("pl", write.now));
  created.set_area_id(area.id());
  created.set_area_path(area.path());
  created.set_full_members(0);
  created.clear_organisation_ids();
  created.set_etag(EtagOf(1));
  ToProtoTime(write.now, created.mutable_create_time());
  ToProtoTime(write.now, created.mutable_update_time());
  auto& insert = c.Prepare(
      "INSERT INTO places (id, kind, display_name, area_id, area_path, resident_count,"
      " employee_count, version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, created.id());
  insert.setInt(2, created.kind());
  insert.setString(3, created.display_name());
  insert.setString(4, area.id());
  insert.setString(5, area.path());
  insert.setInt(6, created.resident_count());
  insert.setInt(7, created.employee_count());
  insert.setString(8, db::ToDbTime(write.now));
  insert.setString(9, db::ToDbTime(write.now));
  insert.executeUpdate();
  changes.Append(c, write,
                 {created.id(), common::v1::Change::CREATED, area.path(), &created, nullptr});
  return created;
}

}  // namespace

absl::StatusOr<v1::Place> PlaceStore::Create(const std::string& scope, const WriteContext& write,
                                             const v1::Place& requested) {
  v1::Place created;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto area = AreaStore::FindInScope(c, scope, requested.area_id());
        if (!area) {
          if (!scope.empty()) {
            return PermissionDenied("OUT_OF_SCOPE",
                                    "place.area_id lies outside the caller's jurisdiction");
          }
          return InvalidField("place.area_id", "AREA_NOT_FOUND", "no area with this id");
        }
        auto inserted = InsertPlace(c, changes_, write, requested, *area);
        if (!inserted.ok()) return inserted.status();
        created = *std::move(inserted);
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return created;
  return EarlierResultOr<v1::Place>(pool_, changes_, write, status);
}

absl::StatusOr<common::v1::ImportResult> PlaceStore::Import(
    const std::string& scope, const WriteContext& write,
    const std::vector<ImportLine<v1::PlaceImportRecord>>& lines) {
  common::v1::ImportResult result;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    result.Clear();
    WriteContext line_write = write;
    line_write.request_id.clear();  // the import's request id marks its result only
    for (const auto& line : lines) {
      auto area = AreaStore::FindByPathInScope(c, scope, line.record.area_path());
      if (!area) {
        return AtLine(line.line_number,
                      InvalidField("area_path", "AREA_NOT_FOUND",
                                   absl::StrCat("no area in the caller's jurisdiction has path ",
                                                line.record.area_path())));
      }
      v1::Place requested;
      requested.set_kind(line.record.kind());
      requested.set_display_name(line.record.display_name());
      requested.set_resident_count(line.record.resident_count());
      requested.set_employee_count(line.record.employee_count());
      auto inserted = InsertPlace(c, changes_, line_write, requested, *area);
      if (!inserted.ok()) return AtLine(line.line_number, inserted.status());
      result.set_created_count(result.created_count() + 1);
    }
    RecordImportResult(c, changes_, write, "places", scope, result);
    return absl::OkStatus();
  });
  if (!status.ok()) return ImportedEarlierOr(pool_, changes_, write, status);
  return result;
}

absl::StatusOr<v1::Place> PlaceStore::Get(const std::string& scope, const std::string& id) {
  std::optional<Row> row;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    row = FindById(c, scope, id, "");
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!row) return Hidden(scope, "id");
  return row->place;
}

absl::StatusOr<PlacePage> PlaceStore::List(const std::string& scope, const std::string& area_id,
                                           v1::PlaceKind kind, int page_size,
                                           const std::string& after_key) {
  PlacePage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto below = ListingRoot(c, scope, area_id);
    if (!below.ok()) return below.status();
    for (Row& row : Page(c, scope, *below, kind, after_key, page_size + 1)) {
      page.places.push_back(std::move(row.place));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.places.size()) > page_size) {
    page.places.pop_back();
    page.last_key = KeyOf(page.places.back());
  }
  return page;
}

absl::StatusOr<v1::Place> PlaceStore::Update(const std::string& scope, const WriteContext& write,
                                             const v1::Place& changes,
                                             const std::vector<std::string>& fields) {
  v1::Place updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto before = FindById(c, scope, changes.id(), " FOR UPDATE");
    if (!before) return Hidden(scope, "place.id");
    const int64_t version = std::stoll(before->place.etag());
    if (auto s = CheckEtag("place.etag", changes.etag(), version); !s.ok()) return s;
    updated = before->place;
    for (const std::string& field : fields) {
      if (field == "display_name") updated.set_display_name(changes.display_name());
      if (field == "resident_count") updated.set_resident_count(changes.resident_count());
      if (field == "employee_count") updated.set_employee_count(changes.employee_count());
    }
    if (auto s =
            ValidatePlaceCounts(updated.kind(), updated.resident_count(), updated.employee_count());
        !s.ok()) {
      return s;
    }
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE places SET display_name = ?, resident_count = ?, employee_count = ?,"
        " version = version + 1, update_time = ? WHERE id = ?");
    update.setString(1, updated.display_name());
    update.setInt(2, updated.resident_count());
    update.setInt(3, updated.employee_count());
    update.setString(4, db::ToDbTime(write.now));
    update.setString(5, updated.id());
    update.executeUpdate();
    changes_.Append(
        c, write,
        {updated.id(), common::v1::Change::UPDATED, updated.area_path(), &updated, &before->place});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<v1::PlaceCoverage> PlaceStore::Cover(const std::string& scope,
                                                    const WriteContext& write,
                                                    const std::string& organisation_id,
                                                    const std::string& place_id) {
  v1::PlaceCoverage coverage;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // Locked for update: covers of one organisation take turns, so two
    // concurrent ones cannot both pass the joint branch's unit limit.
    auto organisation = OrganisationStore::LockActiveInScope(c, scope, organisation_id);
    if (!organisation) {
      if (!scope.empty()) {
        return PermissionDenied("OUT_OF_SCOPE",
                                "the organisation lies outside the caller's jurisdiction");
      }
      return InvalidField("organisation_id", "ORGANISATION_NOT_FOUND",
                          "no active organisation with this id");
    }
    auto place = FindById(c, scope, place_id, " LOCK IN SHARE MODE");
    if (!place) return Hidden(scope, "place_id");
    if (!PathWithin(place->place.area_path(), organisation->area_path())) {
      return FailedPrecondition(
          "PLACE_OUTSIDE_ORGANISATION",
          absl::StrCat("the place lies in ", place->place.area_path(),
                       ", outside the organisation's place ", organisation->area_path()));
    }
    const std::vector<std::string> covered = CoveredBy(c, organisation->id());
    for (const std::string& id : covered) {
      if (id == place_id) {
        coverage = CoverageOf(c, organisation->id(), place_id);
        return absl::OkStatus();  // already in its care: nothing changes
      }
    }
    auto settings = FormationThresholdStore::SettingsAround(c, organisation->area_path());
    const ResolvedThresholds in_force =
        ResolveThresholds(thresholds_.defaults(), settings, organisation->area_path());
    if (auto s = CheckCover(organisation->kind(), FiguresOf(*place),
                            static_cast<int>(covered.size()), in_force.thresholds);
        !s.ok()) {
      return s;
    }
    auto& insert = c.Prepare(
        "INSERT INTO organisation_places (organisation_id, place_id, create_time)"
        " VALUES (?, ?, ?)");
    insert.setString(1, organisation->id());
    insert.setString(2, place_id);
    insert.setString(3, db::ToDbTime(write.now));
    insert.executeUpdate();
    coverage = CoverageOf(c, organisation->id(), place_id);
    changes_.Append(c, write,
                    {absl::StrCat(organisation->id(), "/", place_id), common::v1::Change::CREATED,
                     place->place.area_path(), &coverage, nullptr});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return coverage;
}

absl::StatusOr<v1::PlaceCoverage> PlaceStore::Uncover(const std::string& scope,
                                                      const WriteContext& write,
                                                      const std::string& organisation_id,
                                                      const std::string& place_id) {
  v1::PlaceCoverage coverage;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto organisation = OrganisationStore::LockActiveInScope(c, scope, organisation_id);
    if (!organisation) {
      if (!scope.empty()) {
        return PermissionDenied("OUT_OF_SCOPE",
                                "the organisation lies outside the caller's jurisdiction");
      }
      return InvalidField("organisation_id", "ORGANISATION_NOT_FOUND",
                          "no active organisation with this id");
    }
    auto& remove =
        c.Prepare("DELETE FROM organisation_places WHERE organisation_id = ? AND place_id = ?");
    remove.setString(1, organisation->id());
    remove.setString(2, place_id);
    if (remove.executeUpdate() == 0) {
      return FailedPrecondition("PLACE_NOT_COVERED",
                                "the organisation does not have this place in its care");
    }
    v1::PlaceCoverage before = CoverageOf(c, organisation->id(), place_id);
    before.add_covered_place_ids(place_id);
    coverage = CoverageOf(c, organisation->id(), place_id);
    changes_.Append(c, write,
                    {absl::StrCat(organisation->id(), "/", place_id), common::v1::Change::DELETED,
                     organisation->area_path(), &coverage, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return coverage;
}

absl::StatusOr<v1::MemberPlace> PlaceStore::SetMemberPlace(const std::string& scope,
                                                           const WriteContext& write,
                                                           const std::string& member_id,
                                                           const std::string& place_id) {
  v1::MemberPlace recorded;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    // The member is read for its place in the tree only (members are the
    // member store's to write).
    auto& member = c.Prepare(absl::StrCat("SELECT area_path FROM members WHERE id = ?",
                                          db::InScope("area_path"), " LOCK IN SHARE MODE"));
    member.setString(1, member_id);
    db::BindScope(member, 2, scope);
    std::string member_path;
    {
      auto rows = c.Query(member);
      if (!rows->next()) {
        if (!scope.empty()) {
          return PermissionDenied("OUT_OF_SCOPE",
                                  "the member lies outside the caller's jurisdiction");
        }
        return InvalidField("member_id", "MEMBER_NOT_FOUND", "no member with this id");
      }
      member_path = rows->getString(1);
    }
    v1::MemberPlace before;
    before.set_member_id(member_id);
    {
      auto& current =
          c.Prepare("SELECT place_id FROM place_members WHERE member_id = ? FOR UPDATE");
      current.setString(1, member_id);
      auto rows = c.Query(current);
      if (rows->next()) before.set_place_id(rows->getString(1));
    }
    recorded.set_member_id(member_id);
    if (place_id.empty()) {
      auto& remove = c.Prepare("DELETE FROM place_members WHERE member_id = ?");
      remove.setString(1, member_id);
      remove.executeUpdate();
    } else {
      auto place = FindById(c, scope, place_id, " LOCK IN SHARE MODE");
      if (!place) return Hidden(scope, "place_id");
      auto& upsert = c.Prepare(
          "INSERT INTO place_members (member_id, place_id, create_time) VALUES (?, ?, ?)"
          " ON DUPLICATE KEY UPDATE place_id = VALUES(place_id), create_time = "
          "VALUES(create_time)");
      upsert.setString(1, member_id);
      upsert.setString(2, place_id);
      upsert.setString(3, db::ToDbTime(write.now));
      upsert.executeUpdate();
      recorded.set_place_id(place_id);
    }
    if (before.place_id() == recorded.place_id()) return absl::OkStatus();
    changes_.Append(c, write,
                    {member_id, common::v1::Change::UPDATED, member_path, &recorded, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return recorded;
}

absl::StatusOr<UncoveredPage> PlaceStore::ListUncovered(const std::string& scope,
                                                        const std::string& area_id, int page_size,
                                                        const std::string& after_key) {
  UncoveredPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto below = ListingRoot(c, scope, area_id);
    if (!below.ok()) return below.status();
    std::vector<Row> rows =
        Page(c, scope, *below, v1::PLACE_KIND_UNSPECIFIED, after_key, page_size + 1);
    if (static_cast<int>(rows.size()) > page_size) {
      rows.pop_back();
      page.last_key = KeyOf(rows.back().place);
    }
    const std::vector<RegionSetting> settings =
        FormationThresholdStore::SettingsAround(c, below->empty() ? scope : *below);
    for (Row& row : rows) {
      const ResolvedThresholds in_force =
          ResolveThresholds(thresholds_.defaults(), settings, row.place.area_path());
      auto finding = CoverageFindingFor(FiguresOf(row), in_force.thresholds);
      if (!finding) continue;
      v1::UncoveredPlace* out = &page.places.emplace_back();
      *out->mutable_place() = std::move(row.place);
      out->set_action(finding->action);
      out->set_rule(finding->rule);
      out->set_message(finding->message);
      out->set_thresholds_area_path(in_force.source_area_path);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

bool PlaceStore::AnyIn(db::Connection& c, const std::string& area_id) {
  auto& select = c.Prepare("SELECT 1 FROM places WHERE area_id = ? LIMIT 1");
  select.setString(1, area_id);
  return c.Query(select)->next();
}

}  // namespace grassroots::orgs
