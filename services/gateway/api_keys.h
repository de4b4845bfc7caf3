#pragma once

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "grassroots/common/v1/principal.pb.h"

namespace grassroots::gateway {

// API keys for system callers, loaded from a file that holds only their
// SHA-256 digests, one key a line:
//   <key id> <sha256 hex of the secret> <roles, comma separated> <scope path or ->
// or, for a system that authenticates with a client certificate (mutual TLS),
//   <id> x509:<certificate common name> <roles> <scope path or ->
// '#' starts a comment. The file is re-read when it changes (checked at most
// once a second), so keys are added and revoked without a restart; a file
// that does not parse leaves the keys in force as they were.
class ApiKeys {
 public:
  ApiKeys(std::string path, const Clock& clock) : path_(std::move(path)), clock_(clock) {}

  // Loads the file now; the error names the line.
  absl::Status Load();
  // The principal (without expiry) for a presented secret, or nullopt.
  std::optional<common::v1::Principal> Authenticate(const std::string& secret);
  // The principal for a verified client certificate's common name, or nullopt.
  std::optional<common::v1::Principal> AuthenticateCertificate(absl::string_view common_name);

  static absl::StatusOr<absl::flat_hash_map<std::string, common::v1::Principal>> Parse(
      const std::string& text);

 private:
  void ReloadIfChanged();

  const std::string path_;
  const Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, common::v1::Principal> by_digest_ ABSL_GUARDED_BY(mu_);
  absl::Time last_check_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int64_t loaded_mtime_ns_ ABSL_GUARDED_BY(mu_) = -1;
};

}  // namespace grassroots::gateway
