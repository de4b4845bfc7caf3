// grassroots-evidence-writer: writes through the gateway under faults and
// checks afterwards that every accepted write is there, once
// (tests/evidence/faults.sh drives it; docs/RELIABILITY.md).
//
//   grassroots-evidence-writer setup  --target=H:P --api-key-file=F --state=S --tag=T --serial=N
//   grassroots-evidence-writer load   --target=H:P --api-key-file=F --state=S --log=L
//       [--rate=3] [--clients=2] [--seconds=3600] [--give-up-seconds=150] [--part=0]
//   grassroots-evidence-writer verify --target=H:P --api-key-file=F --state=S --log=L
//       [--credit-wait-seconds=180]
//   grassroots-evidence-writer city   --target=H:P --api-key-file=F [--tag=city] [--seed=1]
//       [--scale=0.01] [--as-of=YYYY-MM-DD] [--threads=8] [--import-threads=2]
//
// The key in F needs the admin role of every service, for the whole city.
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "tests/evidence/evidence_modes.h"

namespace {

int Usage(const char* program) {
  std::fprintf(
      stderr,
      "usage: %s setup|load|verify|city --target=HOST:PORT --api-key-file=FILE "
      "[--state=FILE] [--log=FILE] [--tag=TAG --serial=N] [--rate=R --clients=C --seconds=S "
      "--give-up-seconds=G --part=P] [--credit-wait-seconds=W] [--seed=N --scale=X "
      "--as-of=YYYY-MM-DD --threads=T --import-threads=I]\n",
      program);
  return 2;
}

bool ValidTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 20) return false;
  for (char c : tag) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace grassroots::evidence;
  if (argc < 2) return Usage(argv[0]);
  const std::string mode = argv[1];
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.find('=') == std::string::npos) return Usage(argv[0]);
    std::pair<std::string, std::string> kv = absl::StrSplit(arg.substr(2), absl::MaxSplits('=', 1));
    flags[kv.first] = kv.second;
  }
  auto flag = [&](const std::string& name, const std::string& fallback = "") {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  };
  auto number = [&](const std::string& name, double fallback, double* out) {
    const std::string text = flag(name);
    if (text.empty()) {
      *out = fallback;
      return true;
    }
    return absl::SimpleAtod(text, out);
  };
  std::ifstream key_file(flag("api-key-file"));
  std::string key;
  std::getline(key_file, key);
  key = std::string(absl::StripAsciiWhitespace(key));
  if (flag("target").empty() || key.empty() || (mode != "city" && flag("state").empty())) {
    std::fprintf(stderr, "--target, --api-key-file (a key in it) and --state are required\n");
    return Usage(argv[0]);
  }
  const Gateway gateway(flag("target"), key);

  if (mode == "city") {
    CityLoadOptions options;
    options.city.tag = flag("tag", "city");
    double seed = 0, threads = 0, import_threads = 0;
    const std::string as_of = flag(
        "as-of",
        absl::FormatCivilTime(absl::CivilDay(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()))));
    if (!number("seed", 1, &seed) || seed < 0 || seed > 1e15 ||
        !number("scale", 0.01, &options.city.scale) || !number("threads", 8, &threads) ||
        threads < 1 || threads > 256 || !number("import-threads", 2, &import_threads) ||
        import_threads < 1 || import_threads > 16 ||
        !absl::ParseCivilTime(as_of, &options.city.as_of)) {
      std::fprintf(stderr,
                   "city: --seed is a whole number, --scale a number, --threads 1 to 256, "
                   "--import-threads 1 to 16, --as-of YYYY-MM-DD\n");
      return 2;
    }
    options.city.seed = static_cast<uint64_t>(seed);
    options.threads = static_cast<int>(threads);
    options.import_threads = static_cast<int>(import_threads);
    if (auto status = ValidateCityOptions(options.city); !status.ok()) {
      std::fprintf(stderr, "city: %s\n", std::string(status.message()).c_str());
      return 2;
    }
    return RunCity(gateway, options);
  }

  if (mode == "setup") {
    SetupOptions options;
    options.tag = flag("tag");
    options.state_path = flag("state");
    double serial = 0;
    if (!ValidTag(options.tag)) {
      std::fprintf(stderr, "--tag is 1-20 of a-z, 0-9 and '-'\n");
      return 2;
    }
    if (!number("serial", 0, &serial) || serial < 0 || serial > 49) {
      std::fprintf(stderr, "--serial is 0 to 49\n");
      return 2;
    }
    options.serial = static_cast<int>(serial);
    return RunSetup(gateway, options);
  }
  if (mode == "load") {
    LoadOptions options;
    options.state_path = flag("state");
    options.log_path = flag("log");
    double clients = 0, seconds = 0, give_up = 0, part = 0;
    if (options.log_path.empty() || !number("rate", 3, &options.rate_per_service) ||
        !number("clients", 2, &clients) || !number("seconds", 3600, &seconds) ||
        !number("give-up-seconds", 150, &give_up) || !number("part", 0, &part) ||
        options.rate_per_service <= 0 || clients < 1 || seconds <= 0 || give_up <= 0 || part < 0 ||
        part > 9) {
      std::fprintf(stderr,
                   "load needs --log; --rate, --clients, --seconds and "
                   "--give-up-seconds are positive, --part 0 to 9\n");
      return 2;
    }
    options.clients_per_service = static_cast<int>(clients);
    options.duration = absl::Seconds(seconds);
    options.give_up = absl::Seconds(give_up);
    options.part = static_cast<int>(part);
    return RunLoad(gateway, options);
  }
  if (mode == "verify") {
    VerifyOptions options;
    options.state_path = flag("state");
    options.log_path = flag("log");
    double wait = 0;
    if (options.log_path.empty() || !number("credit-wait-seconds", 180, &wait) || wait < 0) {
      std::fprintf(stderr, "verify needs --log; --credit-wait-seconds is not negative\n");
      return 2;
    }
    options.credit_wait = absl::Seconds(wait);
    return RunVerify(gateway, options);
  }
  return Usage(argv[0]);
}
