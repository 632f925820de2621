# Warnings for every target the project compiles.
function(loyalty_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                         -Wshadow -Wconversion -Wno-sign-conversion)
  if(LOYALTY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
