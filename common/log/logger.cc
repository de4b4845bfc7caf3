#include "common/log/logger.h"

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace grassroots {
namespace {

absl::string_view LevelName(Logger::Level level) {
  switch (level) {
    case Logger::Level::kDebug:
      return "debug";
    case Logger::Level::kInfo:
      return "info";
    case Logger::Level::kWarn:
      return "warn";
    case Logger::Level::kError:
      return "error";
  }
  return "info";
}

void AppendField(std::string* out, absl::string_view key, absl::string_view value) {
  out->push_back(',');
  AppendJsonString(out, key);
  out->push_back(':');
  AppendJsonString(out, value);
}

}  // namespace

void AppendJsonString(std::string* out, absl::string_view value) {
  out->push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void Logger::Log(Level level, const LogContext* context, absl::string_view message,
                 LogFields fields) {
  if (level < min_level_) return;
  std::string line = "{\"ts\":";
  AppendJsonString(&line,
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone()));
  AppendField(&line, "level", LevelName(level));
  AppendField(&line, "service", service_);
  AppendField(&line, "msg", message);
  if (context != nullptr) {
    if (!context->request_id.empty()) AppendField(&line, "request_id", context->request_id);
    if (!context->principal.empty()) AppendField(&line, "principal", context->principal);
  }
  for (const auto& [key, value] : fields) AppendField(&line, key, value);
  line.append("}\n");
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace grassroots
