#pragma once

#include "common/server/service_env.h"
#include "grassroots/grid/v1/key_person.grpc.pb.h"
#include "services/grid/key_person_store.h"

namespace grassroots::grid {

// gRPC edge of key persons.
class KeyPersonHandler final : public v1::KeyPersonService::CallbackService {
 public:
  KeyPersonHandler(const ServiceEnv& env, KeyPersonStore& store) : env_(env), store_(store) {}

  grpc::ServerUnaryReactor* CreateKeyPerson(grpc::CallbackServerContext* context,
                                            const v1::CreateKeyPersonRequest* request,
                                            v1::KeyPerson* response) override;
  grpc::ServerUnaryReactor* GetKeyPerson(grpc::CallbackServerContext* context,
                                         const v1::GetKeyPersonRequest* request,
                                         v1::KeyPerson* response) override;
  grpc::ServerUnaryReactor* ListKeyPersons(grpc::CallbackServerContext* context,
                                           const v1::ListKeyPersonsRequest* request,
                                           v1::ListKeyPersonsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateKeyPerson(grpc::CallbackServerContext* context,
                                            const v1::UpdateKeyPersonRequest* request,
                                            v1::KeyPerson* response) override;
  grpc::ServerUnaryReactor* RevealKeyPersonContact(grpc::CallbackServerContext* context,
                                                   const v1::RevealKeyPersonContactRequest* request,
                                                   v1::KeyPersonContact* response) override;

 private:
  const ServiceEnv& env_;
  KeyPersonStore& store_;
};

}  // namespace grassroots::grid
