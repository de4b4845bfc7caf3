#pragma once

// Between Boost.Beast's request type and the gateway's own: shared by the
// HTTP server and the HTTP request fuzzer, so both take the same path.
// Include only where Beast is wanted (it is heavy to compile).

#include <boost/beast/http.hpp>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/connect_handler.h"

namespace grassroots::gateway {

inline constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

inline void LimitParser(boost::beast::http::request_parser<boost::beast::http::string_body>& parser,
                        size_t max_body_bytes) {
  parser.body_limit(max_body_bytes);
  parser.header_limit(kMaxHeaderBytes);
}

// The answer to a request that could not be read: 413, 431 or 400, after
// which the connection is closed.
inline HttpResponse ReadFailureResponse(boost::beast::error_code ec, size_t max_body_bytes) {
  namespace http = boost::beast::http;
  HttpResponse response;
  response.close = true;
  response.content_type = "text/plain; charset=utf-8";
  if (ec == http::error::body_limit) {
    response.status = 413;
    response.body = absl::StrCat("request body exceeds ", max_body_bytes, " bytes\n");
  } else if (ec == http::error::header_limit) {
    response.status = 431;
    response.body = "request headers too large\n";
  } else {
    response.status = 400;
    response.body = "malformed HTTP request\n";
  }
  return response;
}

inline HttpRequest ToHttpRequest(
    boost::beast::http::request<boost::beast::http::string_body>&& message,
    std::string certificate_name) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers[absl::AsciiStrToLower(absl::string_view(
        field.name_string().data(), field.name_string().size()))] = std::string(field.value());
  }
  request.body = std::move(message.body());
  request.client_certificate_name = std::move(certificate_name);
  return request;
}

}  // namespace grassroots::gateway
