#include "services/gateway/json_syntax.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace grassroots::gateway {

absl::Status CheckJsonSyntax(absl::string_view json) {
  // Only the syntax is wanted: the handler keeps nothing.
  rapidjson::BaseReaderHandler<rapidjson::UTF8<>> ignore;
  rapidjson::MemoryStream bytes(json.data(), json.size());
  rapidjson::Reader reader;
  constexpr unsigned kStrict =
      rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  if (reader.Parse<kStrict>(bytes, ignore)) return absl::OkStatus();
  return WithReason(absl::InvalidArgumentError(
                        absl::StrCat("request body is not valid JSON: ",
                                     rapidjson::GetParseError_En(reader.GetParseErrorCode()),
                                     " (at byte ", reader.GetErrorOffset(), ")")),
                    "JSON_INVALID");
}

}  // namespace grassroots::gateway
