# Warnings for every target the project compiles.
function(loyalty_warnings target)
  # Request structs have a default for every field and grow by appending
  # fields, so brace-initialising only the leading ones is the intended use.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                         -Wshadow -Wconversion -Wno-sign-conversion
                         -Wno-missing-field-initializers)
  if(LOYALTY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
