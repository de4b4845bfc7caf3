#pragma once

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/volunteer/v1/certificate.pb.h"

namespace grassroots::volunteer {

struct CertificatePage {
  std::vector<v1::Certificate> certificates;
  std::string last_seq;  // empty when this was the last page
};

// The only code that speaks SQL about certificates of service hours.
// Times come from write.now, which the handler takes from the clock it is
// given (tests move it across the posting period).
class CertificateStore {
 public:
  CertificateStore(db::ConnectionPool& pool, const ChangeLog& changes)
      : pool_(pool), changes_(changes) {}

  // Snapshots the volunteer's identity and record of hours.
  absl::StatusOr<v1::Certificate> Post(const std::string& scope, const WriteContext& write,
                                       const v1::Certificate& requested);
  absl::StatusOr<v1::Certificate> Issue(const std::string& scope, const WriteContext& write,
                                        const std::string& number);
  absl::StatusOr<v1::Certificate> Revoke(const std::string& scope, const WriteContext& write,
                                         const std::string& number, const std::string& reason);
  absl::StatusOr<v1::Certificate> Get(const std::string& scope, const std::string& number);
  // Newest first, before `before_seq` (empty: from the newest).
  absl::StatusOr<CertificatePage> List(const std::string& scope, const std::string& volunteer_id,
                                       int page_size, const std::string& before_seq);

 private:
  // Locks the certificate, runs `step` on a copy and saves a changed state.
  absl::StatusOr<v1::Certificate> Step(const std::string& scope, const WriteContext& write,
                                       const std::string& number,
                                       absl::FunctionRef<absl::Status(v1::Certificate&)> step);

  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::volunteer
