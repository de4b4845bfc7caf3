#pragma once

#include <google/protobuf/any.pb.h>

#include <optional>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "common/status/errors.h"

namespace grassroots {

// The state the first write under write.request_id recorded, if any (read
// outside the failed transaction).
std::optional<google::protobuf::Any> FindEarlierResult(db::ConnectionPool& pool,
                                                       const ChangeLog& changes,
                                                       const WriteContext& write);

// After an idempotent create failed (a duplicate key, an unknown commit
// outcome): the same request may have succeeded before, and then the caller
// gets that first answer instead of the failure.
template <typename Message>
absl::StatusOr<Message> EarlierResultOr(db::ConnectionPool& pool, const ChangeLog& changes,
                                        const WriteContext& write, absl::Status failure) {
  if (write.request_id.empty()) return failure;
  std::optional<google::protobuf::Any> first = FindEarlierResult(pool, changes, write);
  if (!first.has_value()) return failure;
  Message earlier;
  if (first->UnpackTo(&earlier)) return earlier;
  return FailedPrecondition("REQUEST_ID_REUSED",
                            "request_id was already used for a different kind of request");
}

}  // namespace grassroots
