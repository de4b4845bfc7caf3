#include "services/orgs/resource_store.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/co_building_store.h"
#include "services/orgs/regional_places.h"
#include "services/orgs/resident_unit_store.h"
#include "services/orgs/resource_matching.h"

namespace grassroots::orgs {
namespace {

constexpr char kResourceColumns[] =
    "r.id, r.unit_id, u.display_name, r.area_path, r.category, r.description, r.capacity,"
    " r.remaining, r.create_time, r.update_time, u.state";
constexpr char kFromResources[] =
    " FROM unit_resources r JOIN resident_units u ON u.id = r.unit_id";
constexpr char kNeedColumns[] =
    "id, area_id, area_path, category, description, quantity, fulfilled, create_time,"
    " update_time";

v1::UnitResource ReadResource(sql::ResultSet& row) {
  v1::UnitResource r;
  r.set_id(row.getString(1));
  r.set_unit_id(row.getString(2));
  r.set_unit_name(row.getString(3));
  r.set_area_path(row.getString(4));
  r.set_category(static_cast<v1::ResourceCategory>(row.getInt(5)));
  r.set_description(row.getString(6));
  r.set_capacity(row.getInt(7));
  r.set_remaining(row.getInt(8));
  ToProtoTime(db::FromDbTime(row.getString(9)), r.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(10)), r.mutable_update_time());
  r.set_state(ResourceStateFor(r.remaining(), row.getInt(11) == v1::ResidentUnit::ACTIVE));
  return r;
}

v1::CommunityNeed ReadNeed(sql::ResultSet& row) {
  v1::CommunityNeed n;
  n.set_id(row.getString(1));
  n.set_area_id(row.getString(2));
  n.set_area_path(row.getString(3));
  n.set_category(static_cast<v1::ResourceCategory>(row.getInt(4)));
  n.set_description(row.getString(5));
  n.set_quantity(row.getInt(6));
  n.set_fulfilled_quantity(row.getInt(7));
  n.set_state(NeedStateFor(n.quantity(), n.fulfilled_quantity()));
  ToProtoTime(db::FromDbTime(row.getString(8)), n.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(9)), n.mutable_update_time());
  return n;
}

NeedFacts FactsOf(const v1::CommunityNeed& n) {
  return {n.area_path(), n.category(), n.quantity(), n.fulfilled_quantity()};
}

ResourceFacts FactsOf(const v1::UnitResource& r) {
  return {r.id(), r.area_path(), r.category(), r.remaining(),
          r.state() != v1::UnitResource::UNIT_WITHDRAWN};
}

absl::Status Hidden(const std::string& scope, absl::string_view field, absl::string_view what) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            absl::StrCat(field, " lies outside the caller's jurisdiction"));
  }
  return InvalidField(field, absl::StrCat(what, "_NOT_FOUND"), "no record with this id");
}

template <typename T>
void TrimPage(IdPage<T>& page, int page_size) {
  if (static_cast<int>(page.items.size()) > page_size) {
    page.items.pop_back();
    page.last_id = page.items.back().id();
  }
}

std::optional<v1::UnitResource> FindResource(db::Connection& c, const std::string& scope,
                                             const std::string& id) {
  auto& select = c.Prepare(absl::StrCat("SELECT ", kResourceColumns, kFromResources,
                                        " WHERE r.id = ?", db::InScope("r.area_path")));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadResource(*rows);
}

// `lock` is "" or " FOR UPDATE".
std::optional<v1::CommunityNeed> FindNeed(db::Connection& c, const std::string& scope,
                                          const std::string& id, const char* lock) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kNeedColumns, " FROM community_needs WHERE id = ?",
                             db::InScope("area_path"), lock));
  select.setString(1, id);
  db::BindScope(select, 2, scope);
  auto rows = c.Query(select);
  if (!rows->next()) return std::nullopt;
  return ReadNeed(*rows);
}

}  // namespace

absl::StatusOr<v1::UnitResource> ResourceStore::PublishResource(const std::string& scope,
                                                                const WriteContext& write,
                                                                const v1::UnitResource& requested) {
  v1::UnitResource published;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto unit = ResidentUnitStore::FindUnit(c, requested.unit_id());
        if (!unit || !PathWithin(unit->area_path, scope)) {
          return Hidden(scope, "resource.unit_id", "UNIT");
        }
        if (unit->state != v1::ResidentUnit::ACTIVE) {
          return FailedPrecondition("UNIT_WITHDRAWN",
                                    "a withdrawn unit no longer offers resources here");
        }
        published = requested;
        published.set_id(NewId("rs", write.now));
        published.set_unit_name(unit->display_name);
        published.set_area_path(unit->area_path);
        published.set_remaining(requested.capacity());
        published.set_state(ResourceStateFor(published.remaining(), true));
        ToProtoTime(write.now, published.mutable_create_time());
        ToProtoTime(write.now, published.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO unit_resources (id, unit_id, area_path, category, description, capacity,"
            " remaining, version, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.setString(1, published.id());
        insert.setString(2, unit->id);
        insert.setString(3, unit->area_path);
        insert.setInt(4, published.category());
        insert.setString(5, published.description());
        insert.setInt(6, published.capacity());
        insert.setInt(7, published.capacity());
        insert.setString(8, now);
        insert.setString(9, now);
        insert.executeUpdate();
        changes_.Append(c, write,
                        {published.id(), common::v1::Change::CREATED, published.area_path(),
                         &published, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return published;
  return EarlierResultOr<v1::UnitResource>(pool_, changes_, write, status);
}

absl::StatusOr<IdPage<v1::UnitResource>> ResourceStore::ListResources(const std::string& scope,
                                                                      const ResourceFilter& filter,
                                                                      int page_size,
                                                                      const std::string& after_id) {
  IdPage<v1::UnitResource> page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = ListingRoot(c, scope, filter.area_id);
    if (!root.ok()) return root.status();
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kResourceColumns, kFromResources, " WHERE r.id > ?",
                     db::InScope("r.area_path"), Within("r.area_path"),
                     " AND (? = 0 OR r.category = ?) AND (? OR (r.remaining > 0 AND u.state = ?))"
                     " ORDER BY r.id LIMIT ?"));
    select.setString(1, after_id);
    int index = db::BindScope(select, 2, scope);
    index = BindWithin(select, index, *root);
    select.setInt(index++, filter.category);
    select.setInt(index++, filter.category);
    select.setBoolean(index++, filter.include_closed);
    select.setInt(index++, v1::ResidentUnit::ACTIVE);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.items.push_back(ReadResource(*rows));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  TrimPage(page, page_size);
  return page;
}

absl::StatusOr<v1::CommunityNeed> ResourceStore::PublishNeed(const std::string& scope,
                                                             const WriteContext& write,
                                                             const v1::CommunityNeed& requested) {
  v1::CommunityNeed published;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        auto place = FindPlaceInScope(c, scope, requested.area_id());
        if (!place) return PlaceHidden(scope, "need.area_id");
        if (auto s = ValidateNeedPlaceKind("need.area_id", place->kind()); !s.ok()) return s;
        published = requested;
        published.set_id(NewId("nd", write.now));
        published.set_area_path(place->path());
        published.set_fulfilled_quantity(0);
        published.set_state(NeedStateFor(published.quantity(), 0));
        ToProtoTime(write.now, published.mutable_create_time());
        ToProtoTime(write.now, published.mutable_update_time());
        const std::string now = db::ToDbTime(write.now);
        auto& insert = c.Prepare(
            "INSERT INTO community_needs (id, area_id, area_path, category, description,"
            " quantity, fulfilled, version, create_time, update_time)"
            " VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?)");
        insert.setString(1, published.id());
        insert.setString(2, place->id());
        insert.setString(3, place->path());
        insert.setInt(4, published.category());
        insert.setString(5, published.description());
        insert.setInt(6, published.quantity());
        insert.setString(7, now);
        insert.setString(8, now);
        insert.executeUpdate();
        changes_.Append(c, write,
                        {published.id(), common::v1::Change::CREATED, published.area_path(),
                         &published, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return published;
  return EarlierResultOr<v1::CommunityNeed>(pool_, changes_, write, status);
}

namespace {

// Needs of the listing root in id order after `after_id`; open ones only
// unless `include_fulfilled`.
std::vector<v1::CommunityNeed> NeedsPage(db::Connection& c, const std::string& scope,
                                         const std::string& root, const NeedFilter& filter,
                                         int limit, const std::string& after_id) {
  auto& select = c.Prepare(absl::StrCat(
      "SELECT ", kNeedColumns, " FROM community_needs WHERE id > ?", db::InScope("area_path"),
      Within("area_path"),
      " AND (? = 0 OR category = ?) AND (? OR fulfilled < quantity) ORDER BY id LIMIT ?"));
  select.setString(1, after_id);
  int index = db::BindScope(select, 2, scope);
  index = BindWithin(select, index, root);
  select.setInt(index++, filter.category);
  select.setInt(index++, filter.category);
  select.setBoolean(index++, filter.include_fulfilled);
  select.setInt(index, limit);
  std::vector<v1::CommunityNeed> needs;
  auto rows = c.Query(select);
  while (rows->next()) needs.push_back(ReadNeed(*rows));
  return needs;
}

}  // namespace

absl::StatusOr<IdPage<v1::CommunityNeed>> ResourceStore::ListNeeds(const std::string& scope,
                                                                   const NeedFilter& filter,
                                                                   int page_size,
                                                                   const std::string& after_id) {
  IdPage<v1::CommunityNeed> page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = ListingRoot(c, scope, filter.area_id);
    if (!root.ok()) return root.status();
    page.items = NeedsPage(c, scope, *root, filter, page_size + 1, after_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  TrimPage(page, page_size);
  return page;
}

absl::StatusOr<IdPage<v1::NeedMatches>> ResourceStore::MatchNeeds(const std::string& scope,
                                                                  const NeedFilter& filter,
                                                                  int candidates_per_need,
                                                                  int page_size,
                                                                  const std::string& after_id) {
  IdPage<v1::NeedMatches> page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = ListingRoot(c, scope, filter.area_id);
    if (!root.ok()) return root.status();
    NeedFilter open = filter;
    open.include_fulfilled = false;
    std::vector<v1::CommunityNeed> needs =
        NeedsPage(c, scope, *root, open, page_size + 1, after_id);
    if (static_cast<int>(needs.size()) > page_size) {
      needs.pop_back();
      page.last_id = needs.back().id();
    }
    // One read per street and category on the page, ranked per need by
    // the pure rule.
    std::map<std::pair<std::string, int>, std::vector<v1::UnitResource>> offered;
    for (const auto& need : needs) offered[{StreetOf(need.area_path()), need.category()}];
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kResourceColumns, kFromResources,
                     " WHERE r.category = ? AND r.remaining > 0 AND u.state = ?",
                     db::InScope("r.area_path"), Within("r.area_path"), " ORDER BY r.id LIMIT ?"));
    for (auto& [key, resources] : offered) {
      select.setInt(1, key.second);
      select.setInt(2, v1::ResidentUnit::ACTIVE);
      int index = db::BindScope(select, 3, scope);
      index = BindWithin(select, index, key.first);
      select.setInt(index, kMaxResourcesPerStreet);
      auto rows = c.Query(select);
      while (rows->next()) resources.push_back(ReadResource(*rows));
    }
    for (auto& need : needs) {
      const auto& resources = offered[{StreetOf(need.area_path()), need.category()}];
      std::vector<ResourceFacts> facts;
      facts.reserve(resources.size());
      for (const auto& r : resources) facts.push_back(FactsOf(r));
      v1::NeedMatches matches;
      for (const auto& ranked :
           RankResources(FactsOf(need), facts, static_cast<size_t>(candidates_per_need))) {
        auto* candidate = matches.add_candidates();
        *candidate->mutable_resource() = resources[ranked.index];
        candidate->set_proximity(ranked.proximity);
      }
      *matches.mutable_need() = std::move(need);
      page.items.push_back(std::move(matches));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<v1::ResourceMatch> ResourceStore::Accept(const std::string& scope,
                                                        const WriteContext& write,
                                                        const MatchRequest& request) {
  v1::ResourceMatch match;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // The need is locked for the whole decision; the resource is taken
        // by a conditional UPDATE below, the only arbiter of what is left.
        auto need = FindNeed(c, scope, request.need_id, " FOR UPDATE");
        if (!need) return Hidden(scope, "need_id", "NEED");
        auto resource = FindResource(c, scope, request.resource_id);
        if (!resource) return Hidden(scope, "resource_id", "RESOURCE");
        // Share-locked: the unit cannot withdraw until this commits.
        auto unit = ResidentUnitStore::FindUnit(c, resource->unit_id());
        ResourceFacts resource_facts = FactsOf(*resource);
        resource_facts.unit_active = unit && unit->state == v1::ResidentUnit::ACTIVE;
        if (auto s = CheckAcceptance(FactsOf(*need), resource_facts, request.quantity); !s.ok()) {
          return s;
        }
        const std::string now = db::ToDbTime(write.now);
        auto& take = c.Prepare(
            "UPDATE unit_resources SET remaining = remaining - ?, version = version + 1,"
            " update_time = ? WHERE id = ? AND remaining >= ?");
        take.setInt(1, request.quantity);
        take.setString(2, now);
        take.setString(3, resource->id());
        take.setInt(4, request.quantity);
        if (take.executeUpdate() != 1) {
          // Taken meanwhile by another match: say how much is really left.
          auto& left = c.Prepare("SELECT remaining FROM unit_resources WHERE id = ? FOR UPDATE");
          left.setString(1, resource->id());
          auto rows = c.Query(left);
          const int remaining = rows->next() ? rows->getInt(1) : 0;
          return FailedPrecondition(
              "RESOURCE_INSUFFICIENT",
              absl::StrCat("the resource has ", remaining, " left; a match of ", request.quantity,
                           " was asked"));
        }
        auto& fulfil = c.Prepare(
            "UPDATE community_needs SET fulfilled = fulfilled + ?, version = version + 1,"
            " update_time = ? WHERE id = ? AND fulfilled + ? <= quantity");
        fulfil.setInt(1, request.quantity);
        fulfil.setString(2, now);
        fulfil.setString(3, need->id());
        fulfil.setInt(4, request.quantity);
        if (fulfil.executeUpdate() != 1) {
          return Internal("NEED_CHANGED", "the need changed while it was locked");
        }
        const v1::CommunityNeed need_before = *need;
        need->set_fulfilled_quantity(need->fulfilled_quantity() + request.quantity);
        need->set_state(NeedStateFor(need->quantity(), need->fulfilled_quantity()));
        ToProtoTime(write.now, need->mutable_update_time());
        // The resource as it is after this match (re-read: others may have
        // taken some since the first read).
        const v1::UnitResource resource_before = *resource;
        resource = FindResource(c, "", request.resource_id);

        const std::string match_id = NewId("mt", write.now);
        v1::CoBuildingProject project;
        project.set_owner_unit_id(resource->unit_id());
        project.set_area_path(need->area_path());
        project.set_title(request.project_title);
        project.set_due_date(absl::FormatCivilTime(request.project_due_date));
        project.set_source(v1::CoBuildingProject::ACCEPTED_MATCH);
        project.set_resource_match_id(match_id);
        project = CoBuildingStore::Insert(c, changes_, write, std::move(project),
                                          resource->unit_name(), /*carries_request_id=*/false);
        auto& insert = c.Prepare(
            "INSERT INTO resource_matches (id, need_id, resource_id, quantity, project_id,"
            " area_path, matched_by, match_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, match_id);
        insert.setString(2, need->id());
        insert.setString(3, resource->id());
        insert.setInt(4, request.quantity);
        insert.setString(5, project.id());
        insert.setString(6, need->area_path());
        insert.setString(7, write.actor);
        insert.setString(8, now);
        insert.executeUpdate();

        match.set_id(match_id);
        match.set_need_id(need->id());
        match.set_resource_id(resource->id());
        match.set_quantity(request.quantity);
        *match.mutable_need() = *need;
        *match.mutable_resource() = *resource;
        *match.mutable_project() = project;
        match.set_matched_by(write.actor);
        ToProtoTime(write.now, match.mutable_match_time());
        ChangeRecord need_change{need->id(), common::v1::Change::UPDATED, need->area_path(), &*need,
                                 &need_before};
        need_change.carries_request_id = false;
        changes_.Append(c, write, need_change);
        ChangeRecord resource_change{resource->id(), common::v1::Change::UPDATED,
                                     resource->area_path(), &*resource, &resource_before};
        resource_change.carries_request_id = false;
        changes_.Append(c, write, resource_change);
        // The match carries the request id: a retry answers with it.
        changes_.Append(
            c, write, {match_id, common::v1::Change::CREATED, need->area_path(), &match, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return match;
  return EarlierResultOr<v1::ResourceMatch>(pool_, changes_, write, status);
}

bool ResourceStore::AnyNeedAt(db::Connection& c, const std::string& area_id) {
  auto& select = c.Prepare("SELECT 1 FROM community_needs WHERE area_id = ? LIMIT 1");
  select.setString(1, area_id);
  return c.Query(select)->next();
}

}  // namespace grassroots::orgs
