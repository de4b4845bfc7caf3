// proto3 JSON both ways, driven by descriptors only, for every field shape.
#include "services/gateway/json_transcoder.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "common/status/errors.h"
#include "grassroots/testing/v1/json_sample.pb.h"

namespace grassroots::gateway {
namespace {

using testing::v1::JsonSample;

const google::protobuf::Descriptor& Type() { return *JsonSample::descriptor(); }

JsonSample FromJson(const std::string& json) {
  auto binary = JsonTranscoder::JsonToBinary(Type(), json);
  EXPECT_TRUE(binary.ok()) << binary.status() << " for " << json;
  JsonSample sample;
  EXPECT_TRUE(sample.ParseFromString(binary.value_or("")));
  return sample;
}

std::string ToJson(const JsonSample& sample) {
  auto json = JsonTranscoder::BinaryToJson(Type(), sample.SerializeAsString());
  EXPECT_TRUE(json.ok()) << json.status();
  return json.value_or("");
}

absl::Status Refusal(const std::string& json) {
  return JsonTranscoder::JsonToBinary(Type(), json).status();
}

TEST(JsonTranscoderTest, SixtyFourBitIntegersAreStringsOutAndEitherIn) {
  JsonSample sample;
  sample.set_big(-9007199254740993);  // beyond a double's exact range
  sample.set_big_unsigned(18446744073709551615ULL);
  sample.set_big_signed(-5);
  sample.set_big_fixed(7);
  sample.set_small(-3);
  const std::string json = ToJson(sample);
  EXPECT_NE(json.find(R"("big":"-9007199254740993")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("bigUnsigned":"18446744073709551615")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("small":-3)"), std::string::npos) << json;
  EXPECT_EQ(FromJson(json).big(), -9007199254740993);
  EXPECT_EQ(FromJson(R"({"big": 42, "bigUnsigned": "7"})").big(), 42);
  EXPECT_EQ(FromJson(R"({"big": "42"})").big(), 42);
  EXPECT_FALSE(Refusal(R"({"small": 3000000000})").ok());
  EXPECT_FALSE(Refusal(R"({"big": "99999999999999999999"})").ok());
  EXPECT_FALSE(Refusal(R"({"bigUnsigned": -1})").ok());
  EXPECT_FALSE(Refusal(R"({"small": 1.5})").ok());
}

TEST(JsonTranscoderTest, EnumsByNameOrNumber) {
  JsonSample sample;
  sample.set_colour(JsonSample::GREEN);
  EXPECT_NE(ToJson(sample).find(R"("colour":"GREEN")"), std::string::npos);
  EXPECT_EQ(FromJson(R"({"colour":"RED"})").colour(), JsonSample::RED);
  EXPECT_EQ(FromJson(R"({"colour":2})").colour(), JsonSample::GREEN);
  EXPECT_FALSE(Refusal(R"({"colour":"PURPLE"})").ok());
}

TEST(JsonTranscoderTest, TimestampDurationAndFieldMask) {
  JsonSample in = FromJson(
      R"({"when":"2026-11-23T08:30:00.250Z","howLong":"90.5s","mask":"displayName,area.parentId"})");
  EXPECT_EQ(in.when().seconds(), 1795422600);
  EXPECT_EQ(in.when().nanos(), 250000000);
  EXPECT_EQ(in.how_long().seconds(), 90);
  EXPECT_EQ(in.how_long().nanos(), 500000000);
  ASSERT_EQ(in.mask().paths_size(), 2);
  EXPECT_EQ(in.mask().paths(0), "display_name");
  EXPECT_EQ(in.mask().paths(1), "area.parent_id");
  const std::string out = ToJson(in);
  EXPECT_NE(out.find(R"("when":"2026-11-23T08:30:00.250Z")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("howLong":"90.500s")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("mask":"displayName,area.parentId")"), std::string::npos) << out;
  // Offsets are accepted and normalised to UTC.
  EXPECT_EQ(FromJson(R"({"when":"2026-11-23T16:30:00.250+08:00"})").when().seconds(), 1795422600);
  // Only paths that name fields: protobuf would otherwise turn "_b." into
  // "B." and back into "b.", another path.
  for (const char* bad : {R"({"mask":"_b."})", R"({"mask":"a..b"})", R"({"mask":"a__b"})"}) {
    EXPECT_EQ(ErrorReason(Refusal(bad)).value_or(""), "JSON_INVALID") << bad;
  }
  EXPECT_FALSE(Refusal(R"({"when":"yesterday"})").ok());
  EXPECT_FALSE(Refusal(R"({"howLong":"90"})").ok());
}

TEST(JsonTranscoderTest, WrappersAreBareValuesAndNullIsUnset) {
  JsonSample in = FromJson(R"({"maybeBig":"12","maybeText":"","maybeFlag":false})");
  ASSERT_TRUE(in.has_maybe_big());
  EXPECT_EQ(in.maybe_big().value(), 12);
  // Present but empty, which a plain string cannot say.
  EXPECT_TRUE(in.has_maybe_text());
  EXPECT_TRUE(in.has_maybe_flag());
  const std::string out = ToJson(in);
  EXPECT_NE(out.find(R"("maybeBig":"12")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("maybeText":"")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("maybeFlag":false)"), std::string::npos) << out;
  EXPECT_FALSE(FromJson(R"({"maybeText":null})").has_maybe_text());
}

TEST(JsonTranscoderTest, RepeatedAndMaps) {
  JsonSample in = FromJson(R"({"bigs":["1","-2",3],"children":[{"name":"a"},{"name":"b"}],)"
                           R"("counts":{"x":"5","y":6},"byNumber":{"7":{"name":"seven"}}})");
  ASSERT_EQ(in.bigs_size(), 3);
  EXPECT_EQ(in.bigs(1), -2);
  ASSERT_EQ(in.children_size(), 2);
  EXPECT_EQ(in.children(1).name(), "b");
  EXPECT_EQ(in.counts().at("y"), 6);
  EXPECT_EQ(in.by_number().at(7).name(), "seven");
  JsonSample round = FromJson(ToJson(in));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(in, round));
  // protobuf's parser takes a lone value for a repeated field as a list of
  // one; documented in json_transcoder.h.
  EXPECT_EQ(FromJson(R"({"bigs":"1"})").bigs_size(), 1);
  EXPECT_FALSE(Refusal(R"({"bigs":{"a":1}})").ok());
  EXPECT_FALSE(Refusal(R"({"byNumber":{"seven":{}}})").ok());
}

TEST(JsonTranscoderTest, OneofTakesOneMember) {
  EXPECT_EQ(FromJson(R"({"targetId":"t1"})").target_id(), "t1");
  EXPECT_EQ(FromJson(R"({"targetChild":{"name":"c"}})").target_case(), JsonSample::kTargetChild);
  EXPECT_FALSE(Refusal(R"({"targetId":"t1","targetChild":{"name":"c"}})").ok());
}

TEST(JsonTranscoderTest, ScalarsBytesStructAndNames) {
  JsonSample in =
      FromJson(R"({"ratio":"NaN","single":1.5,"flag":true,"text":"社区 ✓","blob":"aGk=",)"
               R"("extra":{"k":[1,"two",null,{"n":true}]}})");
  EXPECT_TRUE(std::isnan(in.ratio()));
  EXPECT_EQ(in.text(), "社区 ✓");
  EXPECT_EQ(in.blob(), "hi");
  EXPECT_EQ(in.extra().fields().at("k").list_value().values_size(), 4);
  // The proto field name is accepted as well as the JSON name.
  EXPECT_EQ(FromJson(R"({"big_unsigned":"9"})").big_unsigned(), 9u);
  const std::string out = ToJson(in);
  EXPECT_NE(out.find(R"("blob":"aGk=")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("ratio":"NaN")"), std::string::npos) << out;
  // Defaults are left out, as proto3 JSON does.
  EXPECT_EQ(ToJson(JsonSample()), "{}");
  EXPECT_EQ(FromJson("").ByteSizeLong(), 0u);
  EXPECT_EQ(FromJson(" {} ").ByteSizeLong(), 0u);
}

TEST(JsonTranscoderTest, UnknownFieldsAndMalformedInputAreRefusedWithTheCause) {
  auto unknown = Refusal(R"({"text":"a","colur":"RED"})");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(unknown).value_or(""), "JSON_INVALID");
  EXPECT_NE(unknown.message().find("colur"), absl::string_view::npos) << unknown;
  EXPECT_FALSE(Refusal(R"({"text":"a")").ok());
  EXPECT_FALSE(Refusal(R"([])").ok());
  EXPECT_FALSE(Refusal(R"("text")").ok());
  EXPECT_FALSE(Refusal(R"({"text":1})").ok());
  EXPECT_FALSE(Refusal("{\"text\":\"\xff\xfe\"}").ok());  // invalid UTF-8
  EXPECT_FALSE(Refusal(R"({"blob":"***"})").ok());
  // Deep nesting is refused, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += R"({"k":)";
  deep += "1";
  for (int i = 0; i < 10000; ++i) deep += "}";
  EXPECT_FALSE(Refusal(absl::StrCat(R"({"extra":)", deep, "}")).ok());
}

TEST(JsonTranscoderTest, OnlyStrictJsonIsAccepted) {
  // protobuf's own parser takes these; a caller is told they are wrong.
  for (const std::string body :
       {R"({"text":"a",})", R"({'text':"a"})", R"({"text":'a'})", R"({"text":"a"} {})",
        R"({"text":"\ud800"})", "\xef\xbb\xbf{}", R"({"text":"a"/* note */})"}) {
    auto refusal = Refusal(body);
    EXPECT_EQ(refusal.code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(ErrorReason(refusal).value_or(""), "JSON_INVALID") << body;
    EXPECT_NE(refusal.message().find("at byte"), absl::string_view::npos) << refusal;
  }
  // Whitespace around one value, and escapes of every kind, are fine.
  EXPECT_EQ(FromJson(" \n{ \"text\" : \"a\\u00e9\\n\\\"\" }\t").text(), "a\xc3\xa9\n\"");
}

TEST(JsonTranscoderTest, GarbageFromABackendIsAnInternalError) {
  auto json = JsonTranscoder::BinaryToJson(Type(), "\xff\xff\xff");
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace grassroots::gateway
