#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/db/connection_pool.h"

namespace grassroots::testing {

// A MariaDB server of our own: Debian's mariadbd on a loopback port with its
// data in a temporary directory. Never the system's server.
class PrivateMariaDb {
 public:
  // Initialises `dir` (a fresh temporary directory when empty) and starts
  // the server. The directory is removed on destruction if it was created here.
  static absl::StatusOr<std::unique_ptr<PrivateMariaDb>> Start(std::string dir = "");
  ~PrivateMariaDb();

  int port() const { return port_; }

  // Root credentials on the loopback port, no schema.
  db::DbOptions RootOptions() const;

  // SIGKILL, as a crash would.
  void Kill();
  // SIGTERM and wait.
  void Stop();
  // Starts again on the same port and data.
  absl::Status Restart();

  // Starts mariadbd detached from this process (for a ctest fixture that
  // outlives its setup step); writes port and pid files in `dir`.
  static absl::Status StartDetached(const std::string& dir);
  static absl::Status StopDetached(const std::string& dir);

 private:
  PrivateMariaDb() = default;
  absl::Status Launch(bool detach);
  absl::Status WaitReady();

  std::string dir_;
  bool owns_dir_ = false;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Test databases: each test suite gets a fresh schema on the server the ctest
// fixture started (its directory in GRASSROOTS_TEST_MARIADB_DIR holds the
// port), or on a private server this process starts when run on its own.
db::DbOptions FreshSchema(const std::string& suite);

// A free TCP port on 127.0.0.1 at the time of the call.
int PickFreePort();

}  // namespace grassroots::testing
