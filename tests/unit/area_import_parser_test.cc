#include "services/orgs/area_import_parser.h"

#include <gtest/gtest.h>

#include "common/status/errors.h"

namespace grassroots::orgs {
namespace {

namespace Format = grassroots::common::v1;

TEST(AreaImportParserTest, ParsesCsvWithQuotes) {
  auto lines = ParseAreaImport(Format::CSV,
                               "kind,code,display_name,parent_path\r\n"
                               "DISTRICT,d01,\"Huangpu, old town\",\n"
                               "\n"
                               "STREET,s01,\"The \"\"Bund\"\"\",d01\n");
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].line_number, 2);
  EXPECT_EQ((*lines)[0].record.display_name(), "Huangpu, old town");
  EXPECT_EQ((*lines)[1].line_number, 4);
  EXPECT_EQ((*lines)[1].record.display_name(), "The \"Bund\"");
  EXPECT_EQ((*lines)[1].record.parent_path(), "d01");
}

TEST(AreaImportParserTest, ParsesJsonLines) {
  auto lines = ParseAreaImport(
      Format::JSON_LINES,
      "{\"kind\":\"DISTRICT\",\"code\":\"d01\",\"displayName\":\"D1\"}\n"
      "{\"kind\":\"STREET\",\"code\":\"s01\",\"display_name\":\"S1\",\"parentPath\":\"d01\"}\n");
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[1].record.kind(), v1::STREET);
}

TEST(AreaImportParserTest, ErrorsNameTheLineAndColumn) {
  auto bad_code = ParseAreaImport(Format::CSV,
                                  "kind,code,display_name,parent_path\n"
                                  "DISTRICT,d01,D1,\n"
                                  "STREET,S 01,Bad,d01\n");
  ASSERT_FALSE(bad_code.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(bad_code.status()));
  EXPECT_EQ(bad_code.status().message().substr(0, 20), "data: line 3: code: ");
  EXPECT_EQ(ErrorReason(bad_code.status()), "AREA_CODE_INVALID");

  auto bad_json = ParseAreaImport(Format::JSON_LINES, "{\"kind\":\"DISTRICT\",\"colour\":1}\n");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.status().message().substr(0, 14), "data: line 1: ");

  auto bad_header = ParseAreaImport(Format::CSV, "code,kind\n");
  EXPECT_EQ(ErrorReason(bad_header.status()), "CSV_HEADER_INVALID");
  auto bad_kind = ParseAreaImport(Format::CSV, "kind,code,display_name,parent_path\nCITY,x,X,\n");
  // A kind no tree has is named as such, with the kinds there are.
  EXPECT_EQ(ErrorReason(bad_kind.status()), "ENUM_INVALID");
  EXPECT_EQ(bad_kind.status().message().substr(0, 39), "data: line 2: kind: must be one of DIST");
  EXPECT_FALSE(ParseAreaImport(Format::FILE_FORMAT_UNSPECIFIED, "").ok());
}

TEST(AreaImportParserTest, CsvFieldSplitting) {
  EXPECT_EQ(*SplitCsvLine("a,,\"b,c\""), (std::vector<std::string>{"a", "", "b,c"}));
  EXPECT_FALSE(SplitCsvLine("\"open").ok());
  EXPECT_FALSE(SplitCsvLine("\"a\"b").ok());
}

}  // namespace
}  // namespace grassroots::orgs
