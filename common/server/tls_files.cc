#include "common/server/tls_files.h"

#include <grpcpp/security/server_credentials.h>

#include <fstream>
#include <sstream>

namespace grassroots {
namespace {

absl::StatusOr<std::string> Read(const Config& config, const std::string& option) {
  const std::string& path = config.GetString(option);
  if (path.empty()) return std::string();
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    return absl::InvalidArgumentError("configuration: cannot read --" + option + " " + path);
  }
  return text.str();
}

}  // namespace

absl::StatusOr<TlsFiles> LoadTlsFiles(const Config& config) {
  TlsFiles tls;
  auto cert = Read(config, "tls-cert-file");
  if (!cert.ok()) return cert.status();
  auto key = Read(config, "tls-key-file");
  if (!key.ok()) return key.status();
  auto ca = Read(config, "tls-client-ca-file");
  if (!ca.ok()) return ca.status();
  if (cert->empty() != key->empty()) {
    return absl::InvalidArgumentError(
        "configuration: --tls-cert-file and --tls-key-file go together");
  }
  if (cert->empty() && !ca->empty()) {
    return absl::InvalidArgumentError(
        "configuration: --tls-client-ca-file needs --tls-cert-file and --tls-key-file");
  }
  tls.cert_chain_pem = *std::move(cert);
  tls.private_key_pem = *std::move(key);
  tls.client_ca_pem = *std::move(ca);
  return tls;
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFor(const TlsFiles& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(tls.mutual()
                                                ? GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY
                                                : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_root_certs = tls.client_ca_pem;
  options.pem_key_cert_pairs.push_back({tls.private_key_pem, tls.cert_chain_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace grassroots
