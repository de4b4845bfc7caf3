#include "tests/evidence/evidence_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"

namespace grassroots::evidence {
namespace {

constexpr const char* kCodeNames[] = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

std::string CodeName(grpc::StatusCode code) {
  const int n = static_cast<int>(code);
  return n >= 0 && n < 17 ? kCodeNames[n] : absl::StrCat("code ", n);
}

}  // namespace

bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

int64_t RetryCounters::Total() const {
  int64_t total = 0;
  for (const auto& n : by_code) total += n.load();
  return total;
}

std::string RetryCounters::Describe() const {
  std::vector<std::string> parts;
  for (size_t i = 0; i < by_code.size(); ++i) {
    if (by_code[i].load() > 0) {
      parts.push_back(
          absl::StrCat(CodeName(static_cast<grpc::StatusCode>(i)), " ", by_code[i].load()));
    }
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(CodeName(status.error_code()), ": ", status.error_message());
}

Gateway::Gateway(const std::string& target, std::string api_key) : api_key_(std::move(api_key)) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  channel_ = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> Gateway::Context(absl::Duration timeout) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("x-api-key", api_key_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

grpc::Status Gateway::Call(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                           absl::Duration give_up, int* attempts, RetryCounters* counters,
                           absl::Duration per_call) const {
  thread_local std::mt19937 random(std::random_device{}());
  const absl::Time end = absl::Now() + give_up;
  absl::Duration backoff = absl::Milliseconds(100);
  int n = 0;
  for (;;) {
    ++n;
    auto context = Context(per_call);
    grpc::Status status = call(context.get());
    if (status.ok() || !Retryable(status.error_code()) || absl::Now() + backoff >= end) {
      if (attempts != nullptr) *attempts = n;
      return status;
    }
    if (counters != nullptr) counters->by_code[static_cast<int>(status.error_code())]++;
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    absl::SleepFor(backoff * jitter(random));
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

absl::StatusOr<State> State::Read(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("state file ", path, " cannot be read"));
  State state;
  state.path_ = path;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    state.values_[kv.first] = kv.second;
  }
  return state;
}

absl::Status State::Write(const std::string& path) const {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& [key, value] : values_) out << key << ' ' << value << '\n';
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("state file ", path, " cannot be written"));
  return absl::OkStatus();
}

absl::StatusOr<std::string> State::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) {
    return absl::NotFoundError(absl::StrCat("state file ", path_, " has no ", key));
  }
  return it->second;
}

absl::StatusOr<std::vector<std::string>> State::GetList(const std::string& key) const {
  auto value = Get(key);
  if (!value.ok()) return value.status();
  return std::vector<std::string>(absl::StrSplit(*value, ',', absl::SkipEmpty()));
}

absl::StatusOr<std::unique_ptr<WrittenLog>> WrittenLog::Open(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return absl::InternalError(absl::StrCat("log ", path, " cannot be opened"));
  return std::unique_ptr<WrittenLog>(new WrittenLog(fd));
}

WrittenLog::~WrittenLog() { close(fd_); }

void WrittenLog::Append(const Written& written) {
  std::string line = absl::StrCat(written.kind, "\t", written.request_id, "\t", written.id);
  for (const std::string& d : written.details) absl::StrAppend(&line, "\t", d);
  line += '\n';
  absl::MutexLock lock(&mu_);
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = write(fd_, data, left);
    if (n <= 0) {
      std::fprintf(stderr, "log write failed: %s", line.c_str());
      return;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
}

absl::StatusOr<std::vector<Written>> WrittenLog::ReadAll(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("log ", path, " cannot be read"));
  std::vector<Written> all;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() < 3) {
      return absl::DataLossError(
          absl::StrCat("log ", path, ": line without kind, request id and id: ", line));
    }
    Written w{fields[0], fields[1], fields[2], {fields.begin() + 3, fields.end()}};
    all.push_back(std::move(w));
  }
  return all;
}

}  // namespace grassroots::evidence
