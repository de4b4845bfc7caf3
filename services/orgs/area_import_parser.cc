#include "services/orgs/area_import_parser.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "services/orgs/area_rules.h"

namespace grassroots::orgs {
namespace {

constexpr size_t kMaxLines = 200000;

absl::Status LineError(int line, absl::string_view reason, absl::string_view message) {
  return InvalidField("data", reason, absl::StrCat("line ", line, ": ", message));
}

absl::Status ValidateRecord(int line, const v1::AreaImportRecord& record) {
  for (const absl::Status& s :
       {ValidateKind("kind", record.kind()), ValidateAreaCode("code", record.code()),
        ValidateDisplayName("display_name", record.display_name())}) {
    if (!s.ok()) return LineError(line, *ErrorReason(s), s.message());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> SplitCsvLine(absl::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  bool field_started_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          fields.back().push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"' && fields.back().empty() && !field_started_quoted) {
      quoted = true;
      field_started_quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
      field_started_quoted = false;
    } else if (field_started_quoted) {
      return absl::InvalidArgumentError("text after a closing quote");
    } else {
      fields.back().push_back(c);
    }
  }
  if (quoted) return absl::InvalidArgumentError("a quoted field is not closed");
  return fields;
}

absl::StatusOr<std::vector<ImportLine>> ParseAreaImport(v1::ImportAreasRequest::Format format,
                                                        absl::string_view data) {
  if (format != v1::ImportAreasRequest::CSV && format != v1::ImportAreasRequest::JSON_LINES) {
    return InvalidField("format", "IMPORT_FORMAT_REQUIRED", "must be CSV or JSON_LINES");
  }
  std::vector<ImportLine> lines;
  int number = 0;
  bool header_seen = false;
  for (absl::string_view raw : absl::StrSplit(data, '\n')) {
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (absl::StripAsciiWhitespace(raw).empty()) continue;
    if (lines.size() >= kMaxLines) {
      return LineError(number, "IMPORT_TOO_LARGE",
                       absl::StrCat("an import holds at most ", kMaxLines, " areas"));
    }
    ImportLine line;
    line.line_number = number;
    if (format == v1::ImportAreasRequest::CSV) {
      auto fields = SplitCsvLine(raw);
      if (!fields.ok()) return LineError(number, "CSV_MALFORMED", fields.status().message());
      if (!header_seen) {
        if (absl::StrJoin(*fields, ",") != "kind,code,display_name,parent_path") {
          return LineError(number, "CSV_HEADER_INVALID",
                           "the first line must be kind,code,display_name,parent_path");
        }
        header_seen = true;
        continue;
      }
      if (fields->size() != 4) {
        return LineError(number, "CSV_MALFORMED",
                         absl::StrCat("expected 4 fields, found ", fields->size()));
      }
      v1::AreaKind kind;
      if (!v1::AreaKind_Parse((*fields)[0], &kind)) {
        return LineError(number, "AREA_KIND_REQUIRED",
                         "kind: must be DISTRICT, STREET, TOWN or COMMUNITY");
      }
      line.record.set_kind(kind);
      line.record.set_code((*fields)[1]);
      line.record.set_display_name((*fields)[2]);
      line.record.set_parent_path((*fields)[3]);
    } else {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      auto parsed =
          google::protobuf::util::JsonStringToMessage(std::string(raw), &line.record, options);
      if (!parsed.ok()) {
        return LineError(number, "JSON_MALFORMED", std::string(parsed.message()));
      }
    }
    if (auto s = ValidateRecord(number, line.record); !s.ok()) return s;
    lines.push_back(std::move(line));
  }
  if (format == v1::ImportAreasRequest::CSV && !header_seen) {
    return InvalidField("data", "CSV_HEADER_INVALID",
                        "line 1: the first line must be kind,code,display_name,parent_path");
  }
  return lines;
}

}  // namespace grassroots::orgs
