#include "services/orgs/admission_store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth/scope.h"
#include "common/changes/earlier_result.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/sql_parameters.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/admission_rules.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/moved_records.h"

namespace grassroots::orgs {
namespace {

constexpr char kListColumns[] =
    "id, region_area_id, region_path, version, effective_date, published_by, publish_time,"
    " row_version";

v1::AdmissionList ReadList(sql::ResultSet& r) {
  v1::AdmissionList list;
  list.set_id(r.getString(1));
  list.set_region_area_id(r.getString(2));
  list.set_region_path(r.getString(3));
  list.set_version(r.getInt(4));
  list.set_effective_date(r.getString(5));
  list.set_published_by(r.getString(6));
  ToProtoTime(db::FromDbTime(r.getString(7)), list.mutable_publish_time());
  list.set_etag(EtagOf(r.getInt64(8)));
  return list;
}

// Categories and items of `lists`, two queries: for the lists' ids, or for
// every list when `all`.
void FillContents(db::Connection& c, std::vector<v1::AdmissionList>& lists, bool all) {
  if (lists.empty()) return;
  absl::flat_hash_map<std::string, v1::AdmissionList*> by_id;
  for (auto& list : lists) by_id[list.id()] = &list;
  auto bind_ids = [&](sql::PreparedStatement& s) {
    if (all) return;
    for (size_t i = 0; i < lists.size(); ++i) s.setString(static_cast<int>(i) + 1, lists[i].id());
  };
  const std::string where =
      all ? ""
          : absl::StrCat(" WHERE list_id IN (", db::ParameterList(static_cast<int>(lists.size())),
                         ")");
  auto& categories = c.Prepare(absl::StrCat("SELECT list_id, code, name FROM admission_categories",
                                            where, " ORDER BY list_id, position"));
  bind_ids(categories);
  {
    auto rows = c.Query(categories);
    while (rows->next()) {
      auto it = by_id.find(rows->getString(1).asStdString());
      if (it == by_id.end()) continue;
      auto* category = it->second->add_categories();
      category->set_code(rows->getString(2));
      category->set_name(rows->getString(3));
    }
  }
  auto& items =
      c.Prepare(absl::StrCat("SELECT list_id, category_position, code, name, departments FROM"
                             " admission_items",
                             where, " ORDER BY list_id, category_position, position"));
  bind_ids(items);
  auto rows = c.Query(items);
  while (rows->next()) {
    auto it = by_id.find(rows->getString(1).asStdString());
    if (it == by_id.end()) continue;
    const int category = rows->getInt(2);
    if (category >= it->second->categories_size()) continue;
    auto* item = it->second->mutable_categories(category)->add_items();
    item->set_code(rows->getString(3));
    item->set_name(rows->getString(4));
    const std::string departments = rows->getString(5);
    for (absl::string_view d : absl::StrSplit(departments, ',')) {
      item->add_departments(std::string(d));
    }
  }
}

absl::Status RegionHidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE",
                            "region_area_id lies outside the caller's jurisdiction");
  }
  return InvalidField("region_area_id", "AREA_NOT_FOUND", "no such area");
}

}  // namespace

absl::StatusOr<v1::AdmissionList> AdmissionStore::Publish(
    const std::string& scope, const WriteContext& write, const std::string& region_area_id,
    absl::CivilDay effective, const v1::PublishAdmissionListRequest& contents,
    absl::CivilDay today) {
  v1::AdmissionList published;
  absl::Status status = db::RunInTransaction(
      pool_,
      [&](db::Connection& c) -> absl::Status {
        // The region's row, locked: publications of one region take turns,
        // so versions are numbered without gaps or collisions.
        auto& region = c.Prepare(absl::StrCat("SELECT kind, path FROM areas WHERE id = ?",
                                              db::InScope("path"), " FOR UPDATE"));
        region.setString(1, region_area_id);
        db::BindScope(region, 2, scope);
        std::string region_path;
        {
          auto rows = c.Query(region);
          if (!rows->next()) return RegionHidden(scope);
          if (auto s = ValidateRegionKind(static_cast<v1::AreaKind>(rows->getInt(1))); !s.ok()) {
            return s;
          }
          region_path = rows->getString(2);
        }
        auto& latest = c.Prepare(
            "SELECT MAX(version), MAX(effective_date) FROM admission_lists WHERE region_area_id = "
            "?");
        latest.setString(1, region_area_id);
        int32_t version = 1;
        std::optional<absl::CivilDay> latest_effective;
        {
          auto rows = c.Query(latest);
          if (rows->next() && !rows->isNull(1)) {
            version = rows->getInt(1) + 1;
            absl::CivilDay day;
            if (absl::ParseCivilTime(rows->getString(2).asStdString(), &day))
              latest_effective = day;
          }
        }
        if (auto s = ValidateEffectiveDate(effective, today, latest_effective); !s.ok()) return s;

        published.set_id(NewId("al", write.now));
        published.set_region_area_id(region_area_id);
        published.set_region_path(region_path);
        published.set_version(version);
        published.set_effective_date(absl::FormatCivilTime(effective));
        *published.mutable_categories() = contents.categories();
        published.set_published_by(write.actor);
        ToProtoTime(write.now, published.mutable_publish_time());
        published.set_etag(EtagOf(1));

        auto& insert = c.Prepare(
            "INSERT INTO admission_lists (id, region_area_id, region_path, version,"
            " effective_date, published_by, publish_time, row_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1)");
        insert.setString(1, published.id());
        insert.setString(2, region_area_id);
        insert.setString(3, region_path);
        insert.setInt(4, version);
        insert.setString(5, published.effective_date());
        insert.setString(6, write.actor);
        insert.setString(7, db::ToDbTime(write.now));
        insert.executeUpdate();

        const int n_categories = published.categories_size();
        auto& categories = c.Prepare(
            absl::StrCat("INSERT INTO admission_categories (list_id, position, code, name) VALUES ",
                         db::ParameterRows(4, n_categories)));
        int index = 1, n_items = 0;
        for (int i = 0; i < n_categories; ++i) {
          const auto& category = published.categories(i);
          categories.setString(index++, published.id());
          categories.setInt(index++, i);
          categories.setString(index++, category.code());
          categories.setString(index++, category.name());
          n_items += category.items_size();
        }
        categories.executeUpdate();
        auto& items = c.Prepare(absl::StrCat(
            "INSERT INTO admission_items (list_id, category_position, position, code, name,"
            " departments) VALUES ",
            db::ParameterRows(6, n_items)));
        index = 1;
        for (int i = 0; i < n_categories; ++i) {
          const auto& category = published.categories(i);
          for (int j = 0; j < category.items_size(); ++j) {
            const auto& item = category.items(j);
            items.setString(index++, published.id());
            items.setInt(index++, i);
            items.setInt(index++, j);
            items.setString(index++, item.code());
            items.setString(index++, item.name());
            items.setString(index++, absl::StrJoin(item.departments(), ","));
          }
        }
        items.executeUpdate();
        // The change row carries the whole list: the feed is how every
        // replica's cache learns of it.
        changes_.Append(
            c, write,
            {published.id(), common::v1::Change::CREATED, region_path, &published, nullptr});
        return absl::OkStatus();
      },
      db::TransactionOptions{.idempotent = !write.request_id.empty()});
  if (status.ok()) return published;
  return EarlierResultOr<v1::AdmissionList>(pool_, changes_, write, status);
}

absl::StatusOr<AdmissionListPage> AdmissionStore::ListVersions(const std::string& scope,
                                                               const std::string& region_area_id,
                                                               int page_size,
                                                               int32_t before_version) {
  AdmissionListPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    page.lists.clear();
    auto& region = c.Prepare("SELECT path FROM areas WHERE id = ?");
    region.setString(1, region_area_id);
    {
      auto rows = c.Query(region);
      // Lists of the regions above the scope apply within it, so they may be read.
      if (!rows->next()) return RegionHidden(scope);
      const std::string path = rows->getString(1);
      if (!PathWithin(path, scope) && !PathWithin(scope, path)) return RegionHidden(scope);
    }
    auto& select = c.Prepare(
        absl::StrCat("SELECT ", kListColumns,
                     " FROM admission_lists WHERE region_area_id = ? AND (? = 0 OR version < ?)"
                     " ORDER BY version DESC LIMIT ?"));
    select.setString(1, region_area_id);
    select.setInt(2, before_version);
    select.setInt(3, before_version);
    select.setInt(4, page_size + 1);
    {
      auto rows = c.Query(select);
      while (rows->next()) page.lists.push_back(ReadList(*rows));
    }
    if (static_cast<int>(page.lists.size()) > page_size) {
      page.lists.pop_back();
      page.last_version = page.lists.back().version();
    }
    FillContents(c, page.lists, false);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<std::optional<std::string>> AdmissionStore::AreaPath(const std::string& scope,
                                                                    const std::string& area_id) {
  std::optional<std::string> path;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select =
        c.Prepare(absl::StrCat("SELECT path FROM areas WHERE id = ?", db::InScope("path")));
    select.setString(1, area_id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    path.reset();
    if (rows->next()) path = rows->getString(1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return path;
}

bool AdmissionStore::AnyFor(db::Connection& c, const std::string& region_area_id) {
  auto& select = c.Prepare("SELECT 1 FROM admission_lists WHERE region_area_id = ? LIMIT 1");
  select.setString(1, region_area_id);
  return c.Query(select)->next();
}

std::vector<v1::AdmissionList> AdmissionStore::LoadAll(db::Connection& c) {
  std::vector<v1::AdmissionList> lists;
  auto& select = c.Prepare(absl::StrCat("SELECT ", kListColumns, " FROM admission_lists"));
  {
    auto rows = c.Query(select);
    while (rows->next()) lists.push_back(ReadList(*rows));
  }
  FillContents(c, lists, true);
  return lists;
}

void AdmissionStore::FollowAreaMove(db::Connection& c, const ChangeLog& changes,
                                    const WriteContext& write, const std::string& old_path,
                                    const std::string& new_path) {
  std::vector<v1::AdmissionList> moved;
  {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kListColumns,
                                          " FROM admission_lists WHERE region_path = ? OR"
                                          " region_path LIKE ? ORDER BY id FOR UPDATE"));
    select.setString(1, old_path);
    select.setString(2, DescendantsLikePattern(old_path));
    auto rows = c.Query(select);
    while (rows->next()) moved.push_back(ReadList(*rows));
  }
  if (moved.empty()) return;
  FillContents(c, moved, false);
  RewritePaths(c, "admission_lists", "region_path", "row_version", nullptr, write, old_path,
               new_path);
  AppendMoved<v1::AdmissionList>(c, changes, write, moved, [&](v1::AdmissionList& list) {
    list.set_region_path(new_path + list.region_path().substr(old_path.size()));
    list.set_etag(EtagOf(std::stoll(list.etag()) + 1));
    return list.region_path();
  });
}

}  // namespace grassroots::orgs
