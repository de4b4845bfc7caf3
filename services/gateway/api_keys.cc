#include "services/gateway/api_keys.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto/sha256.h"

namespace grassroots::gateway {
namespace {

int64_t ModifiedNs(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
}

// Certificate entries share the map with digests: "x509:" cannot begin a
// hex digest, and a presented API key is hashed before it is looked up.
constexpr absl::string_view kCertificatePrefix = "x509:";

bool IsHexDigest(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<absl::flat_hash_map<std::string, common::v1::Principal>> ApiKeys::Parse(
    const std::string& text) {
  absl::flat_hash_map<std::string, common::v1::Principal> keys;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    std::vector<std::string> fields = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    const bool certificate = fields.size() == 4 &&
                             absl::StartsWith(fields[1], kCertificatePrefix) &&
                             fields[1].size() > kCertificatePrefix.size();
    if (fields.size() != 4 || !(certificate || IsHexDigest(fields[1]))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "api keys line ", number,
          ": expected '<key id> <sha256 hex> <roles> <scope or ->' with a 64-digit digest, or "
          "'<id> x509:<certificate common name> <roles> <scope or ->'"));
    }
    common::v1::Principal principal;
    principal.set_id(fields[0]);
    for (absl::string_view role : absl::StrSplit(fields[2], ',', absl::SkipEmpty())) {
      principal.add_roles(std::string(role));
    }
    principal.set_scope_path(fields[3] == "-" ? "" : fields[3]);
    keys[fields[1]] = std::move(principal);
  }
  return keys;
}

absl::Status ApiKeys::Load() {
  const int64_t mtime = ModifiedNs(path_);
  std::ifstream in(path_);
  if (!in) return absl::InvalidArgumentError("configuration: cannot read api keys file " + path_);
  std::stringstream text;
  text << in.rdbuf();
  auto keys = Parse(text.str());
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&mu_);
  by_digest_ = *std::move(keys);
  loaded_mtime_ns_ = mtime;
  return absl::OkStatus();
}

void ApiKeys::ReloadIfChanged() {
  {
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_.Now();
    if (now - last_check_ < absl::Seconds(1)) return;
    last_check_ = now;
    if (ModifiedNs(path_) == loaded_mtime_ns_) return;
  }
  (void)Load();  // a bad file keeps the keys already in force
}

std::optional<common::v1::Principal> ApiKeys::Authenticate(const std::string& secret) {
  if (secret.empty()) return std::nullopt;
  ReloadIfChanged();
  const std::string digest = Sha256Hex(secret);
  absl::MutexLock lock(&mu_);
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) return std::nullopt;
  return it->second;
}

std::optional<common::v1::Principal> ApiKeys::AuthenticateCertificate(
    absl::string_view common_name) {
  if (common_name.empty()) return std::nullopt;
  ReloadIfChanged();
  absl::MutexLock lock(&mu_);
  auto it = by_digest_.find(absl::StrCat(kCertificatePrefix, common_name));
  if (it == by_digest_.end()) return std::nullopt;
  return it->second;
}

}  // namespace grassroots::gateway
