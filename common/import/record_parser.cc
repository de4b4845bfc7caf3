#include "common/import/record_parser.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/status/errors.h"

namespace grassroots {
namespace {

using google::protobuf::FieldDescriptor;

absl::Status LineError(int line, absl::string_view reason, absl::string_view message) {
  return InvalidField("data", reason, absl::StrCat("line ", line, ": ", message));
}

// An RFC 3339 time ("2025-03-01T08:30:00Z", an offset allowed) into a
// google.protobuf.Timestamp.
absl::Status SetTimestampCell(google::protobuf::Message& timestamp, const std::string& name,
                              const std::string& cell) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, cell, &time, &error)) {
    return InvalidField(name, "TIME_INVALID",
                        "must be an RFC 3339 time such as 2025-03-01T08:30:00Z");
  }
  const auto* descriptor = timestamp.GetDescriptor();
  const auto* reflection = timestamp.GetReflection();
  const int64_t seconds = absl::ToUnixSeconds(time);
  reflection->SetInt64(&timestamp, descriptor->FindFieldByName("seconds"), seconds);
  reflection->SetInt32(
      &timestamp, descriptor->FindFieldByName("nanos"),
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return absl::OkStatus();
}

// Fills one field of `record` from a CSV cell.
absl::Status SetCell(google::protobuf::Message& record, const FieldDescriptor& field,
                     const std::string& cell) {
  const auto* reflection = record.GetReflection();
  auto whole_number = [&]() -> absl::Status {
    return InvalidField(field.name(), "NUMBER_INVALID", "must be a whole number");
  };
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(&record, &field, cell);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!cell.empty() && !absl::SimpleAtoi(cell, &v)) return whole_number();
      reflection->SetInt32(&record, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v = 0;
      if (!cell.empty() && !absl::SimpleAtoi(cell, &v)) return whole_number();
      reflection->SetInt64(&record, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v = 0;
      if (!cell.empty() && !absl::SimpleAtod(cell, &v)) {
        return InvalidField(field.name(), "NUMBER_INVALID", "must be a number");
      }
      reflection->SetDouble(&record, &field, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field.message_type()->full_name() != "google.protobuf.Timestamp" || field.is_repeated()) {
        break;
      }
      // An empty cell leaves the time unset (MutableMessage would set it).
      if (cell.empty()) return absl::OkStatus();
      return SetTimestampCell(*reflection->MutableMessage(&record, &field), field.name(), cell);
    case FieldDescriptor::CPPTYPE_BOOL: {
      if (cell != "" && cell != "true" && cell != "false") {
        return InvalidField(field.name(), "BOOL_INVALID", "must be true or false");
      }
      reflection->SetBool(&record, &field, cell == "true");
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = field.enum_type()->FindValueByName(cell);
      // A mistyped name must not pass as the enum's unset value.
      if (value == nullptr && !cell.empty()) {
        std::vector<std::string> names;
        for (int i = 1; i < field.enum_type()->value_count(); ++i) {
          names.push_back(field.enum_type()->value(i)->name());
        }
        return InvalidField(field.name(), "ENUM_INVALID",
                            absl::StrCat("must be one of ", absl::StrJoin(names, ", ")));
      }
      reflection->SetEnumValue(&record, &field, value == nullptr ? 0 : value->number());
      return absl::OkStatus();
    }
    default:
      break;
  }
  return InvalidField(field.name(), "CSV_FIELD_UNSUPPORTED",
                      "this field cannot be given in CSV; use JSON lines");
}

// A record's field error as an error of the file: field "data", the
// message "line N: <field>: ...", the reason kept.
absl::Status AsLineError(int line, const absl::Status& status) {
  if (!absl::IsInvalidArgument(status)) return AtLine(line, status);
  return LineError(line, ErrorReason(status).value_or("RECORD_INVALID"), status.message());
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

std::string CsvHeaderOf(const google::protobuf::Message& prototype) {
  const auto* descriptor = prototype.GetDescriptor();
  std::vector<std::string> names;
  for (int i = 0; i < descriptor->field_count(); ++i) names.push_back(descriptor->field(i)->name());
  return absl::StrJoin(names, ",");
}

absl::Status AtLine(int line_number, const absl::Status& status) {
  absl::Status out(status.code(), absl::StrCat("line ", line_number, ": ", status.message()));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

absl::Status ParseImportFile(
    common::v1::FileFormat format, absl::string_view data,
    const google::protobuf::Message& prototype, size_t max_lines,
    const std::function<absl::Status(int, const google::protobuf::Message&)>& add) {
  if (format != common::v1::CSV && format != common::v1::JSON_LINES) {
    return InvalidField("format", "IMPORT_FORMAT_REQUIRED", "must be CSV or JSON_LINES");
  }
  const auto* descriptor = prototype.GetDescriptor();
  const std::string header = CsvHeaderOf(prototype);
  std::unique_ptr<google::protobuf::Message> record(prototype.New());
  size_t records = 0;
  int number = 0;
  bool header_seen = false;
  for (absl::string_view raw : absl::StrSplit(data, '\n')) {
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (absl::StripAsciiWhitespace(raw).empty()) continue;
    if (records >= max_lines && (format != common::v1::CSV || header_seen)) {
      return LineError(number, "IMPORT_TOO_LARGE",
                       absl::StrCat("an import holds at most ", max_lines, " records"));
    }
    record->Clear();
    if (format == common::v1::CSV) {
      auto fields = SplitCsvLine(raw);
      if (!fields.ok()) return LineError(number, "CSV_MALFORMED", fields.status().message());
      if (!header_seen) {
        if (absl::StrJoin(*fields, ",") != header) {
          return LineError(number, "CSV_HEADER_INVALID",
                           absl::StrCat("the first line must be ", header));
        }
        header_seen = true;
        continue;
      }
      if (static_cast<int>(fields->size()) != descriptor->field_count()) {
        return LineError(number, "CSV_MALFORMED",
                         absl::StrCat("expected ", descriptor->field_count(), " fields, found ",
                                      fields->size()));
      }
      for (int i = 0; i < descriptor->field_count(); ++i) {
        if (auto s = SetCell(*record, *descriptor->field(i), (*fields)[i]); !s.ok()) {
          return AsLineError(number, s);
        }
      }
    } else {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      auto parsed =
          google::protobuf::util::JsonStringToMessage(std::string(raw), record.get(), options);
      if (!parsed.ok()) return LineError(number, "JSON_MALFORMED", std::string(parsed.message()));
    }
    if (auto s = add(number, *record); !s.ok()) return AsLineError(number, s);
    ++records;
  }
  if (format == common::v1::CSV && !header_seen) {
    return LineError(1, "CSV_HEADER_INVALID", absl::StrCat("the first line must be ", header));
  }
  return absl::OkStatus();
}

}  // namespace grassroots
