// What every mode of grassroots-evidence-writer shares: the channel to the
// gateway's gRPC edge with the API key, the retry of one call until it is
// answered (the same request each time, so a create with a request id or a
// caller-chosen id is made at most once), the run's state file and the log
// of accepted writes.
#pragma once

#include <grpcpp/grpcpp.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/evidence/id_numbers.h"

namespace grassroots::evidence {

// The codes after which the same request is sent again: the call was not
// made (UNAVAILABLE: the service, the gateway or the database is down;
// RESOURCE_EXHAUSTED: refused as overload) or its outcome is unknown
// (DEADLINE_EXCEEDED, CANCELLED by a server shutting down, ABORTED: a
// transaction given up, UNAVAILABLE/COMMIT_OUTCOME_UNKNOWN).
bool Retryable(grpc::StatusCode code);

// Counts of the retries every client made, by the code that caused them.
struct RetryCounters {
  std::array<std::atomic<int64_t>, 17> by_code{};
  int64_t Total() const;
  // "UNAVAILABLE 12, DEADLINE_EXCEEDED 1" or "none".
  std::string Describe() const;
};

class Gateway {
 public:
  // target is host:port of the gateway's gRPC edge. Reconnects quickly
  // after the gateway restarts (200 ms, at most 2 s between attempts).
  Gateway(const std::string& target, std::string api_key);

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // A context with the API key and a deadline of `timeout` from now.
  std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout) const;

  // Calls `call` (a fresh context each time, `per_call` deadline) until it
  // answers a code that is not retryable or `give_up` has passed since the
  // first attempt, waiting 100 ms doubling to 2 s (with jitter) between
  // attempts. `attempts` (optional) is set to the number of calls made.
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                    absl::Duration give_up, int* attempts = nullptr,
                    RetryCounters* counters = nullptr,
                    absl::Duration per_call = absl::Seconds(10)) const;

 private:
  std::string api_key_;
  std::shared_ptr<grpc::Channel> channel_;
};

// "CODE: message" of a status, for reports.
std::string Describe(const grpc::Status& status);

// The run's state file: one "key value" a line (values without newlines).
class State {
 public:
  static absl::StatusOr<State> Read(const std::string& path);
  absl::Status Write(const std::string& path) const;

  void Set(const std::string& key, const std::string& value) { values_[key] = value; }
  // The value, or an error naming the key and the file.
  absl::StatusOr<std::string> Get(const std::string& key) const;
  absl::StatusOr<std::vector<std::string>> GetList(const std::string& key) const;

 private:
  std::string path_;
  std::map<std::string, std::string> values_;
};

// One line of the log of accepted writes: what, the request id sent, the
// id returned, and what the kind needs to check it (tab separated).
struct Written {
  std::string kind;
  std::string request_id;
  std::string id;
  std::vector<std::string> details;
};

// Appends lines to the log, each written out by one write(2) as soon as the
// call returned, so a line is never half written and none waits in a buffer.
class WrittenLog {
 public:
  static absl::StatusOr<std::unique_ptr<WrittenLog>> Open(const std::string& path);
  ~WrittenLog();
  void Append(const Written& written);
  static absl::StatusOr<std::vector<Written>> ReadAll(const std::string& path);

 private:
  explicit WrittenLog(int fd) : fd_(fd) {}
  absl::Mutex mu_;
  int fd_;
};

}  // namespace grassroots::evidence
