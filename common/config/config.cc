#include "common/config/config.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

extern char** environ;

namespace grassroots {
namespace {

const ConfigOption* Find(const std::vector<ConfigOption>& spec, const std::string& name) {
  for (const auto& option : spec) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

absl::Status Check(const ConfigOption& option, const std::string& value,
                   const std::string& source) {
  if (option.kind == ConfigOption::Kind::kInt) {
    int64_t parsed;
    if (!absl::SimpleAtoi(value, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("configuration ", source, ": '", value, "' is not a whole number"));
    }
  }
  if (option.kind == ConfigOption::Kind::kBool) {
    bool parsed;
    if (!absl::SimpleAtob(value, &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("configuration ", source, ": '", value, "' is not true or false"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string EnvironmentName(const std::string& option_name) {
  return "GRASSROOTS_" + absl::AsciiStrToUpper(absl::StrReplaceAll(option_name, {{"-", "_"}}));
}

absl::StatusOr<Config> Config::Load(std::vector<ConfigOption> spec,
                                    const std::vector<std::string>& args,
                                    const std::map<std::string, std::string>& environment) {
  Config config;
  config.spec_ = std::move(spec);
  for (const auto& option : config.spec_) {
    config.values_[option.name] = option.default_value;
    auto env = environment.find(EnvironmentName(option.name));
    if (env != environment.end()) {
      if (auto s = Check(option, env->second, EnvironmentName(option.name)); !s.ok()) return s;
      config.values_[option.name] = env->second;
    }
  }
  for (const auto& arg : args) {
    if (arg.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("configuration: unexpected argument '", arg,
                                                     "' (options look like --name=value)"));
    }
    std::string body = arg.substr(2);
    std::string name = body, value = "true";
    if (auto eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
    }
    const ConfigOption* option = Find(config.spec_, name);
    if (option == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("configuration: unknown option --", name));
    }
    if (option->kind != ConfigOption::Kind::kBool && body.find('=') == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("configuration: --", name, " needs a value"));
    }
    if (auto s = Check(*option, value, "--" + name); !s.ok()) return s;
    config.values_[name] = value;
  }
  for (const auto& option : config.spec_) {
    if (option.required && config.values_[option.name].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("configuration: --", option.name, " (or ",
                                                     EnvironmentName(option.name),
                                                     ") is required"));
    }
  }
  return config;
}

absl::StatusOr<Config> Config::FromProcess(std::vector<ConfigOption> spec, int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const auto& arg : args) {
    if (arg == "--help") {
      std::fputs(absl::StrCat("usage: ", argv[0], " [--option=value]...\n", Usage(spec)).c_str(),
                 stdout);
      std::exit(0);
    }
  }
  std::map<std::string, std::string> environment;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind("GRASSROOTS_", 0) != 0) continue;
    auto eq = entry.find('=');
    if (eq != std::string::npos) environment[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return Load(std::move(spec), args, environment);
}

const std::string& Config::GetString(const std::string& name) const { return values_.at(name); }

int64_t Config::GetInt(const std::string& name) const {
  int64_t value = 0;
  (void)absl::SimpleAtoi(values_.at(name), &value);  // validated in Load
  return value;
}

bool Config::GetBool(const std::string& name) const {
  bool value = false;
  (void)absl::SimpleAtob(values_.at(name), &value);
  return value;
}

std::map<std::string, std::string> Config::Masked() const {
  std::map<std::string, std::string> out;
  for (const auto& option : spec_) {
    const std::string& value = values_.at(option.name);
    out[option.name] = option.secret ? (value.empty() ? "" : "*****") : value;
  }
  return out;
}

std::string Config::Usage(const std::vector<ConfigOption>& spec) {
  std::string out;
  for (const auto& option : spec) {
    const char* kind = option.kind == ConfigOption::Kind::kInt    ? "INT"
                       : option.kind == ConfigOption::Kind::kBool ? "BOOL"
                                                                  : "STRING";
    absl::StrAppend(&out, "  --", option.name, "=", kind, " (", EnvironmentName(option.name), ")",
                    option.default_value.empty() ? "" : " default " + option.default_value,
                    option.required ? " required" : "", option.secret ? " secret" : "", "\n      ",
                    option.help, "\n");
  }
  return out;
}

}  // namespace grassroots
