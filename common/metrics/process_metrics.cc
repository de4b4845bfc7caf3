#include "common/metrics/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/time/clock.h"

namespace grassroots {
namespace {

prometheus::MetricFamily Single(const std::string& name, const std::string& help,
                                prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

int CountOpenFds() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir) != nullptr) ++count;
    closedir(dir);
  }
  return count > 2 ? count - 3 : 0;  // ".", ".." and the directory's own fd
}

}  // namespace

ProcessMetrics::ProcessMetrics()
    : start_time_seconds_(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch())) {}

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name, which may itself hold spaces and ')'.
  std::istringstream rest(content.substr(content.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0, vsize = 0, rss_pages = 0, threads = 0;
  for (int index = 3; rest >> field; ++index) {
    if (index == 14) utime = std::stod(field);
    if (index == 15) stime = std::stod(field);
    if (index == 20) threads = std::stod(field);
    if (index == 23) vsize = std::stod(field);
    if (index == 24) rss_pages = std::stod(field);
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  using prometheus::MetricType;
  return {
      Single("process_cpu_seconds_total", "User and system CPU time", MetricType::Counter,
             (utime + stime) / ticks),
      Single("process_resident_memory_bytes", "Resident memory", MetricType::Gauge,
             rss_pages * page),
      Single("process_virtual_memory_bytes", "Virtual memory", MetricType::Gauge, vsize),
      Single("process_open_fds", "Open file descriptors", MetricType::Gauge, CountOpenFds()),
      Single("process_threads", "OS threads", MetricType::Gauge, threads),
      Single("process_start_time_seconds", "Start time since the Unix epoch", MetricType::Gauge,
             start_time_seconds_),
  };
}

}  // namespace grassroots
