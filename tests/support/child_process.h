#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace grassroots::testing {

// A program of the suite run as a real process; killed if still running
// when this goes out of scope.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // SIGTERM, wait, and the exit status (128 + signal if it died of one).
  int Terminate();

 private:
  pid_t pid_ = -1;
};

}  // namespace grassroots::testing
