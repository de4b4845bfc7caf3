#pragma once

#include <google/protobuf/message.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grassroots/common/v1/import.pb.h"

namespace grassroots {

// One record of an import file, with its line number for error messages.
template <typename Record>
struct ImportLine {
  int line_number = 0;
  Record record;
};

// Splits one CSV line into fields: commas separate, a field may be quoted
// ("a, b"), "" inside quotes is a quote.
absl::StatusOr<std::vector<std::string>> SplitCsvLine(absl::string_view line);

// Parses an import file into records of the prototype's type, calling
// `add(line_number, record)` for each (blank lines are skipped). CSV needs a
// header naming the record's fields in declaration order; cells fill them
// by type (strings as they are, whole numbers, enum values by name; an
// unknown enum name leaves the field unspecified for the record's own
// validation to refuse). JSON lines are proto3 JSON, unknown fields refused.
// Errors are INVALID_ARGUMENT on field "data" and say "line N: ..."; an
// INVALID_ARGUMENT from `add` (the record's validation) becomes one too.
absl::Status ParseImportFile(
    common::v1::FileFormat format, absl::string_view data,
    const google::protobuf::Message& prototype, size_t max_lines,
    const std::function<absl::Status(int, const google::protobuf::Message&)>& add);

// The header a CSV file of `prototype`'s records starts with.
std::string CsvHeaderOf(const google::protobuf::Message& prototype);

// `status` with "line N: " before its message, its reason and field kept:
// for errors found while storing a line.
absl::Status AtLine(int line_number, const absl::Status& status);

// The records of a file, each checked by `validate` (its errors become
// the file's, naming the line).
template <typename Record>
absl::StatusOr<std::vector<ImportLine<Record>>> ParseImport(
    common::v1::FileFormat format, absl::string_view data,
    const std::function<absl::Status(const Record&)>& validate, size_t max_lines = 200000) {
  std::vector<ImportLine<Record>> lines;
  absl::Status status =
      ParseImportFile(format, data, Record::default_instance(), max_lines,
                      [&](int line, const google::protobuf::Message& message) -> absl::Status {
                        const auto& record = static_cast<const Record&>(message);
                        if (auto s = validate(record); !s.ok()) return s;
                        lines.push_back({line, record});
                        return absl::OkStatus();
                      });
  if (!status.ok()) return status;
  return lines;
}

}  // namespace grassroots
