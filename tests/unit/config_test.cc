#include "common/config/config.h"

#include <gtest/gtest.h>

namespace grassroots {
namespace {

std::vector<ConfigOption> Spec() {
  return {{"port", ConfigOption::Kind::kInt, "80", "port"},
          {"name", ConfigOption::Kind::kString, "", "name", /*required=*/true},
          {"password", ConfigOption::Kind::kString, "", "secret", false, /*secret=*/true},
          {"verbose", ConfigOption::Kind::kBool, "false", "verbose"}};
}

TEST(ConfigTest, FlagBeatsEnvironmentBeatsDefault) {
  auto config = Config::Load(Spec(), {"--name=a", "--port=90"},
                             {{"GRASSROOTS_PORT", "85"}, {"GRASSROOTS_NAME", "b"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->GetInt("port"), 90);
  EXPECT_EQ(config->GetString("name"), "a");
  auto from_env = Config::Load(Spec(), {}, {{"GRASSROOTS_PORT", "85"}, {"GRASSROOTS_NAME", "b"}});
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->GetInt("port"), 85);
  EXPECT_FALSE(from_env->GetBool("verbose"));
}

TEST(ConfigTest, RefusesUnknownFlagsWithTheirName) {
  auto config = Config::Load(Spec(), {"--name=a", "--colour=red"}, {});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(), "configuration: unknown option --colour");
}

TEST(ConfigTest, RefusesMalformedNumbersAndMissingRequired) {
  auto bad = Config::Load(Spec(), {"--name=a", "--port=eighty"}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--port"), absl::string_view::npos);
  auto missing = Config::Load(Spec(), {}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("GRASSROOTS_NAME"), absl::string_view::npos);
}

TEST(ConfigTest, MasksSecrets) {
  auto config = Config::Load(Spec(), {"--name=a", "--password=hunter2", "--verbose"}, {});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->Masked().at("password"), "*****");
  EXPECT_EQ(config->Masked().at("name"), "a");
  EXPECT_TRUE(config->GetBool("verbose"));
}

// docs/CONFIGURATION.md is parsed from this text: its shape is the contract.
TEST(ConfigTest, UsageNamesEveryOptionItsVariableDefaultAndMarks) {
  EXPECT_EQ(Config::Usage(Spec()),
            "  --port=INT (GRASSROOTS_PORT) default 80\n      port\n"
            "  --name=STRING (GRASSROOTS_NAME) required\n      name\n"
            "  --password=STRING (GRASSROOTS_PASSWORD) secret\n      secret\n"
            "  --verbose=BOOL (GRASSROOTS_VERBOSE) default false\n      verbose\n");
}

}  // namespace
}  // namespace grassroots
