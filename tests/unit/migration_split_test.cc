#include <gtest/gtest.h>

#include "common/crypto/sha256.h"
#include "common/db/migrator.h"

namespace grassroots::db {
namespace {

TEST(MigrationSplitTest, SplitsOnLineEndingSemicolonsAndDropsComments) {
  auto statements = SplitStatements(
      "-- a comment; not a statement\n"
      "CREATE TABLE a (\n  x INT\n);\n\n"
      "INSERT INTO a VALUES (1);\n"
      "INSERT INTO a VALUES (2)");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (\n  x INT\n)");
  EXPECT_EQ(statements[1], "INSERT INTO a VALUES (1)");
  EXPECT_EQ(statements[2], "INSERT INTO a VALUES (2)");
}

TEST(MigrationSplitTest, ChecksumIsSha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace grassroots::db
