#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/changes/change_log.h"
#include "common/db/connection_pool.h"
#include "grassroots/dualreg/v1/pairing.pb.h"
#include "grassroots/dualreg/v1/post.pb.h"

namespace grassroots::dualreg {

// The only code that speaks SQL about service posts, their claims and
// pairings with their visits.
class PostStore {
 public:
  PostStore(db::ConnectionPool& pool, const ChangeLog& changes) : pool_(pool), changes_(changes) {}

  // `post` has its community_path filled in.
  absl::StatusOr<v1::Post> CreatePost(const std::string& scope, const WriteContext& write,
                                      v1::Post post);
  // Takes a place with a conditional UPDATE (claimed < capacity), so
  // concurrent claims never pass the capacity. `only_member`: when set,
  // the registration must be that member's.
  absl::StatusOr<v1::PostClaim> Claim(const std::string& scope, const WriteContext& write,
                                      const v1::ClaimPostRequest& request,
                                      const std::string& only_member);
  absl::StatusOr<v1::ListPostsResponse> ListPosts(const std::string& scope,
                                                  const v1::ListPostsRequest& request);

  absl::StatusOr<v1::Pairing> CreatePairing(const std::string& scope, const WriteContext& write,
                                            v1::Pairing pairing);
  absl::StatusOr<v1::Pairing> RecordVisit(const std::string& scope, const WriteContext& write,
                                          const std::string& pairing_id, absl::Time visit_time,
                                          const std::string& note, const std::string& only_member);
  absl::StatusOr<v1::Pairing> EndPairing(const std::string& scope, const WriteContext& write,
                                         const std::string& pairing_id);
  // Active pairings under `path` whose next visit was due before `now`.
  absl::StatusOr<v1::ListPairingsWithoutRecentVisitResponse> WithoutRecentVisit(
      const std::string& scope, const std::string& path, absl::Time now, int limit);

 private:
  db::ConnectionPool& pool_;
  const ChangeLog& changes_;
};

}  // namespace grassroots::dualreg
