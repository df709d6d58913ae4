# Runs one compile-warning test. Usage (tests/CMakeLists.txt adds one test per file, Clang only):
#
#   cmake -DCTGRAD_FAIL_CONFIG=<fail-compiler.cmake> -DCTGRAD_WARN_SOURCE=<file.cpp> -P check.cmake
#
# The source starts with `// expect-warning: -W<flag>`. It must compile (warnings not errors), and
# the compiler must report that warning on exactly the lines that end in `// warns`: each marked
# line warns, no other line of the file draws any warning.

cmake_minimum_required(VERSION 3.20)

foreach(var IN ITEMS CTGRAD_FAIL_CONFIG CTGRAD_WARN_SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check.cmake: ${var} is not set")
  endif()
endforeach()
include(${CTGRAD_FAIL_CONFIG}) # CTGRAD_CXX, CTGRAD_CXX_FLAGS

file(STRINGS ${CTGRAD_WARN_SOURCE} first LIMIT_COUNT 1)
if(NOT first MATCHES "^//[ \t]*expect-warning:[ \t]*(-W[a-z-]+)")
  message(FATAL_ERROR "${CTGRAD_WARN_SOURCE}: the first line must be `// expect-warning: -W<flag>`")
endif()
set(flag "${CMAKE_MATCH_1}")

# The marked lines, by number (read line by line: C++ is full of `;` and `[`).
file(READ ${CTGRAD_WARN_SOURCE} text)
string(REPLACE ";" "," text "${text}")
string(REPLACE "\n" ";" lines "${text}")
set(expected "")
set(n 0)
foreach(line IN LISTS lines)
  math(EXPR n "${n} + 1")
  if(line MATCHES "// warns$")
    list(APPEND expected ${n})
  endif()
endforeach()
if(NOT expected)
  message(FATAL_ERROR "${CTGRAD_WARN_SOURCE}: no line ends in `// warns`")
endif()

set(command ${CTGRAD_CXX} ${CTGRAD_CXX_FLAGS} -Wno-error -fdiagnostics-color=never -fsyntax-only
            ${CTGRAD_WARN_SOURCE})
execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
list(JOIN command " " command_line)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "The file must compile.\ncommand: ${command_line}\n${output}")
endif()

# The lines of the file that drew a warning, and with which flag.
get_filename_component(name ${CTGRAD_WARN_SOURCE} NAME)
string(REGEX MATCHALL "${name}:[0-9]+:[0-9]+: warning: [^\n]*" warnings "${output}")
string(REGEX MATCHALL "warning: " all_warnings "${output}")
list(LENGTH all_warnings all_count)
list(LENGTH warnings file_count)
if(NOT all_count EQUAL file_count)
  message(FATAL_ERROR "Warnings outside ${name}:\n${output}")
endif()
set(warned "")
foreach(w IN LISTS warnings)
  string(REGEX MATCH "^${name}:([0-9]+):" _ "${w}")
  set(at ${CMAKE_MATCH_1})
  if(NOT at IN_LIST expected)
    message(FATAL_ERROR "Line ${at} is not marked `// warns` but drew a warning:\n${w}\n"
                        "command: ${command_line}\n${output}")
  endif()
  string(FIND "${w}" "[${flag}]" has_flag)
  if(has_flag EQUAL -1)
    message(FATAL_ERROR "Line ${at} drew another warning than ${flag}:\n${w}\n${output}")
  endif()
  list(APPEND warned ${at})
endforeach()
foreach(at IN LISTS expected)
  if(NOT at IN_LIST warned)
    message(FATAL_ERROR "Line ${at} is marked `// warns` but drew no ${flag} warning.\n"
                        "command: ${command_line}\n${output}")
  endif()
endforeach()
list(LENGTH expected count)
message(STATUS "${flag} on exactly the ${count} marked lines")
