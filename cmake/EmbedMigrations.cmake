# Script mode: writes a C++ file that holds each migration's name and text.
set(body "")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(REPLACE ")sql\"" ")sql \"" text "${text}")
  string(APPEND body "      {\"${name}\", R\"sql(${text})sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from the migrations folder; edit the .sql files instead.
#include \"common/db/migration_set.h\"

namespace grassroots::db {
const MigrationSet& ${TRACK}_migrations() {
  static const MigrationSet kSet{\"${TRACK}\", {
${body}  }};
  return kSet;
}
}  // namespace grassroots::db
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
