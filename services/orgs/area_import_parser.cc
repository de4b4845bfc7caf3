#include "services/orgs/area_import_parser.h"

#include "services/orgs/area_rules.h"

namespace grassroots::orgs {

absl::StatusOr<std::vector<AreaImportLine>> ParseAreaImport(common::v1::FileFormat format,
                                                            absl::string_view data) {
  return ParseImport<v1::AreaImportRecord>(
      format, data, [](const v1::AreaImportRecord& record) -> absl::Status {
        for (const absl::Status& s :
             {ValidateKind("kind", record.kind()), ValidateAreaCode("code", record.code()),
              ValidateDisplayName("display_name", record.display_name())}) {
          if (!s.ok()) return s;
        }
        return absl::OkStatus();
      });
}

}  // namespace grassroots::orgs
