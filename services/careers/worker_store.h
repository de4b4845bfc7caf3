#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/crypto/personal_data.h"
#include "common/db/connection_pool.h"
#include "grassroots/careers/v1/worker.pb.h"

namespace grassroots::careers {

struct WorkerPage {
  std::vector<v1::Worker> workers;
  std::string last_id;  // empty when this was the last page
};

// A worker row as other stores need it: the record (masked) and what is
// not on it.
struct WorkerRow {
  v1::Worker worker;
  int64_t version = 0;
  std::string rung_date;
  bool passed_post_training = false;
};

// The only code that speaks SQL about workers and their history. Name and
// ID number are sealed here and only their masked forms leave, except in
// RevealIdNumber, which writes its audit row in the reading transaction
// (as does the search by ID number).
class WorkerStore {
 public:
  WorkerStore(db::ConnectionPool& pool, const ChangeLog& changes, const PersonalDataCipher& cipher)
      : pool_(pool), changes_(changes), cipher_(cipher) {}

  absl::StatusOr<v1::Worker> Create(const std::string& scope, const WriteContext& write,
                                    const v1::Worker& requested);
  absl::StatusOr<v1::Worker> Get(const std::string& scope, const std::string& id);
  absl::StatusOr<WorkerPage> List(const std::string& scope, const std::string& path_prefix,
                                  int page_size, const std::string& after_id);
  absl::StatusOr<v1::Worker> FindByIdNumber(const std::string& scope, const WriteContext& reader,
                                            const std::string& normalised,
                                            const std::string& purpose);
  absl::StatusOr<v1::WorkerIdNumber> RevealIdNumber(const std::string& scope,
                                                    const WriteContext& reader,
                                                    const std::string& id,
                                                    const std::string& purpose);
  absl::StatusOr<v1::Worker> Change(const std::string& scope, const WriteContext& write,
                                    const v1::ChangeWorkerRequest& change);
  absl::StatusOr<std::vector<v1::WorkerChange>> History(const std::string& scope,
                                                        const std::string& id);

  // For other stores inside their transactions: the worker when it lies in
  // the scope; `lock` takes the row for update.
  static std::optional<WorkerRow> FindInScope(db::Connection& c, const std::string& scope,
                                              const std::string& id, bool lock = false);
  // Bumps the version after another store changed what the worker record
  // shows (qualified_alone), appending its UPDATED change and, when
  // qualified_alone moved, the qualification feed's.
  static void Touch(db::Connection& c, const ChangeLog& changes, const WriteContext& write,
                    const WorkerRow& before, const v1::Worker& after);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
  const PersonalDataCipher& cipher_;
};

}  // namespace grassroots::careers
