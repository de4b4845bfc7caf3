#pragma once

#include <google/protobuf/any.pb.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/connection.h"
#include "grassroots/common/v1/changes.pb.h"

namespace grassroots {

// Who is writing, and under which request id, for the audit columns.
struct WriteContext {
  std::string actor;
  std::string request_id;  // empty when the call carried none
  absl::Time now;
};

struct ChangeRecord {
  std::string resource_id;
  common::v1::Change::Action action = common::v1::Change::ACTION_UNSPECIFIED;
  std::string path;
  const google::protobuf::Message* after = nullptr;
  const google::protobuf::Message* before = nullptr;
  // Only the record a request is about carries its request id; records it
  // changes as a consequence (a moved subtree's descendants) do not.
  bool carries_request_id = true;
};

// Reads and writes the change_log table (see common/migrations). Stores call
// Append inside the transaction that makes the change, so the audit row and
// the outbox event commit or roll back with it.
class ChangeLog {
 public:
  // `service` prefixes event ids ("orgs:42"), making them unique suite-wide.
  explicit ChangeLog(std::string service) : service_(std::move(service)) {}

  void Append(db::Connection& connection, const WriteContext& context,
              const ChangeRecord& record) const;
  // Several changes in one multi-row INSERT (one round trip).
  struct Entry {
    const WriteContext* context;
    ChangeRecord record;
  };
  void AppendAll(db::Connection& connection, const std::vector<Entry>& entries) const;

  // The state recorded by the first write `actor` made under `request_id`.
  std::optional<google::protobuf::Any> FindRequestResult(db::Connection& connection,
                                                         const std::string& actor,
                                                         const std::string& request_id) const;

  // Sequenced changes after `after_sequence`, under `path_prefix` (empty:
  // all), oldest first.
  std::vector<common::v1::Change> Read(db::Connection& connection, int64_t after_sequence,
                                       int limit, const std::string& path_prefix) const;

 private:
  const std::string service_;
};

}  // namespace grassroots
