#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace grassroots {

// One configuration option. Its flag is --<name>, its environment variable
// GRASSROOTS_<NAME> with '-' as '_'. A flag beats the environment, which
// beats the default.
struct ConfigOption {
  enum class Kind { kString, kInt, kBool };
  std::string name;
  Kind kind = Kind::kString;
  std::string default_value;
  std::string help;
  bool required = false;
  bool secret = false;  // masked wherever the configuration is printed
};

class Config {
 public:
  // Unknown flags, malformed numbers and missing required options are
  // refused with a one-line reason that names the option.
  static absl::StatusOr<Config> Load(std::vector<ConfigOption> spec,
                                     const std::vector<std::string>& args,
                                     const std::map<std::string, std::string>& environment);
  // Reads argv and the process environment. `--help` prints Usage(spec)
  // and exits 0 instead: docs/CONFIGURATION.md is generated from it.
  static absl::StatusOr<Config> FromProcess(std::vector<ConfigOption> spec, int argc, char** argv);
  // One entry per option: "  --name=KIND (GRASSROOTS_NAME)[ default V][ required][ secret]"
  // and its help on the next line, indented.
  static std::string Usage(const std::vector<ConfigOption>& spec);

  const std::string& GetString(const std::string& name) const;
  int64_t GetInt(const std::string& name) const;
  bool GetBool(const std::string& name) const;

  // "name=value" pairs with secrets masked, for the start-up log.
  std::map<std::string, std::string> Masked() const;

 private:
  std::vector<ConfigOption> spec_;
  std::map<std::string, std::string> values_;
};

std::string EnvironmentName(const std::string& option_name);

}  // namespace grassroots
