// JSON -> protobuf for every request type the gateway serves (and the
// sample of every JSON shape): never a crash, and whatever is accepted and
// can be printed back survives a round trip (binary -> JSON -> binary) as
// the same message. Protobuf's parser accepts a few values its printer
// refuses (a FieldMask path such as "ab." has no lowerCamel form); the
// printer then answers with an error, which is all the gateway needs of it.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "grassroots/orgs/v1/area.pb.h"
#include "grassroots/testing/v1/json_sample.pb.h"
#include "services/gateway/json_transcoder.h"

namespace {

const std::vector<const google::protobuf::Descriptor*>& Types() {
  static const auto* types = [] {
    auto* out = new std::vector<const google::protobuf::Descriptor*>{
        grassroots::testing::v1::JsonSample::descriptor()};
    const auto* file = grassroots::orgs::v1::Area::descriptor()->file();
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        out->push_back(file->service(s)->method(m)->input_type());
      }
    }
    return out;
  }();
  return *types;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& types = Types();
  const google::protobuf::Descriptor& type = *types[data[0] % types.size()];
  const std::string json(reinterpret_cast<const char*>(data + 1), size - 1);
  auto binary = grassroots::gateway::JsonTranscoder::JsonToBinary(type, json);
  if (!binary.ok()) return 0;
  auto printed = grassroots::gateway::JsonTranscoder::BinaryToJson(type, *binary);
  if (!printed.ok()) return 0;
  auto again = grassroots::gateway::JsonTranscoder::JsonToBinary(type, *printed);
  if (!again.ok()) {
    std::fprintf(stderr, "printed JSON does not parse back: %s\n%s\n",
                 std::string(again.status().message()).c_str(), printed->c_str());
    std::abort();
  }
  // Compared as messages: maps (and Struct) may print their keys in any order.
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type);
  std::unique_ptr<google::protobuf::Message> first(prototype->New());
  std::unique_ptr<google::protobuf::Message> second(prototype->New());
  if (!first->ParseFromString(*binary) || !second->ParseFromString(*again) ||
      !google::protobuf::util::MessageDifferencer::Equals(*first, *second)) {
    std::fprintf(stderr, "round trip changed the message:\n%s\n%s\n", first->DebugString().c_str(),
                 second->DebugString().c_str());
    std::abort();
  }
  return 0;
}
