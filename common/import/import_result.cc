#include "common/import/import_result.h"

#include "common/changes/earlier_result.h"

namespace grassroots {

void RecordImportResult(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                        const std::string& what, const std::string& path,
                        const common::v1::ImportResult& result) {
  if (write.request_id.empty()) return;
  changes.Append(c, write, {"import/" + what, common::v1::Change::CREATED, path, &result, nullptr});
}

absl::StatusOr<common::v1::ImportResult> ImportedEarlierOr(db::ConnectionPool& pool,
                                                           const ChangeLog& changes,
                                                           const WriteContext& write,
                                                           absl::Status failure) {
  return EarlierResultOr<common::v1::ImportResult>(pool, changes, write, std::move(failure));
}

}  // namespace grassroots
