# grassroots_proto_library(NAME target PROTOS a.proto b.proto [GRPC] [DEPS other_proto_targets])
# Runs protoc with -I ${PROJECT_SOURCE_DIR}/protos so generated names match the import paths.
# Generated code is a build product only; it is never committed.
function(grassroots_proto_library)
  cmake_parse_arguments(ARG "GRPC" "NAME" "PROTOS;DEPS" ${ARGN})
  set(proto_root ${PROJECT_SOURCE_DIR}/protos)
  set(out_dir ${PROJECT_BINARY_DIR}/generated)
  file(MAKE_DIRECTORY ${out_dir})
  set(sources)
  foreach(proto ${ARG_PROTOS})
    get_filename_component(abs ${proto} ABSOLUTE)
    file(RELATIVE_PATH rel ${proto_root} ${abs})
    string(REGEX REPLACE "\\.proto$" "" stem ${rel})
    set(outputs ${out_dir}/${stem}.pb.cc ${out_dir}/${stem}.pb.h)
    set(args --cpp_out=${out_dir})
    if(ARG_GRPC)
      list(APPEND outputs ${out_dir}/${stem}.grpc.pb.cc ${out_dir}/${stem}.grpc.pb.h)
      list(APPEND args --grpc_out=${out_dir} --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND protobuf::protoc -I ${proto_root} ${args} ${rel}
      DEPENDS ${abs} protobuf::protoc
      WORKING_DIRECTORY ${proto_root}
      COMMENT "protoc ${rel}"
      VERBATIM)
    list(APPEND sources ${outputs})
  endforeach()
  # The objects on their own too: a binary that serves whatever the protos
  # declare (the gateway, the CLI) links `<name>_objects` directly, so every
  # file's descriptors register even when no code names one of its types.
  add_library(${ARG_NAME}_objects OBJECT ${sources})
  target_include_directories(${ARG_NAME}_objects PUBLIC ${out_dir})
  target_link_libraries(${ARG_NAME}_objects PUBLIC protobuf::libprotobuf gRPC::grpc++ ${ARG_DEPS})
  add_library(${ARG_NAME} STATIC)
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_NAME}_objects)
endfunction()
