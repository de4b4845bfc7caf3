#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "common/changes/change_log.h"
#include "google/protobuf/timestamp.pb.h"

namespace grassroots::volunteer {

// The service's business figures, counted by the replica that made each
// change (a replay makes none, so counts nothing), labelled by street: the
// finest a label may be (a community or an id would make a series per
// record).
// Whether a record stamped `time` was made (or changed) by the write
// `write` rather than answered from an earlier one (a replay).
bool MadeBy(const google::protobuf::Timestamp& time, const WriteContext& write);

class BusinessMetrics {
 public:
  explicit BusinessMetrics(prometheus::Registry& registry);

  // `community_path` is reduced to its street here.
  void PointsIssued(absl::string_view community_path, int64_t points);
  void PointsRedeemed(absl::string_view community_path, int64_t points);
  void PointsExpired(absl::string_view community_path, int64_t points);
  void Redemption(absl::string_view community_path);
  void RedemptionCancelled(absl::string_view community_path);
  void SignUp(absl::string_view community_path);
  void VolunteerRegistered(absl::string_view community_path);

 private:
  prometheus::Family<prometheus::Counter>& issued_;
  prometheus::Family<prometheus::Counter>& redeemed_;
  prometheus::Family<prometheus::Counter>& expired_;
  prometheus::Family<prometheus::Counter>& redemptions_;
  prometheus::Family<prometheus::Counter>& cancellations_;
  prometheus::Family<prometheus::Counter>& sign_ups_;
  prometheus::Family<prometheus::Counter>& volunteers_;
};

}  // namespace grassroots::volunteer
