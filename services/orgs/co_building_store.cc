#include "services/orgs/co_building_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/db/db_time.h"
#include "common/db/scope_condition.h"
#include "common/db/transaction.h"
#include "common/ids/id_generator.h"
#include "common/status/errors.h"
#include "common/time/proto_time.h"
#include "services/orgs/area_rules.h"
#include "services/orgs/co_building_rules.h"
#include "services/orgs/regional_places.h"

namespace grassroots::orgs {
namespace {

using Project = v1::CoBuildingProject;

constexpr char kColumns[] =
    "p.id, p.owner_unit_id, u.display_name, p.area_path, p.title, p.due_date, p.state, p.source,"
    " p.joint_meeting_id, p.decision_number, p.resource_match_id, p.status_note, p.version,"
    " p.create_time, p.update_time";
constexpr char kFromProjects[] =
    " FROM co_building_projects p JOIN resident_units u ON u.id = p.owner_unit_id";

absl::CivilDay DayOf(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);
  return day;
}

// The stored project; `overdue` is left for WithOverdue.
Project ReadProject(sql::ResultSet& row) {
  Project p;
  p.set_id(row.getString(1));
  p.set_owner_unit_id(row.getString(2));
  p.set_owner_unit_name(row.getString(3));
  p.set_area_path(row.getString(4));
  p.set_title(row.getString(5));
  p.set_due_date(row.getString(6));
  p.set_state(static_cast<Project::State>(row.getInt(7)));
  p.set_source(static_cast<Project::Source>(row.getInt(8)));
  if (!row.isNull(9)) p.set_joint_meeting_id(row.getString(9));
  if (!row.isNull(10)) p.set_decision_number(row.getInt(10));
  if (!row.isNull(11)) p.set_resource_match_id(row.getString(11));
  p.set_status_note(row.getString(12));
  p.set_etag(EtagOf(row.getInt64(13)));
  ToProtoTime(db::FromDbTime(row.getString(14)), p.mutable_create_time());
  ToProtoTime(db::FromDbTime(row.getString(15)), p.mutable_update_time());
  return p;
}

Project WithOverdue(Project p, absl::CivilDay today) {
  p.set_overdue(IsOverdue(p.state(), DayOf(p.due_date()), today));
  return p;
}

absl::Status Hidden(const std::string& scope) {
  if (!scope.empty()) {
    return PermissionDenied("OUT_OF_SCOPE", "the project lies outside the caller's jurisdiction");
  }
  return WithReason(absl::NotFoundError("id: no such co-building project"), "PROJECT_NOT_FOUND");
}

void BindOptional(sql::PreparedStatement& s, int index, const std::string& value) {
  if (value.empty()) {
    s.setNull(index, sql::DataType::VARCHAR);
  } else {
    s.setString(index, value);
  }
}

}  // namespace

absl::StatusOr<Project> CoBuildingStore::Get(const std::string& scope, const std::string& id,
                                             absl::CivilDay today) {
  std::optional<Project> found;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, kFromProjects, " WHERE p.id = ?",
                                          db::InScope("p.area_path")));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    auto rows = c.Query(select);
    if (rows->next()) found = ReadProject(*rows);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return Hidden(scope);
  return WithOverdue(*std::move(found), today);
}

absl::StatusOr<ProjectPage> CoBuildingStore::List(const std::string& scope,
                                                  const ProjectFilter& filter, absl::CivilDay today,
                                                  int page_size, const ProjectCursor& after) {
  ProjectPage page;
  absl::Status status = db::RunReadOnly(pool_, [&](db::Connection& c) -> absl::Status {
    auto root = ListingRoot(c, scope, filter.area_id);
    if (!root.ok()) return root.status();
    // Overdue in SQL is the rule of co_building_rules (IsOverdue): past the
    // due date and still planned or in progress.
    auto& select = c.Prepare(absl::StrCat(
        "SELECT ", kColumns, kFromProjects,
        " WHERE (p.due_date > ? OR (p.due_date = ? AND p.id > ?))", db::InScope("p.area_path"),
        Within("p.area_path"),
        " AND (? = 0 OR p.state = ?) AND (NOT ? OR (p.due_date < ? AND p.state IN (?, ?)))"
        " ORDER BY p.due_date, p.id LIMIT ?"));
    select.setString(1, after.due_date);
    select.setString(2, after.due_date);
    select.setString(3, after.id);
    int index = db::BindScope(select, 4, scope);
    index = BindWithin(select, index, *root);
    select.setInt(index++, filter.state);
    select.setInt(index++, filter.state);
    select.setBoolean(index++, filter.overdue_only);
    select.setString(index++, absl::FormatCivilTime(today));
    select.setInt(index++, Project::PLANNED);
    select.setInt(index++, Project::IN_PROGRESS);
    select.setInt(index, page_size + 1);
    auto rows = c.Query(select);
    while (rows->next()) page.projects.push_back(WithOverdue(ReadProject(*rows), today));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.projects.size()) > page_size) {
    page.projects.pop_back();
    page.last = ProjectCursor{page.projects.back().due_date(), page.projects.back().id()};
  }
  return page;
}

absl::StatusOr<Project> CoBuildingStore::UpdateStatus(
    const std::string& scope, const WriteContext& write, const std::string& id,
    const std::string& etag, Project::State to, const std::string& note, absl::CivilDay today) {
  Project updated;
  absl::Status status = db::RunInTransaction(pool_, [&](db::Connection& c) -> absl::Status {
    auto& select = c.Prepare(absl::StrCat("SELECT ", kColumns, kFromProjects, " WHERE p.id = ?",
                                          db::InScope("p.area_path"), " FOR UPDATE"));
    select.setString(1, id);
    db::BindScope(select, 2, scope);
    Project before;
    {
      auto rows = c.Query(select);
      if (!rows->next()) return Hidden(scope);
      before = ReadProject(*rows);
    }
    const int64_t version = std::stoll(before.etag());
    if (auto s = CheckEtag("etag", etag, version); !s.ok()) return s;
    if (auto s = CheckProjectTransition(before.state(), to); !s.ok()) return s;
    updated = before;
    updated.set_state(to);
    updated.set_status_note(note);
    updated.set_etag(EtagOf(version + 1));
    ToProtoTime(write.now, updated.mutable_update_time());
    auto& update = c.Prepare(
        "UPDATE co_building_projects SET state = ?, status_note = ?, version = version + 1,"
        " update_time = ? WHERE id = ?");
    update.setInt(1, to);
    update.setString(2, note);
    update.setString(3, db::ToDbTime(write.now));
    update.setString(4, id);
    update.executeUpdate();
    changes_.Append(c, write,
                    {id, common::v1::Change::UPDATED, before.area_path(), &updated, &before});
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return WithOverdue(std::move(updated), today);
}

Project CoBuildingStore::Insert(db::Connection& c, const ChangeLog& changes,
                                const WriteContext& write, Project project,
                                const std::string& owner_unit_name, bool carries_request_id) {
  project.set_id(NewId("cb", write.now));
  project.set_owner_unit_name(owner_unit_name);
  project.set_state(Project::PLANNED);
  project.set_etag(EtagOf(1));
  ToProtoTime(write.now, project.mutable_create_time());
  ToProtoTime(write.now, project.mutable_update_time());
  const std::string now = db::ToDbTime(write.now);
  auto& insert = c.Prepare(
      "INSERT INTO co_building_projects (id, owner_unit_id, area_path, title, due_date, state,"
      " source, joint_meeting_id, decision_number, resource_match_id, version, create_time,"
      " update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.setString(1, project.id());
  insert.setString(2, project.owner_unit_id());
  insert.setString(3, project.area_path());
  insert.setString(4, project.title());
  insert.setString(5, project.due_date());
  insert.setInt(6, Project::PLANNED);
  insert.setInt(7, project.source());
  BindOptional(insert, 8, project.joint_meeting_id());
  if (project.decision_number() > 0) {
    insert.setInt(9, project.decision_number());
  } else {
    insert.setNull(9, sql::DataType::INTEGER);
  }
  BindOptional(insert, 10, project.resource_match_id());
  insert.setString(11, now);
  insert.setString(12, now);
  insert.executeUpdate();
  ChangeRecord record{project.id(), common::v1::Change::CREATED, project.area_path(), &project,
                      nullptr};
  record.carries_request_id = carries_request_id;
  changes.Append(c, write, record);
  return project;
}

std::vector<Project> CoBuildingStore::OfMeeting(db::Connection& c, const std::string& meeting_id) {
  auto& select =
      c.Prepare(absl::StrCat("SELECT ", kColumns, kFromProjects,
                             " WHERE p.joint_meeting_id = ? ORDER BY p.decision_number"));
  select.setString(1, meeting_id);
  std::vector<Project> projects;
  auto rows = c.Query(select);
  while (rows->next()) projects.push_back(ReadProject(*rows));
  return projects;
}

}  // namespace grassroots::orgs
