#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <string>

#include "absl/strings/string_view.h"
#include "common/changes/change_log.h"
#include "common/paths/street_of.h"
#include "google/protobuf/timestamp.pb.h"

namespace grassroots::dualreg {

// Whether a record stamped `time` was made (or changed) by the write
// `write` rather than answered from an earlier one (a replay of its
// request_id). Compared to the microsecond the database keeps: a record
// read back and one just written compare alike.
bool MadeBy(const google::protobuf::Timestamp& time, const WriteContext& write);

// dualreg's business figures, counted by the replica that made each change
// (a replay makes none, so counts nothing), labelled by street: the finest
// a label may be (a community or an id would make a series per record).
class BusinessMetrics {
 public:
  explicit BusinessMetrics(prometheus::Registry& registry);

  // `community_path` is reduced to its street here.
  void UnitRegistered(absl::string_view community_path);
  void MemberRegistered(absl::string_view community_path);
  void OrderPlaced(absl::string_view community_path);
  // A confirmed order and the minutes its member served.
  void OrderConfirmed(absl::string_view community_path, int minutes);
  void PostClaimed(absl::string_view community_path);
  void PairingMade(absl::string_view community_path);
  void VisitRecorded(absl::string_view community_path);
  void EvaluationRecorded(absl::string_view community_path);
  void EmployerReportDelivered(absl::string_view community_path);
  // Orders the overdue sweep flagged. The store answers only how many, so
  // this family has no street.
  void OrdersFlaggedOverdue(int orders);

 private:
  prometheus::Family<prometheus::Counter>& units_;
  prometheus::Family<prometheus::Counter>& members_;
  prometheus::Family<prometheus::Counter>& placed_;
  prometheus::Family<prometheus::Counter>& confirmed_;
  prometheus::Family<prometheus::Counter>& served_;
  prometheus::Family<prometheus::Counter>& claims_;
  prometheus::Family<prometheus::Counter>& pairings_;
  prometheus::Family<prometheus::Counter>& visits_;
  prometheus::Family<prometheus::Counter>& evaluations_;
  prometheus::Family<prometheus::Counter>& reports_;
  prometheus::Counter& overdue_;
};

}  // namespace grassroots::dualreg
