#pragma once

#include "absl/synchronization/notification.h"
#include "common/auth/principal_codec.h"
#include "common/changes/change_log.h"
#include "common/changes/change_sequencer.h"
#include "common/db/connection_pool.h"
#include "common/log/logger.h"
#include "common/metrics/write_batch_metrics.h"
#include "common/server/worker_pool.h"
#include "common/time/clock.h"

namespace grassroots {

// Everything a service's handlers depend on, passed in (never global), so a
// handler runs in a test against a real store on a test schema.
struct ServiceEnv {
  db::ConnectionPool* pool = nullptr;
  WorkerPool* workers = nullptr;
  const PrincipalCodec* principals = nullptr;
  const Clock* clock = nullptr;
  Logger* log = nullptr;
  const ChangeLog* changes = nullptr;
  ChangeSequencer* sequencer = nullptr;
  // Notified once the database is migrated and the readiness steps have
  // run. Calls before then are refused (UNAVAILABLE), so none runs against
  // a half-migrated schema. Null: always ready.
  const absl::Notification* serving = nullptr;
  // Null: write batchers record nothing.
  WriteBatchMetrics* write_batches = nullptr;
};

}  // namespace grassroots
