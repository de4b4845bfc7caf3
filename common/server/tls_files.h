#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/config/config.h"

namespace grassroots {

// A server's certificate material, read once at start from the files named
// by --tls-cert-file, --tls-key-file and (for mutual TLS) --tls-client-ca-file.
struct TlsFiles {
  std::string cert_chain_pem;
  std::string private_key_pem;
  // Set: clients may present a certificate, which must chain to this CA.
  std::string client_ca_pem;

  bool enabled() const { return !cert_chain_pem.empty(); }
  bool mutual() const { return !client_ca_pem.empty(); }
};

// Empty TlsFiles when no certificate is configured; an error naming the
// option when a file cannot be read or only half a pair is given.
absl::StatusOr<TlsFiles> LoadTlsFiles(const Config& config);

// TLS credentials (requesting and verifying a client certificate when a
// client CA is set), or plaintext when TLS is off.
std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFor(const TlsFiles& tls);

}  // namespace grassroots
