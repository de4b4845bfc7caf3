#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection.h"
#include "common/db/connection_pool.h"
#include "grassroots/common/v1/import.pb.h"

namespace grassroots {

// Inside an import's transaction: a change row holding the import's result
// under the caller's request id (resource "import/<what>", at `path`), so a
// retry of the same import answers that result instead of importing again.
// Nothing is written without a request id.
void RecordImportResult(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                        const std::string& what, const std::string& path,
                        const common::v1::ImportResult& result);

// After an import failed: the first result under the same request id, if
// the import was done before; else the failure.
absl::StatusOr<common::v1::ImportResult> ImportedEarlierOr(db::ConnectionPool& pool,
                                                           const ChangeLog& changes,
                                                           const WriteContext& write,
                                                           absl::Status failure);

}  // namespace grassroots
