#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace grassroots {

// What a log line needs to know about the call it belongs to.
struct LogContext {
  std::string request_id;
  std::string principal;
};

// Built from a braced list at most call sites, or from a vector.
using LogFields = absl::Span<const std::pair<absl::string_view, absl::string_view>>;

// Writes one JSON object per line: ts, level, service, msg, request_id,
// principal, then the extra fields. Thread-safe; one per process.
class Logger {
 public:
  enum class Level { kDebug, kInfo, kWarn, kError };

  Logger(std::string service, std::FILE* out = stderr, Level min_level = Level::kInfo)
      : service_(std::move(service)), out_(out), min_level_(min_level) {}

  void Log(Level level, const LogContext* context, absl::string_view message,
           LogFields fields = {});

  bool Enabled(Level level) const { return level >= min_level_; }

  void Info(absl::string_view message, LogFields fields = {}) {
    Log(Level::kInfo, nullptr, message, fields);
  }
  void Warn(absl::string_view message, LogFields fields = {}) {
    Log(Level::kWarn, nullptr, message, fields);
  }
  void Error(absl::string_view message, LogFields fields = {}) {
    Log(Level::kError, nullptr, message, fields);
  }

 private:
  const std::string service_;
  std::FILE* const out_;
  const Level min_level_;
  absl::Mutex mu_;
};

// JSON string escaping, shared with anything else that writes JSON by hand.
void AppendJsonString(std::string* out, absl::string_view value);

}  // namespace grassroots
