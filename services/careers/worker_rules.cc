#include "services/careers/worker_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/text/person_identifiers.h"
#include "common/text/text_rules.h"
#include "common/time/civil_date.h"

namespace grassroots::careers {
namespace {

bool IsCode(absl::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

absl::Status ValidatePath(absl::string_view field, absl::string_view path, bool may_be_city) {
  if (path.empty()) {
    if (may_be_city) return absl::OkStatus();
    return InvalidField(field, "PATH_REQUIRED", "must not be empty");
  }
  std::vector<absl::string_view> segments = absl::StrSplit(path, '/');
  bool ok = segments.size() <= 8 && path.size() <= 200;
  for (absl::string_view s : segments) ok = ok && IsCode(s);
  if (!ok) {
    return InvalidField(field, "PATH_INVALID",
                        "must be a jurisdiction path such as d01/s03/c12: up to 8 codes of a-z, "
                        "0-9, '-' and '_' joined by '/'");
  }
  return absl::OkStatus();
}

std::vector<std::string> EnclosingRegions(absl::string_view path) {
  std::vector<std::string> regions;
  std::string current(path);
  while (!current.empty()) {
    regions.push_back(current);
    const size_t slash = current.rfind('/');
    current = slash == std::string::npos ? "" : current.substr(0, slash);
  }
  regions.push_back("");
  return regions;
}

absl::Status ValidateNewWorker(const v1::Worker& w) {
  for (const absl::Status& s : {ValidatePath("worker.community_path", w.community_path(), false),
                                ValidateText("worker.name", w.name(), 100, true),
                                NormaliseIdNumber("worker.id_number", w.id_number()).status(),
                                ParseDate("worker.hire_date", w.hire_date()).status()}) {
    if (!s.ok()) return s;
  }
  if (w.post() == v1::POST_UNSPECIFIED || !v1::Post_IsValid(w.post())) {
    return InvalidField("worker.post", "POST_REQUIRED",
                        "must be PRINCIPAL, DEPUTY, FULL_TIME_STAFF or COMMITTEE_MEMBER");
  }
  if (w.grade() < 1 || w.grade() > 40) {
    return InvalidField("worker.grade", "GRADE_INVALID", "must be 1 to 40");
  }
  if (w.entry_channel() == v1::ENTRY_CHANNEL_UNSPECIFIED ||
      !v1::EntryChannel_IsValid(w.entry_channel())) {
    return InvalidField("worker.entry_channel", "ENTRY_CHANNEL_REQUIRED",
                        "must be INTERNAL_SELECTION, EXTERNAL_RECRUITMENT or DISPATCHED_CADRE");
  }
  if (!v1::Degree_IsValid(w.degree())) {
    return InvalidField("worker.degree", "DEGREE_INVALID", "is not a known degree");
  }
  if (w.has_working_hours()) return ValidateWorkingHours("worker.working_hours", w.working_hours());
  return absl::OkStatus();
}

absl::Status ValidateWorkingHours(absl::string_view field, const v1::WorkingHours& hours) {
  if (hours.weekdays() < 1 || hours.weekdays() > 127) {
    return InvalidField(absl::StrCat(field, ".weekdays"), "WORKING_HOURS_INVALID",
                        "must be 1 to 127 (bit 0 Monday ... bit 6 Sunday)");
  }
  if (hours.start_minute() < 0 || hours.start_minute() > 1439 ||
      hours.end_minute() <= hours.start_minute() || hours.end_minute() > 1440) {
    return InvalidField(absl::StrCat(field, ".start_minute"), "WORKING_HOURS_INVALID",
                        "must be a minute of the day (0 to 1439) before end_minute (at most 1440)");
  }
  if (hours.utc_offset_minutes() < -720 || hours.utc_offset_minutes() > 840) {
    return InvalidField(absl::StrCat(field, ".utc_offset_minutes"), "WORKING_HOURS_INVALID",
                        "must be -720 to 840 minutes from UTC");
  }
  return absl::OkStatus();
}

v1::WorkingHours StandardWorkingHours() {
  v1::WorkingHours hours;
  hours.set_weekdays(31);
  hours.set_start_minute(540);
  hours.set_end_minute(1020);
  hours.set_utc_offset_minutes(480);
  return hours;
}

std::string WorkingHoursText(const v1::WorkingHours& hours) {
  return absl::StrCat("weekdays ", hours.weekdays(), ", ", hours.start_minute(), "-",
                      hours.end_minute(), ", UTC", hours.utc_offset_minutes() < 0 ? "" : "+",
                      hours.utc_offset_minutes());
}

absl::Status ValidateChange(const v1::ChangeWorkerRequest& c) {
  if (c.etag().empty()) {
    return InvalidField("etag", "ETAG_REQUIRED", "send the worker's etag to change it");
  }
  for (const absl::Status& s : {ParseDate("effective_date", c.effective_date()).status(),
                                ValidateText("reason", c.reason(), 500, true)}) {
    if (!s.ok()) return s;
  }
  switch (c.kind()) {
    case v1::CHANGE_POST:
      if (c.post() == v1::POST_UNSPECIFIED || !v1::Post_IsValid(c.post())) {
        return InvalidField("post", "POST_REQUIRED", "a post change names the new post");
      }
      [[fallthrough]];
    case v1::CHANGE_GRADE:
      if (c.grade() < 1 || c.grade() > 40) {
        return InvalidField("grade", "GRADE_INVALID", "must be 1 to 40");
      }
      return absl::OkStatus();
    case v1::CHANGE_ROTATION:
      return ValidatePath("community_path", c.community_path(), false);
    case v1::CHANGE_SECONDMENT:
      return ValidateText("seconded_to", c.seconded_to(), 200, true);
    case v1::CHANGE_LADDER_STEP:
      if (c.rung() == v1::RUNG_UNSPECIFIED || !v1::Rung_IsValid(c.rung())) {
        return InvalidField("rung", "RUNG_REQUIRED", "a ladder step names the rung reached");
      }
      return absl::OkStatus();
    case v1::CHANGE_WORKING_HOURS:
      if (!c.has_working_hours()) {
        return InvalidField("working_hours", "WORKING_HOURS_REQUIRED",
                            "a working hours change gives the new week");
      }
      return ValidateWorkingHours("working_hours", c.working_hours());
    case v1::CHANGE_RETURN:
    case v1::CHANGE_LEAVE:
      return absl::OkStatus();
    default:
      return InvalidField(
          "kind", "CHANGE_KIND_REQUIRED",
          "must be POST, GRADE, ROTATION, SECONDMENT, RETURN, LADDER_STEP, LEAVE or "
          "WORKING_HOURS");
  }
}

absl::Status CheckChangeAllowed(v1::WorkerStatus status, v1::ChangeKind kind) {
  if (status == v1::WORKER_LEFT) {
    return FailedPrecondition("WORKER_LEFT", "the worker has left; the record takes no changes");
  }
  if (kind == v1::CHANGE_RETURN && status != v1::WORKER_SECONDED) {
    return FailedPrecondition("WORKER_NOT_SECONDED", "only a seconded worker returns");
  }
  if (kind == v1::CHANGE_SECONDMENT && status == v1::WORKER_SECONDED) {
    return FailedPrecondition("WORKER_SECONDED", "the worker is seconded already; return first");
  }
  return absl::OkStatus();
}

int DegreeYears(v1::Degree degree) {
  switch (degree) {
    case v1::DEGREE_ASSOCIATE:
      return 1;
    case v1::DEGREE_BACHELOR:
      return 2;
    case v1::DEGREE_MASTER:
      return 3;
    case v1::DEGREE_DOCTORATE:
      return 4;
    default:
      return 0;
  }
}

bool QualifiedAlone(v1::WorkerStatus status, bool passed_post_training) {
  return status == v1::WORKER_ACTIVE && passed_post_training;
}

}  // namespace grassroots::careers
