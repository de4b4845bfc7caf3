#include "common/changes/earlier_result.h"

#include "common/db/transaction.h"

namespace grassroots {

std::optional<google::protobuf::Any> FindEarlierResult(db::ConnectionPool& pool,
                                                       const ChangeLog& changes,
                                                       const WriteContext& write) {
  std::optional<google::protobuf::Any> first;
  absl::Status lookup = db::RunReadOnly(pool, [&](db::Connection& c) {
    first = changes.FindRequestResult(c, write.actor, write.request_id);
    return absl::OkStatus();
  });
  if (!lookup.ok()) return std::nullopt;
  return first;
}

}  // namespace grassroots
