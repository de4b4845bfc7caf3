// ctest fixture helper: `grassroots_test_mariadb start DIR` starts a private
// MariaDB for the whole test run and leaves it running; `stop DIR` ends it
// and removes DIR.
#include <cppconn/driver.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "common/testing/private_mariadb.h"

int main(int argc, char** argv) {
  if (argc != 3 || (std::strcmp(argv[1], "start") != 0 && std::strcmp(argv[1], "stop") != 0)) {
    std::fprintf(stderr, "usage: %s start|stop DIR\n", argv[0]);
    return 2;
  }
  get_driver_instance();
  const std::string dir = argv[2];
  absl::Status status = std::strcmp(argv[1], "start") == 0
                            ? grassroots::testing::PrivateMariaDb::StartDetached(dir)
                            : grassroots::testing::PrivateMariaDb::StopDetached(dir);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
