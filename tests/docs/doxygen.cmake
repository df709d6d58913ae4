# Builds the HTML API reference with doxygen and fails on any warning. Usage (the test docs.doxygen):
#
#   cmake -DCTGRAD_DOXYGEN=<doxygen> -DCTGRAD_SOURCE_DIR=<repo> -DCTGRAD_OUTPUT_DIR=<dir>
#         [-DCTGRAD_VERSION=x.y.z] -P doxygen.cmake
#
# docs/Doxyfile holds the settings, with paths relative to the repository root; this script adds
# the output directory and a warnings log, runs doxygen from the root, and fails when doxygen
# fails (WARN_AS_ERROR = FAIL_ON_WARNINGS) or wrote anything to the log. The reference is
# <dir>/html/index.html.

cmake_minimum_required(VERSION 3.20)

foreach(var IN ITEMS CTGRAD_DOXYGEN CTGRAD_SOURCE_DIR CTGRAD_OUTPUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "doxygen.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${CTGRAD_OUTPUT_DIR})
file(MAKE_DIRECTORY ${CTGRAD_OUTPUT_DIR})
set(log ${CTGRAD_OUTPUT_DIR}/warnings.log)
set(config ${CTGRAD_OUTPUT_DIR}/Doxyfile)
file(WRITE ${config}
  "@INCLUDE = ${CTGRAD_SOURCE_DIR}/docs/Doxyfile\n"
  "OUTPUT_DIRECTORY = ${CTGRAD_OUTPUT_DIR}\n"
  "WARN_LOGFILE = ${log}\n")
if(DEFINED CTGRAD_VERSION)
  file(APPEND ${config} "PROJECT_NUMBER = ${CTGRAD_VERSION}\n")
endif()

execute_process(COMMAND ${CTGRAD_DOXYGEN} ${config}
                WORKING_DIRECTORY ${CTGRAD_SOURCE_DIR}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
set(warnings "")
if(EXISTS ${log})
  file(READ ${log} warnings)
endif()
if(NOT result EQUAL 0 OR NOT warnings STREQUAL "")
  message(FATAL_ERROR "doxygen failed (${result}) or warned; fix the doc comments:\n${warnings}\n${output}")
endif()
if(NOT EXISTS ${CTGRAD_OUTPUT_DIR}/html/index.html)
  message(FATAL_ERROR "doxygen wrote no ${CTGRAD_OUTPUT_DIR}/html/index.html")
endif()
message(STATUS "API reference: ${CTGRAD_OUTPUT_DIR}/html/index.html")
