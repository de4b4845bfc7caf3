// The jurisdiction tree through its gRPC service, against a real MariaDB.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/changes/change_feed_handler.h"
#include "common/db/transaction.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/testing/private_mariadb.h"
#include "grassroots/orgs/v1/area.grpc.pb.h"
#include "services/orgs/area_handler.h"
#include "tests/support/test_server.h"

namespace grassroots::db {
const MigrationSet& orgs_migrations();
}

namespace grassroots::orgs {
namespace {

using grassroots::testing::InProcessService;
using grassroots::testing::TestPrincipals;

class AreaServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new InProcessService("orgs", grassroots::testing::FreshSchema("orgs"),
                                    {&db::orgs_migrations()});
    // Wired as main.cc wires it: reads by id come from the cache.
    cache_ = new AreaCache(*service_->env().pool, *service_->env().changes,
                           service_->env().sequencer, service_->host().log());
    service_->host().AddReadinessStep("load area cache", [] { return cache_->Load(); });
    service_->host().AddStopHook([] { cache_->Stop(); });
    store_ = new AreaStore(*service_->env().pool, *service_->env().changes, cache_);
    handler_ = new AreaHandler(service_->env(), *store_);
    feed_ = new ChangeFeedHandler<v1::ChangeFeedService>(service_->env());
    service_->Start({handler_, feed_});
  }
  static void TearDownTestSuite() {
    service_->Stop();
    delete feed_;
    delete handler_;
    delete store_;
    delete cache_;
    delete service_;
  }

  void SetUp() override {
    areas_ = v1::AreaService::NewStub(service_->Channel());
    feed_stub_ = v1::ChangeFeedService::NewStub(service_->Channel());
  }

  absl::StatusOr<v1::Area> Create(const std::string& scope, v1::AreaKind kind,
                                  const std::string& code, const std::string& parent_id,
                                  const std::string& request_id = "",
                                  const std::string& actor = "tester") {
    v1::CreateAreaRequest request;
    request.mutable_area()->set_kind(kind);
    request.mutable_area()->set_code(code);
    request.mutable_area()->set_display_name("Area " + code);
    request.mutable_area()->set_parent_id(parent_id);
    request.set_request_id(request_id);
    v1::Area area;
    auto status = areas_->CreateArea(principals_.Context(scope, actor).get(), request, &area);
    if (!status.ok()) return FromGrpcStatus(status);
    return area;
  }

  absl::StatusOr<v1::Area> Get(const std::string& scope, const std::string& id) {
    v1::GetAreaRequest request;
    request.set_id(id);
    v1::Area area;
    auto status = areas_->GetArea(principals_.Context(scope).get(), request, &area);
    if (!status.ok()) return FromGrpcStatus(status);
    return area;
  }

  std::vector<v1::Area> ListAll(const std::string& scope, const std::string& parent_id,
                                bool subtree, int page_size) {
    std::vector<v1::Area> all;
    v1::ListAreasRequest request;
    request.set_parent_id(parent_id);
    request.set_subtree(subtree);
    request.set_page_size(page_size);
    while (true) {
      v1::ListAreasResponse response;
      auto status = areas_->ListAreas(principals_.Context(scope).get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& a : response.areas()) all.push_back(a);
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return all;
  }

  int64_t Rows(const std::string& sql) {
    return grassroots::testing::QueryInt(*service_->env().pool, sql);
  }

  static InProcessService* service_;
  static AreaCache* cache_;
  static AreaStore* store_;
  static AreaHandler* handler_;
  static ChangeFeedHandler<v1::ChangeFeedService>* feed_;
  TestPrincipals principals_;
  std::unique_ptr<v1::AreaService::Stub> areas_;
  std::unique_ptr<v1::ChangeFeedService::Stub> feed_stub_;
};

InProcessService* AreaServiceTest::service_ = nullptr;
AreaCache* AreaServiceTest::cache_ = nullptr;
AreaStore* AreaServiceTest::store_ = nullptr;
AreaHandler* AreaServiceTest::handler_ = nullptr;
ChangeFeedHandler<v1::ChangeFeedService>* AreaServiceTest::feed_ = nullptr;

TEST_F(AreaServiceTest, BuildsTheTreeWithPaths) {
  auto district = Create("", v1::DISTRICT, "tree-d", "");
  ASSERT_TRUE(district.ok()) << district.status();
  EXPECT_EQ(district->path(), "tree-d");
  EXPECT_EQ(district->etag(), "1");
  auto street = Create("", v1::STREET, "s01", district->id());
  ASSERT_TRUE(street.ok()) << street.status();
  auto community = Create("", v1::COMMUNITY, "c01", street->id());
  ASSERT_TRUE(community.ok()) << community.status();
  EXPECT_EQ(community->path(), "tree-d/s01/c01");
  EXPECT_EQ(community->parent_id(), street->id());

  auto fetched = Get("", community->id());
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->display_name(), "Area c01");

  auto misplaced = Create("", v1::COMMUNITY, "c02", district->id());
  EXPECT_EQ(ErrorReason(misplaced.status()), "AREA_PLACEMENT_INVALID");
  auto duplicate = Create("", v1::STREET, "s01", district->id());
  EXPECT_TRUE(absl::IsAlreadyExists(duplicate.status())) << duplicate.status();
  EXPECT_EQ(ErrorReason(duplicate.status()), "AREA_CODE_TAKEN");
  auto invalid = Create("", v1::STREET, "Bad Code", district->id());
  EXPECT_EQ(ErrorField(invalid.status()), "area.code");
  auto missing = Get("", "ar_doesnotexist");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
}

TEST_F(AreaServiceTest, ScopedCallersSeeOnlyTheirStreet) {
  auto d = *Create("", v1::DISTRICT, "scope-d", "");
  auto s03 = *Create("", v1::STREET, "s03", d.id());
  auto s04 = *Create("", v1::STREET, "s04", d.id());
  auto c1 = *Create("", v1::COMMUNITY, "c1", s03.id());
  auto c2 = *Create("", v1::COMMUNITY, "c2", s04.id());
  const std::string scope = "scope-d/s03";

  EXPECT_TRUE(Get(scope, c1.id()).ok());
  auto other = Get(scope, c2.id());
  EXPECT_TRUE(absl::IsPermissionDenied(other.status())) << other.status();
  // An id that exists nowhere looks exactly like one in another street.
  auto nowhere = Get(scope, "ar_doesnotexist");
  EXPECT_TRUE(absl::IsPermissionDenied(nowhere.status()));
  EXPECT_EQ(other.status().message(), nowhere.status().message());

  EXPECT_TRUE(absl::IsPermissionDenied(Create(scope, v1::COMMUNITY, "x", s04.id()).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(Create(scope, v1::STREET, "s05", d.id()).status()));
  EXPECT_TRUE(Create(scope, v1::COMMUNITY, "c3", s03.id()).ok());

  auto visible = ListAll(scope, "", /*subtree=*/true, 100);
  std::set<std::string> paths;
  for (const auto& a : visible) paths.insert(a.path());
  EXPECT_EQ(paths, (std::set<std::string>{"scope-d/s03", "scope-d/s03/c1", "scope-d/s03/c3"}));

  v1::DeleteAreaRequest remove;
  remove.set_id(c2.id());
  v1::DeleteAreaResponse removed;
  EXPECT_EQ(areas_->DeleteArea(principals_.Context(scope).get(), remove, &removed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Get("", c2.id()).ok());
}

TEST_F(AreaServiceTest, RefusesCallsWithoutAValidPrincipal) {
  v1::GetAreaRequest request;
  request.set_id("ar_x");
  v1::Area area;
  grpc::ClientContext anonymous;
  EXPECT_EQ(areas_->GetArea(&anonymous, request, &area).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext forged;
  forged.AddMetadata("x-grassroots-principal", "eyJpZCI6InJvb3QifQ.c2lnbmF0dXJl");
  EXPECT_EQ(areas_->GetArea(&forged, request, &area).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AreaServiceTest, IdempotentCreateUnderConcurrentRetries) {
  auto d = *Create("", v1::DISTRICT, "idem-d", "");
  constexpr int kRetries = 8;
  std::vector<absl::StatusOr<v1::Area>> results(kRetries, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kRetries; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = Create("", v1::STREET, "s-idem", d.id(), "req-idem-1"); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->id(), results[0]->id());
  }
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM areas WHERE path = 'idem-d/s-idem'"), 1);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM change_log WHERE request_id = 'req-idem-1'"), 1);
  // A later retry, after the area changed, still answers as the first call did.
  auto late = Create("", v1::STREET, "s-idem", d.id(), "req-idem-1");
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->id(), results[0]->id());
  // The same request id from another caller is another request.
  auto other_actor = Create("", v1::STREET, "s-idem2", d.id(), "req-idem-1", "someone-else");
  ASSERT_TRUE(other_actor.ok()) << other_actor.status();
  EXPECT_NE(other_actor->id(), results[0]->id());
}

TEST_F(AreaServiceTest, UpdateNeedsMaskAndCurrentEtag) {
  auto d = *Create("", v1::DISTRICT, "upd-d", "");
  v1::UpdateAreaRequest request;
  request.mutable_area()->set_id(d.id());
  request.mutable_area()->set_display_name("Renamed");
  request.mutable_area()->set_etag(d.etag());
  v1::Area updated;
  EXPECT_EQ(areas_->UpdateArea(principals_.Context("").get(), request, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(areas_->UpdateArea(principals_.Context("").get(), request, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Renamed");
  EXPECT_EQ(updated.etag(), "2");
  // The old etag is stale now.
  auto stale = areas_->UpdateArea(principals_.Context("").get(), request, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  request.mutable_update_mask()->add_paths("code");
  request.mutable_area()->set_etag("2");
  EXPECT_EQ(areas_->UpdateArea(principals_.Context("").get(), request, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AreaServiceTest, MoveRewritesTheSubtreeAndDeleteNeedsNoChildren) {
  auto d = *Create("", v1::DISTRICT, "mv-d", "");
  auto from = *Create("", v1::STREET, "from", d.id());
  auto to = *Create("", v1::STREET, "to", d.id());
  auto d2 = *Create("", v1::DISTRICT, "mv-d2", "");
  auto c = *Create("", v1::COMMUNITY, "c9", from.id());

  v1::MoveAreaRequest move;
  move.set_id(c.id());
  move.set_new_parent_id(to.id());
  move.set_etag(c.etag());
  v1::Area moved;
  ASSERT_TRUE(areas_->MoveArea(principals_.Context("").get(), move, &moved).ok());
  EXPECT_EQ(moved.path(), "mv-d/to/c9");

  // Moving a street to another district carries its community along.
  move.set_id(to.id());
  move.set_new_parent_id(d2.id());
  move.set_etag("");
  ASSERT_TRUE(areas_->MoveArea(principals_.Context("").get(), move, &moved).ok());
  EXPECT_EQ(moved.path(), "mv-d2/to");
  EXPECT_EQ(Get("", c.id())->path(), "mv-d2/to/c9");

  v1::DeleteAreaRequest remove;
  remove.set_id(to.id());
  v1::DeleteAreaResponse removed;
  auto refused = areas_->DeleteArea(principals_.Context("").get(), remove, &removed);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorReason(FromGrpcStatus(refused)), "AREA_HAS_CHILDREN");
  remove.set_id(c.id());
  ASSERT_TRUE(areas_->DeleteArea(principals_.Context("").get(), remove, &removed).ok());
  remove.set_id(to.id());
  ASSERT_TRUE(areas_->DeleteArea(principals_.Context("").get(), remove, &removed).ok());
  EXPECT_TRUE(absl::IsNotFound(Get("", to.id()).status()));
}

TEST_F(AreaServiceTest, PagesAreStableAndComplete) {
  auto d = *Create("", v1::DISTRICT, "page-d", "");
  auto s = *Create("", v1::STREET, "s", d.id());
  for (int i = 0; i < 23; ++i)
    ASSERT_TRUE(Create("", v1::COMMUNITY, "c" + std::to_string(i), s.id()).ok());
  auto children = ListAll("", s.id(), false, 7);
  EXPECT_EQ(children.size(), 23u);
  std::set<std::string> ids;
  for (const auto& a : children) ids.insert(a.id());
  EXPECT_EQ(ids.size(), 23u);
  for (size_t i = 1; i < children.size(); ++i)
    EXPECT_LT(children[i - 1].path(), children[i].path());
  EXPECT_EQ(ListAll("", d.id(), true, 5).size(), 24u);

  v1::ListAreasRequest request;
  request.set_parent_id(s.id());
  request.set_page_size(5);
  v1::ListAreasResponse response;
  ASSERT_TRUE(areas_->ListAreas(principals_.Context("").get(), request, &response).ok());
  request.set_subtree(true);  // a token from another query is refused
  request.set_page_token(response.next_page_token());
  EXPECT_EQ(areas_->ListAreas(principals_.Context("").get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

absl::StatusOr<int> Import(v1::AreaService::Stub& stub, const TestPrincipals& principals,
                           const std::string& scope, v1::ImportAreasRequest::Format format,
                           const std::string& data, const std::string& request_id = "") {
  auto context = principals.Context(scope);
  v1::ImportAreasResponse response;
  auto writer = stub.ImportAreas(context.get(), &response);
  // Send in small pieces so lines straddle messages.
  for (size_t offset = 0; offset < data.size(); offset += 16) {
    v1::ImportAreasRequest chunk;
    if (offset == 0) {
      chunk.set_format(format);
      chunk.set_request_id(request_id);
    }
    chunk.set_data(data.substr(offset, 16));
    if (!writer->Write(chunk)) break;
  }
  writer->WritesDone();
  auto status = writer->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  return response.created_count();
}

TEST_F(AreaServiceTest, ImportIsAllOrNothingAndNamesTheLine) {
  const std::string bad =
      "kind,code,display_name,parent_path\n"
      "DISTRICT,imp-d,Import district,\n"
      "STREET,s1,Street 1,imp-d\n"
      "COMMUNITY,c1,Community 1,imp-d/s9\n";
  auto refused = Import(*areas_, principals_, "", v1::ImportAreasRequest::CSV, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("line 4"), absl::string_view::npos) << refused.status();
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM areas WHERE path LIKE 'imp-d%'"), 0);

  const std::string good =
      "{\"kind\":\"DISTRICT\",\"code\":\"imp-d\",\"displayName\":\"Import district\"}\n"
      "{\"kind\":\"STREET\",\"code\":\"s1\",\"displayName\":\"Street "
      "1\",\"parentPath\":\"imp-d\"}\n"
      "{\"kind\":\"COMMUNITY\",\"code\":\"c1\",\"displayName\":\"C "
      "1\",\"parentPath\":\"imp-d/s1\"}\n";
  auto created = Import(*areas_, principals_, "", v1::ImportAreasRequest::JSON_LINES, good);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(*created, 3);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM areas WHERE path LIKE 'imp-d%'"), 3);

  // A street-scoped caller cannot import outside its street.
  auto outside = Import(*areas_, principals_, "imp-d/s1", v1::ImportAreasRequest::CSV,
                        "kind,code,display_name,parent_path\nSTREET,s2,S2,imp-d\n");
  EXPECT_TRUE(absl::IsPermissionDenied(outside.status())) << outside.status();
}

TEST_F(AreaServiceTest, ARetriedImportAnswersItsFirstResultAndAddsNothing) {
  const std::string file =
      "kind,code,display_name,parent_path\n"
      "DISTRICT,again-d,Again district,\n"
      "STREET,s1,Street 1,again-d\n";
  auto first = Import(*areas_, principals_, "", v1::ImportAreasRequest::CSV, file, "import-again");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 2);
  auto retry = Import(*areas_, principals_, "", v1::ImportAreasRequest::CSV, file, "import-again");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(*retry, 2);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM areas WHERE path LIKE 'again-d%'"), 2);
  // Without the request id the same file is a new import, refused line by line.
  auto fresh = Import(*areas_, principals_, "", v1::ImportAreasRequest::CSV, file);
  EXPECT_TRUE(absl::IsAlreadyExists(fresh.status())) << fresh.status();
}

TEST_F(AreaServiceTest, ChangeFeedResumesFromACursorAndStreamsNewChanges) {
  auto d = *Create("", v1::DISTRICT, "feed-d", "");
  common::v1::ListChangesRequest request;
  request.set_path_prefix("feed-d");
  common::v1::ListChangesResponse response;
  // Wait for the sequencer to publish the district's change.
  for (int i = 0; i < 200 && response.changes_size() == 0; ++i) {
    ASSERT_TRUE(feed_stub_->ListChanges(principals_.Context("").get(), request, &response).ok());
    if (response.changes_size() == 0) absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).action(), common::v1::Change::CREATED);
  EXPECT_EQ(response.changes(0).resource_id(), d.id());
  v1::Area after;
  ASSERT_TRUE(response.changes(0).after().UnpackTo(&after));
  EXPECT_EQ(after.path(), "feed-d");
  const int64_t cursor = response.last_sequence();

  // Watch from the cursor: only what comes next arrives.
  auto context = principals_.Context("");
  common::v1::WatchChangesRequest watch;
  watch.set_after_sequence(cursor);
  watch.set_path_prefix("feed-d");
  auto reader = feed_stub_->WatchChanges(context.get(), watch);
  auto s1 = *Create("", v1::STREET, "s1", d.id());
  auto s2 = *Create("", v1::STREET, "s2", d.id());
  common::v1::Change change;
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.resource_id(), s1.id());
  EXPECT_GT(change.sequence(), cursor);
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.resource_id(), s2.id());
  context->TryCancel();
  while (reader->Read(&change)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // A scoped reader cannot ask for another street's feed.
  request.set_path_prefix("feed-d");
  EXPECT_EQ(feed_stub_->ListChanges(principals_.Context("other-d").get(), request, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AreaServiceTest, CacheFollowsWritesMadeElsewhere) {
  // A second store without the cache stands for another replica.
  AreaStore elsewhere(*service_->env().pool, *service_->env().changes);
  const WriteContext write{"replica-2", "", absl::Now()};
  v1::Area requested;
  requested.set_kind(v1::DISTRICT);
  requested.set_code("elsewhere-d");
  requested.set_display_name("Made elsewhere");
  auto created = elsewhere.Create("", write, requested);
  ASSERT_TRUE(created.ok()) << created.status();
  // Not in the cache yet perhaps, but the read falls through to the database.
  EXPECT_TRUE(Get("", created->id()).ok());

  auto renamed = elsewhere.UpdateDisplayName("", write, created->id(), "", "Renamed elsewhere");
  ASSERT_TRUE(renamed.ok());
  // The feed brings the rename to this replica's memory.
  bool seen = false;
  for (int i = 0; i < 300 && !seen; ++i) {
    auto cached = cache_->Find(created->id());
    seen = cached.has_value() && cached->display_name() == "Renamed elsewhere";
    if (!seen) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(Get("", created->id())->display_name(), "Renamed elsewhere");

  ASSERT_TRUE(elsewhere.Delete("", write, created->id(), "").ok());
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    gone = !cache_->Find(created->id()).has_value();
    if (!gone) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(gone);
  EXPECT_TRUE(absl::IsNotFound(Get("", created->id()).status()));
}

TEST_F(AreaServiceTest, BatchedCreatesAnswerEachCallerAsSingleCreatesWould) {
  auto d = *Create("", v1::DISTRICT, "batch-d", "");
  auto s1 = *Create("", v1::STREET, "s1", d.id());
  auto s2 = *Create("", v1::STREET, "s2", d.id());
  auto make = [&](const std::string& scope, const std::string& code, const std::string& parent,
                  const std::string& request_id) {
    CreateRequest r;
    r.scope = scope;
    r.write = WriteContext{"batcher", request_id, absl::Now()};
    r.area.set_kind(v1::COMMUNITY);
    r.area.set_code(code);
    r.area.set_display_name("Batch " + code);
    r.area.set_parent_id(parent);
    return r;
  };
  std::vector<CreateRequest> batch = {
      make("", "c1", s1.id(), "b-1"),
      make("", "c2", "ar_missing", "b-2"),       // no such parent
      make("batch-d/s2", "c3", s1.id(), "b-3"),  // parent outside the caller's street
      make("batch-d/s2", "c4", s2.id(), "b-4"),
  };
  auto results = store_->CreateMany(batch);
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].status();
  EXPECT_EQ(results[0]->path(), "batch-d/s1/c1");
  EXPECT_TRUE(absl::IsNotFound(results[1].status()));
  EXPECT_TRUE(absl::IsPermissionDenied(results[2].status()));
  ASSERT_TRUE(results[3].ok());
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM change_log WHERE actor = 'batcher'"), 2);

  // A batch holding a retry of b-1 and a code already taken falls back to
  // single creates: the retry gets the first answer, the clash its error.
  std::vector<CreateRequest> second = {make("", "c1", s1.id(), "b-1"),
                                       make("", "c4", s2.id(), "b-5"),
                                       make("", "c5", s2.id(), "b-6")};
  auto again = store_->CreateMany(second);
  ASSERT_TRUE(again[0].ok());
  EXPECT_EQ(again[0]->id(), results[0]->id());
  EXPECT_EQ(ErrorReason(again[1].status()), "AREA_CODE_TAKEN");
  ASSERT_TRUE(again[2].ok());
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM areas WHERE path LIKE 'batch-d/%/%'"), 3);
}

TEST_F(AreaServiceTest, ManyConcurrentCreatesAllCommitWithTheirChangeRows) {
  auto d = *Create("", v1::DISTRICT, "conc-d", "");
  auto s = *Create("", v1::STREET, "s", d.id());
  constexpr int kCalls = 64;
  std::vector<absl::StatusOr<v1::Area>> results(kCalls, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      results[i] =
          Create("", v1::COMMUNITY, "c" + std::to_string(i), s.id(), "conc-" + std::to_string(i));
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM areas WHERE path LIKE 'conc-d/s/%'"), kCalls);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM change_log WHERE request_id LIKE 'conc-%'"), kCalls);
}

TEST_F(AreaServiceTest, CacheNeverLetsAnOlderStateWin) {
  AreaCache cache(*service_->env().pool, *service_->env().changes, nullptr, service_->host().log());
  v1::Area area;
  area.set_id("ar_version_test");
  area.set_path("v-d");
  area.set_display_name("new");
  area.set_etag("3");
  cache.Upsert(area);
  area.set_display_name("old");
  area.set_etag("2");
  cache.Upsert(area);
  EXPECT_EQ(cache.Find("ar_version_test")->display_name(), "new");
  cache.Erase("ar_version_test", 3);
  area.set_etag("3");
  cache.Upsert(area);  // a late replay of the state before the delete
  EXPECT_FALSE(cache.Find("ar_version_test").has_value());
}

}  // namespace
}  // namespace grassroots::orgs
