// Import files of any record type: CSV by the record's fields, JSON lines,
// errors naming the line.
#include "common/import/record_parser.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "grassroots/grid/v1/case.pb.h"
#include "grassroots/orgs/v1/organisation.pb.h"
#include "grassroots/orgs/v1/place.pb.h"

namespace grassroots {
namespace {

using orgs::v1::PlaceImportRecord;

absl::Status NoCheck(const PlaceImportRecord&) { return absl::OkStatus(); }

TEST(RecordParserTest, CsvColumnsAreTheRecordsFieldsInOrder) {
  EXPECT_EQ(CsvHeaderOf(PlaceImportRecord::default_instance()),
            "kind,display_name,area_path,resident_count,employee_count");
  auto lines =
      ParseImport<PlaceImportRecord>(common::v1::CSV,
                                     "kind,display_name,area_path,resident_count,employee_count\n"
                                     "RESIDENTIAL_COMPOUND,\"Garden, North\",d1/s1/c1,820,\n"
                                     "\n"
                                     "MARKET,Fish Market,d1/s1,,310\r\n",
                                     NoCheck);
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].line_number, 2);
  EXPECT_EQ((*lines)[0].record.kind(), orgs::v1::RESIDENTIAL_COMPOUND);
  EXPECT_EQ((*lines)[0].record.display_name(), "Garden, North");
  EXPECT_EQ((*lines)[0].record.resident_count(), 820);
  EXPECT_EQ((*lines)[1].line_number, 4);
  EXPECT_EQ((*lines)[1].record.employee_count(), 310);
}

TEST(RecordParserTest, BadCellsAndHeadersNameTheLine) {
  auto number = ParseImport<PlaceImportRecord>(
      common::v1::CSV,
      "kind,display_name,area_path,resident_count,employee_count\nMARKET,M,d1/s1,,many\n", NoCheck);
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.status().message(), "data: line 2: employee_count: must be a whole number");
  EXPECT_EQ(ErrorReason(number.status()), "NUMBER_INVALID");
  EXPECT_EQ(ErrorField(number.status()), "data");
  auto header = ParseImport<PlaceImportRecord>(common::v1::CSV, "kind,display_name\n", NoCheck);
  EXPECT_EQ(ErrorReason(header.status()), "CSV_HEADER_INVALID");
  auto count = ParseImport<PlaceImportRecord>(
      common::v1::CSV, "kind,display_name,area_path,resident_count,employee_count\nMARKET,M\n",
      NoCheck);
  EXPECT_EQ(ErrorReason(count.status()), "CSV_MALFORMED");
  auto empty = ParseImport<PlaceImportRecord>(common::v1::CSV, "", NoCheck);
  EXPECT_EQ(ErrorReason(empty.status()), "CSV_HEADER_INVALID");
  EXPECT_EQ(
      ErrorReason(ParseImport<PlaceImportRecord>(common::v1::FILE_FORMAT_UNSPECIFIED, "", NoCheck)
                      .status()),
      "IMPORT_FORMAT_REQUIRED");
}

// JSON lines refuse an unknown name, and so does CSV: a mistyped level
// must not pass as the enum's unset value (and so its default).
TEST(RecordParserTest, AnUnknownEnumNameIsRefusedWithTheNames) {
  auto lines = ParseImport<PlaceImportRecord>(
      common::v1::CSV,
      "kind,display_name,area_path,resident_count,employee_count\nCASTLE,C,d1/s1,,\n", NoCheck);
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(ErrorReason(lines.status()), "ENUM_INVALID");
  EXPECT_NE(lines.status().message().find("data: line 2: kind: must be one of "
                                          "RESIDENTIAL_COMPOUND, "),
            std::string::npos)
      << lines.status();
  // An empty cell is the unset value, left for the record's own rules.
  auto empty = ParseImport<PlaceImportRecord>(
      common::v1::CSV, "kind,display_name,area_path,resident_count,employee_count\n,C,d1/s1,,\n",
      NoCheck);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ((*empty)[0].record.kind(), orgs::v1::PLACE_KIND_UNSPECIFIED);
}

// A case moved from an earlier system: degrees and RFC 3339 times in cells.
TEST(RecordParserTest, CsvCellsHoldNumbersWithDecimalsAndTimes) {
  const std::string header = CsvHeaderOf(grid::v1::CaseImportRecord::default_instance());
  auto row = [](const std::string& lat, const std::string& created) {
    return absl::StrCat("12345,T-1,d1/s1/c1/g1,INCIDENT,RESIDENT,LITTER,", lat,
                        ",120.1551,,bags by the stop,,REPORTED,,,0,,0,", created, ",\n");
  };
  auto lines = ParseImport<grid::v1::CaseImportRecord>(
      common::v1::CSV, header + "\n" + row("30.2741", "2025-03-01T08:30:00.25+08:00"),
      [](const auto&) { return absl::OkStatus(); });
  ASSERT_TRUE(lines.ok()) << lines.status();
  const auto& r = (*lines)[0].record;
  EXPECT_DOUBLE_EQ(r.latitude(), 30.2741);
  EXPECT_EQ(r.create_time().seconds(), 1740789000);  // 2025-03-01T00:30:00Z
  EXPECT_EQ(r.create_time().nanos(), 250000000);
  EXPECT_FALSE(r.has_close_time());
  auto degrees = ParseImport<grid::v1::CaseImportRecord>(
      common::v1::CSV, header + "\n" + row("north", "2025-03-01T08:30:00Z"),
      [](const auto&) { return absl::OkStatus(); });
  EXPECT_EQ(ErrorReason(degrees.status()), "NUMBER_INVALID");
  EXPECT_EQ(degrees.status().message(), "data: line 2: latitude: must be a number");
  auto time = ParseImport<grid::v1::CaseImportRecord>(
      common::v1::CSV, header + "\n" + row("30.2741", "1 March 2025"),
      [](const auto&) { return absl::OkStatus(); });
  EXPECT_EQ(ErrorReason(time.status()), "TIME_INVALID");
  EXPECT_NE(time.status().message().find("line 2: create_time: must be an RFC 3339 time"),
            std::string::npos)
      << time.status();
}

TEST(RecordParserTest, JsonLinesAreProto3Json) {
  auto lines = ParseImport<orgs::v1::OrganisationImportRecord>(
      common::v1::JSON_LINES,
      "{\"kind\":\"GRID_BRANCH\",\"code\":\"g1\",\"parentPath\":\"d1/s1/c1\"}\n"
      "{\"kind\":\"GRID_BRANCH\",\"code\":\"g2\"}\n",
      [](const auto&) { return absl::OkStatus(); });
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_EQ((*lines)[0].record.parent_path(), "d1/s1/c1");
  auto unknown = ParseImport<orgs::v1::OrganisationImportRecord>(
      common::v1::JSON_LINES, "{\"kind\":\"GRID_BRANCH\"}\n{\"colour\":1}\n",
      [](const auto&) { return absl::OkStatus(); });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message().substr(0, 14), "data: line 2: ");
  EXPECT_EQ(ErrorReason(unknown.status()), "JSON_MALFORMED");
}

TEST(RecordParserTest, AFileHoldsAtMostTheGivenNumberOfRecords) {
  std::string csv = "kind,display_name,area_path,resident_count,employee_count\n";
  for (int i = 0; i < 4; ++i) csv += "MARKET,M,d1/s1,,1\n";
  EXPECT_TRUE(ParseImport<PlaceImportRecord>(common::v1::CSV, csv, NoCheck, 4).ok());
  auto big = ParseImport<PlaceImportRecord>(common::v1::CSV, csv, NoCheck, 3);
  EXPECT_EQ(ErrorReason(big.status()), "IMPORT_TOO_LARGE");
  EXPECT_NE(big.status().message().find("line 5"), std::string::npos) << big.status();
}

}  // namespace
}  // namespace grassroots
