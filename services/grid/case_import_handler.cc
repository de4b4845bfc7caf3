// CaseHandler::ImportCases: the stream of an earlier system's cases, parsed
// and checked line by line, then stored all or nothing.
#include "common/import/import_reactor.h"
#include "common/server/call.h"
#include "common/server/request_checks.h"
#include "services/grid/case_handler.h"
#include "services/grid/case_import_rules.h"

namespace grassroots::grid {

grpc::ServerReadReactor<common::v1::ImportChunk>* CaseHandler::ImportCases(
    grpc::CallbackServerContext* context, common::v1::ImportResult* response) {
  return HandleImport(
      context, env_, response,
      [this](const Call& call, common::v1::FileFormat format, const std::string& data,
             const std::string& request_id, common::v1::ImportResult* result) -> absl::Status {
        const WriteContext write = call.Write(*env_.clock, request_id);
        auto lines = ParseImport<v1::CaseImportRecord>(
            format, data, [&write](const v1::CaseImportRecord& r) {
              return ValidateCaseImportLine(r, write.now);
            });
        if (!lines.ok()) return lines.status();
        return Assign(cases_.Import(call.principal.scope_path(), write, *lines), result);
      });
}

}  // namespace grassroots::grid
