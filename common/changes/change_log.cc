#include "common/changes/change_log.h"

#include "absl/strings/str_cat.h"
#include "common/auth/scope.h"
#include "common/db/db_time.h"
#include "common/db/sql_parameters.h"
#include "common/time/proto_time.h"

namespace grassroots {
namespace {

std::string Pack(const google::protobuf::Message& message) {
  google::protobuf::Any any;
  any.PackFrom(message);
  return any.SerializeAsString();
}

void SetBlobOrNull(sql::PreparedStatement& statement, int index,
                   const google::protobuf::Message* message, std::string* storage) {
  if (message == nullptr) {
    statement.setNull(index, sql::DataType::LONGVARBINARY);
  } else {
    *storage = Pack(*message);
    statement.setString(index, *storage);
  }
}

}  // namespace

void ChangeLog::Append(db::Connection& connection, const WriteContext& context,
                       const ChangeRecord& record) const {
  AppendAll(connection, {{&context, record}});
}

void ChangeLog::AppendAll(db::Connection& connection, const std::vector<Entry>& entries) const {
  if (entries.empty()) return;
  constexpr int kColumns = 9;
  auto& insert = connection.Prepare(absl::StrCat(
      "INSERT INTO change_log (resource_type, resource_id, action, path, actor, request_id,"
      " commit_time, after_state, before_state) VALUES ",
      db::ParameterRows(kColumns, static_cast<int>(entries.size()))));
  std::vector<std::string> blobs(entries.size() * 2);
  int index = 1;
  for (size_t i = 0; i < entries.size(); ++i) {
    const WriteContext& context = *entries[i].context;
    const ChangeRecord& record = entries[i].record;
    const google::protobuf::Message* state = record.after != nullptr ? record.after : record.before;
    insert.setString(index++, state != nullptr ? state->GetDescriptor()->full_name() : "");
    insert.setString(index++, record.resource_id);
    insert.setInt(index++, static_cast<int>(record.action));
    insert.setString(index++, record.path);
    insert.setString(index++, context.actor);
    if (record.carries_request_id && !context.request_id.empty()) {
      insert.setString(index++, context.request_id);
    } else {
      insert.setNull(index++, sql::DataType::VARCHAR);
    }
    insert.setString(index++, db::ToDbTime(context.now));
    SetBlobOrNull(insert, index++, record.after, &blobs[2 * i]);
    SetBlobOrNull(insert, index++, record.before, &blobs[2 * i + 1]);
  }
  insert.executeUpdate();
}

std::optional<google::protobuf::Any> ChangeLog::FindRequestResult(
    db::Connection& connection, const std::string& actor, const std::string& request_id) const {
  auto& select =
      connection.Prepare("SELECT after_state FROM change_log WHERE actor = ? AND request_id = ?");
  select.setString(1, actor);
  select.setString(2, request_id);
  auto rows = connection.Query(select);
  if (!rows->next()) return std::nullopt;
  google::protobuf::Any any;
  if (!rows->isNull(1)) any.ParseFromString(rows->getString(1));
  return any;
}

std::vector<common::v1::Change> ChangeLog::Read(db::Connection& connection, int64_t after_sequence,
                                                int limit, const std::string& path_prefix) const {
  auto& select = connection.Prepare(
      "SELECT id, sequence, resource_type, resource_id, action, path, actor, request_id,"
      " commit_time, after_state, before_state FROM change_log"
      " WHERE sequence > ? AND (? = '' OR path = ? OR path LIKE ?)"
      " ORDER BY sequence LIMIT ?");
  select.setInt64(1, after_sequence);
  select.setString(2, path_prefix);
  select.setString(3, path_prefix);
  select.setString(4, DescendantsLikePattern(path_prefix));
  select.setInt(5, limit);
  auto rows = connection.Query(select);
  std::vector<common::v1::Change> changes;
  while (rows->next()) {
    common::v1::Change& change = changes.emplace_back();
    change.set_event_id(absl::StrCat(service_, ":", rows->getUInt64(1)));
    change.set_sequence(rows->getInt64(2));
    change.set_resource_type(rows->getString(3));
    change.set_resource_id(rows->getString(4));
    change.set_action(static_cast<common::v1::Change::Action>(rows->getInt(5)));
    change.set_path(rows->getString(6));
    change.set_actor(rows->getString(7));
    if (!rows->isNull(8)) change.set_request_id(rows->getString(8));
    ToProtoTime(db::FromDbTime(rows->getString(9)), change.mutable_commit_time());
    if (!rows->isNull(10)) change.mutable_after()->ParseFromString(rows->getString(10));
    if (!rows->isNull(11)) change.mutable_before()->ParseFromString(rows->getString(11));
  }
  return changes;
}

}  // namespace grassroots
