# Runs one compile-fail test. Usage (tests/CMakeLists.txt adds two tests per file):
#
#   cmake -DCTGRAD_FAIL_CONFIG=<fail-compiler.cmake> -DCTGRAD_FAIL_SOURCE=<file.cpp>
#         -DCTGRAD_FAIL_MODE=good|bad -P check.cmake
#
# The source file starts with `// expect: <phrase>` and keeps the misuse between `#ifdef CTGRAD_FAIL`
# and `#endif`.
#   good: compiling without CTGRAD_FAIL succeeds, so whatever fails in `bad` is the marked code.
#   bad:  compiling with -DCTGRAD_FAIL fails, and the first line of the compiler's output that
#         contains `error` contains the phrase (where a user looks first).

cmake_minimum_required(VERSION 3.20)

foreach(var IN ITEMS CTGRAD_FAIL_CONFIG CTGRAD_FAIL_SOURCE CTGRAD_FAIL_MODE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check.cmake: ${var} is not set")
  endif()
endforeach()
include(${CTGRAD_FAIL_CONFIG}) # CTGRAD_CXX, CTGRAD_CXX_FLAGS

# The expected phrase, from the first line. Read as a string, never as a CMake list: C++ is full of
# the `;` and `[` that lists treat specially.
file(READ ${CTGRAD_FAIL_SOURCE} source_text LIMIT 4096)
string(FIND "${source_text}" "\n" first_newline)
string(SUBSTRING "${source_text}" 0 ${first_newline} first_line)
if(NOT first_line MATCHES "^//[ \t]*expect:[ \t]*(.*[^ \t\r])")
  message(FATAL_ERROR
    "${CTGRAD_FAIL_SOURCE}: the first line must be `// expect: <phrase>`, found: ${first_line}")
endif()
set(phrase "${CMAKE_MATCH_1}")

file(READ ${CTGRAD_FAIL_SOURCE} source_text)
string(FIND "${source_text}" "#ifdef CTGRAD_FAIL" marker)
if(marker EQUAL -1)
  message(FATAL_ERROR "${CTGRAD_FAIL_SOURCE}: no `#ifdef CTGRAD_FAIL` block around the misuse")
endif()

set(command ${CTGRAD_CXX} ${CTGRAD_CXX_FLAGS} -fdiagnostics-color=never -fsyntax-only)
if(CTGRAD_FAIL_MODE STREQUAL "bad")
  list(APPEND command -DCTGRAD_FAIL)
elseif(NOT CTGRAD_FAIL_MODE STREQUAL "good")
  message(FATAL_ERROR "check.cmake: CTGRAD_FAIL_MODE must be good or bad, not ${CTGRAD_FAIL_MODE}")
endif()
list(APPEND command ${CTGRAD_FAIL_SOURCE})

execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
list(JOIN command " " command_line)

if(CTGRAD_FAIL_MODE STREQUAL "good")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR
      "Without CTGRAD_FAIL the file must compile, but it did not.\n"
      "command: ${command_line}\n${output}")
  endif()
  message(STATUS "compiles without CTGRAD_FAIL (the `bad` test expects: ${phrase})")
  return()
endif()

if(result EQUAL 0)
  message(FATAL_ERROR
    "With CTGRAD_FAIL the file must not compile, but it did.\n"
    "expected phrase: ${phrase}\ncommand: ${command_line}\n${output}")
endif()

# One error, no cascade: the number of lines printed is the one docs/errors.md gives for this test
# and compiler (written by scripts/error_table.py), and g++ prints at most 25.
string(REGEX MATCHALL "\n" newlines "${output}")
list(LENGTH newlines printed)
get_filename_component(test_name ${CTGRAD_FAIL_SOURCE} NAME_WLE)
if(CTGRAD_CXX_ID STREQUAL "GNU" AND printed GREATER 25)
  message(FATAL_ERROR "g++ printed ${printed} lines (at most 25: cut the cascade).\n${output}")
endif()
if(DEFINED CTGRAD_ERRORS_DOC AND CTGRAD_CXX_ID MATCHES "^(GNU|Clang)$")
  file(STRINGS ${CTGRAD_ERRORS_DOC} rows REGEX "^\\| .* \\| `${test_name}` \\| [0-9]+ \\| [0-9]+ \\|$")
  if(NOT rows)
    message(FATAL_ERROR "docs/errors.md has no row for `${test_name}`: run python3 scripts/error_table.py")
  endif()
  string(REGEX MATCH "\\| ([0-9]+) \\| ([0-9]+) \\|$" counts "${rows}")
  if(CTGRAD_CXX_ID STREQUAL "GNU")
    set(documented ${CMAKE_MATCH_1})
  else()
    set(documented ${CMAKE_MATCH_2})
  endif()
  if(NOT printed EQUAL documented)
    message(FATAL_ERROR
      "docs/errors.md says ${documented} lines for `${test_name}` with ${CTGRAD_CXX_ID}; the "
      "compiler printed ${printed}: run python3 scripts/error_table.py\n${output}")
  endif()
endif()

# Misuses caught by a deleted function (copying an identity) carry the phrase in a comment that the
# compiler quotes a few lines below its error: `// expect-within: <n>` on the second line asks for the
# phrase within the first n lines of the output instead of on the first error line.
string(REGEX MATCH "^[^\n]*\n//[ \t]*expect-within:[ \t]*([0-9]+)" within_match "${source_text}")
if(within_match)
  set(within ${CMAKE_MATCH_1})
  # the first n lines, cut at the n-th newline (compiler output is full of the `;` and `[` that a
  # CMake list would split on)
  set(head "")
  set(rest "${output}")
  foreach(i RANGE 1 ${within})
    string(FIND "${rest}" "\n" nl)
    if(nl EQUAL -1)
      string(APPEND head "${rest}")
      break()
    endif()
    math(EXPR nl1 "${nl} + 1")
    string(SUBSTRING "${rest}" 0 ${nl1} line)
    string(APPEND head "${line}")
    string(SUBSTRING "${rest}" ${nl1} -1 rest)
  endforeach()
  string(FIND "${head}" "${phrase}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR
      "The expected phrase is not within the first ${within} lines of the output.\n"
      "expected phrase: ${phrase}\ncommand: ${command_line}\nfull output:\n${output}")
  endif()
  message(STATUS "fails as expected, the phrase within the first ${within} lines")
  return()
endif()

# The first line of the output containing "error".
string(FIND "${output}" "error" at)
if(at EQUAL -1)
  message(FATAL_ERROR
    "The compiler failed (${result}) without any line containing `error`.\n"
    "expected phrase: ${phrase}\ncommand: ${command_line}\n${output}")
endif()
string(SUBSTRING "${output}" 0 ${at} before)
string(FIND "${before}" "\n" line_start REVERSE)
math(EXPR line_start "${line_start} + 1") # -1 (first line) becomes 0
string(SUBSTRING "${output}" ${line_start} -1 rest)
string(FIND "${rest}" "\n" line_length)
string(SUBSTRING "${rest}" 0 ${line_length} error_line)

string(FIND "${error_line}" "${phrase}" found)
if(found EQUAL -1)
  message(FATAL_ERROR
    "The first error line does not contain the expected phrase.\n"
    "expected phrase: ${phrase}\n"
    "first error line: ${error_line}\n"
    "command: ${command_line}\n"
    "full output:\n${output}")
endif()
message(STATUS "fails as expected: ${error_line}")
