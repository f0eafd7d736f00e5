# Writes OUT: a C++ file with each schema of DIR as a string constant (raw literals in chunks,
# since compilers limit the length of one literal).
function(embed var file)
  file(READ ${file} text)
  string(LENGTH "${text}" len)
  set(out "")
  set(pos 0)
  while(pos LESS len)
    string(SUBSTRING "${text}" ${pos} 8000 chunk)
    string(APPEND out "R\"qpod(${chunk})qpod\"\n")
    math(EXPR pos "${pos} + 8000")
  endwhile()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()
embed(compose ${DIR}/compose-spec.json)
embed(dialect ${DIR}/qpod.schema.json)
file(WRITE ${OUT} "// Generated from schemas/ by cmake/embed_schemas.cmake. Do not edit.\n"
  "#include <string_view>\nnamespace qpod::schemas {\n"
  "extern const std::string_view kComposeSpec;\nextern const std::string_view kQpodDialect;\n"
  "const std::string_view kComposeSpec =\n${compose};\n"
  "const std::string_view kQpodDialect =\n${dialect};\n}\n")
