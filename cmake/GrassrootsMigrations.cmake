# grassroots_migrations(TARGET name TRACK track DIR dir)
# Embeds the numbered SQL files of DIR into a static library exposing
#   const grassroots::db::MigrationSet& <track>_migrations();
# so a binary carries its own schema and can run with --migrate-only anywhere.
function(grassroots_migrations)
  cmake_parse_arguments(ARG "" "TARGET;TRACK;DIR" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${ARG_TRACK}_migrations.cc)
  # A ';' list would split into separate command arguments; pass it with '|'.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DTRACK=${ARG_TRACK} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    COMMENT "embed ${ARG_TRACK} migrations"
    VERBATIM)
  add_library(${ARG_TARGET} STATIC ${out})
  target_link_libraries(${ARG_TARGET} PUBLIC grassroots_db)
  target_compile_options(${ARG_TARGET} PRIVATE ${GRASSROOTS_WARNINGS})
endfunction()
