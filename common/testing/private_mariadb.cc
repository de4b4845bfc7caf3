#include "common/testing/private_mariadb.h"

#include <arpa/inet.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"

namespace grassroots::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return content;
}

bool Alive(pid_t pid) { return pid > 0 && kill(pid, 0) == 0; }

void WaitGone(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) return;  // our child: reaped
    if (!Alive(pid)) return;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace

int PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof(addr);
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                     getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0;
  close(fd);
  return bound ? ntohs(addr.sin_port) : 0;
}

absl::StatusOr<std::unique_ptr<PrivateMariaDb>> PrivateMariaDb::Start(std::string dir) {
  std::unique_ptr<PrivateMariaDb> server(new PrivateMariaDb());
  if (dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "grassroots-db-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("mkdtemp failed");
    dir = pattern;
    server->owns_dir_ = true;
  }
  server->dir_ = dir;
  server->port_ = PickFreePort();
  if (auto s = server->Launch(/*detach=*/false); !s.ok()) return s;
  return server;
}

PrivateMariaDb::~PrivateMariaDb() {
  Stop();
  if (owns_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

absl::Status PrivateMariaDb::Launch(bool detach) {
  const std::string data = dir_ + "/data";
  if (!std::filesystem::exists(data + "/mysql")) {
    std::filesystem::create_directories(data);
    const std::string install =
        absl::StrCat("mariadb-install-db --no-defaults --datadir=", data,
                     " --user=root --auth-root-authentication-method=normal --skip-test-db > ",
                     dir_, "/install.log 2>&1");
    if (std::system(install.c_str()) != 0) {
      return absl::InternalError("mariadb-install-db failed; see " + dir_ + "/install.log");
    }
  }
  const std::vector<std::string> args = {
      "mariadbd",
      "--no-defaults",
      "--datadir=" + data,
      "--user=root",
      "--socket=" + dir_ + "/mysqld.sock",
      absl::StrCat("--port=", port_),
      "--bind-address=127.0.0.1",
      "--pid-file=" + dir_ + "/mysqld.pid",
      "--log-error=" + dir_ + "/error.log",
      "--skip-name-resolve",
      "--max-connections=1000",
      "--innodb-buffer-pool-size=128M",
      "--innodb-log-file-size=64M",
  };
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    if (detach) {
      setsid();
    } else {
      // A test that crashes takes its server down with it.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
    }
    // The server must not take the test's stop signals or its terminal.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp("mariadbd", argv.data());
    _exit(127);
  }
  pid_ = pid;
  return WaitReady();
}

absl::Status PrivateMariaDb::WaitReady() {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    if (!Alive(pid_)) {
      return absl::InternalError("mariadbd exited; see " + dir_ + "/error.log:\n" +
                                 ReadFile(dir_ + "/error.log"));
    }
    try {
      std::unique_ptr<sql::Connection> c(
          get_driver_instance()->connect(absl::StrCat("tcp://127.0.0.1:", port_), "root", ""));
      return absl::OkStatus();
    } catch (const sql::SQLException&) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  return absl::DeadlineExceededError("mariadbd did not accept connections within 60 s");
}

db::DbOptions PrivateMariaDb::RootOptions() const {
  db::DbOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  options.user = "root";
  options.password = "";
  return options;
}

void PrivateMariaDb::Kill() {
  if (Alive(pid_)) kill(pid_, SIGKILL);
  WaitGone(pid_, absl::Seconds(30));
  pid_ = -1;
}

void PrivateMariaDb::Stop() {
  if (Alive(pid_)) kill(pid_, SIGTERM);
  if (pid_ > 0) WaitGone(pid_, absl::Seconds(60));
  pid_ = -1;
}

absl::Status PrivateMariaDb::Restart() {
  Stop();
  return Launch(/*detach=*/false);
}

absl::Status PrivateMariaDb::StartDetached(const std::string& dir) {
  std::filesystem::create_directories(dir);
  PrivateMariaDb server;
  server.dir_ = dir;
  server.port_ = PickFreePort();
  if (auto s = server.Launch(/*detach=*/true); !s.ok()) return s;
  std::ofstream(dir + "/port") << server.port_;
  std::ofstream(dir + "/server.pid") << server.pid_;
  server.pid_ = -1;  // keep it running past this process
  return absl::OkStatus();
}

absl::Status PrivateMariaDb::StopDetached(const std::string& dir) {
  int pid = 0;
  if (absl::SimpleAtoi(ReadFile(dir + "/server.pid"), &pid) && Alive(pid)) {
    kill(pid, SIGTERM);
    WaitGone(pid, absl::Seconds(60));
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return absl::OkStatus();
}

db::DbOptions FreshSchema(const std::string& suite) {
  static std::unique_ptr<PrivateMariaDb> own_server;
  static std::atomic<int> counter{0};
  int port = 0;
  const char* dir = std::getenv("GRASSROOTS_TEST_MARIADB_DIR");
  if (dir == nullptr || !absl::SimpleAtoi(ReadFile(std::string(dir) + "/port"), &port)) {
    if (own_server == nullptr) {
      auto started = PrivateMariaDb::Start();
      if (!started.ok()) {
        std::fprintf(stderr, "cannot start a private MariaDB: %s\n",
                     started.status().ToString().c_str());
        std::abort();
      }
      own_server = *std::move(started);
    }
    port = own_server->port();
  }
  std::string schema = absl::StrCat("t_", suite, "_", getpid(), "_", counter.fetch_add(1));
  for (char& c : schema) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  std::unique_ptr<sql::Connection> c(
      get_driver_instance()->connect(absl::StrCat("tcp://127.0.0.1:", port), "root", ""));
  std::unique_ptr<sql::Statement> s(c->createStatement());
  s->execute("CREATE DATABASE `" + schema + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  db::DbOptions options;
  options.port = port;
  options.user = "root";
  options.schema = schema;
  return options;
}

}  // namespace grassroots::testing
