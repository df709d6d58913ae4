# Builds and runs a consumer project of ctgrad. Usage (see tests/CMakeLists.txt):
#
#   cmake -DCTGRAD_MODE=find_package|add_subdirectory -DCTGRAD_SOURCE_DIR=... -DCTGRAD_BINARY_DIR=...
#         -DCTGRAD_WORK_DIR=... -DCTGRAD_GENERATOR=... -DCTGRAD_CXX=... [-DCTGRAD_MAKE_PROGRAM=...]
#         [-DCTGRAD_CXX_FLAGS=...] [-DCTGRAD_CONFIG=...] [-DCTGRAD_BOOST_DIR=...] -P consumer.cmake
#
#   find_package:     installs the build tree CTGRAD_BINARY_DIR into CTGRAD_WORK_DIR/prefix, then
#                     builds tests/cmake/consumer against that prefix.
#   add_subdirectory: builds tests/cmake/subdir, which adds CTGRAD_SOURCE_DIR as a subdirectory.

cmake_minimum_required(VERSION 3.20)

foreach(var IN ITEMS CTGRAD_MODE CTGRAD_SOURCE_DIR CTGRAD_BINARY_DIR CTGRAD_WORK_DIR
                     CTGRAD_GENERATOR CTGRAD_CXX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "consumer.cmake: ${var} is not set")
  endif()
endforeach()

# run(<step> <command>...): runs a command, stops the test with its output if it fails.
function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    list(JOIN ARGN " " command_line)
    message(FATAL_ERROR "${step} failed (${result})\ncommand: ${command_line}\n${output}")
  endif()
  message(STATUS "${step}: ok")
endfunction()

set(build_dir ${CTGRAD_WORK_DIR}/build)
set(prefix ${CTGRAD_WORK_DIR}/prefix)
file(REMOVE_RECURSE ${CTGRAD_WORK_DIR})

set(config_args)
set(build_type_args)
if(CTGRAD_CONFIG)
  set(config_args --config ${CTGRAD_CONFIG})
  set(build_type_args -DCMAKE_BUILD_TYPE=${CTGRAD_CONFIG})
endif()

set(configure_args
  -G ${CTGRAD_GENERATOR}
  -DCMAKE_CXX_COMPILER=${CTGRAD_CXX}
  "-DCMAKE_CXX_FLAGS=${CTGRAD_CXX_FLAGS}"
  ${build_type_args})
if(CTGRAD_MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${CTGRAD_MAKE_PROGRAM})
endif()
if(CTGRAD_BOOST_DIR)
  list(APPEND configure_args -DBoost_DIR=${CTGRAD_BOOST_DIR})
endif()

if(CTGRAD_MODE STREQUAL "find_package")
  run("install ctgrad into ${prefix}"
      ${CMAKE_COMMAND} --install ${CTGRAD_BINARY_DIR} --prefix ${prefix} ${config_args})
  run("configure the consumer"
      ${CMAKE_COMMAND} -S ${CTGRAD_SOURCE_DIR}/tests/cmake/consumer -B ${build_dir}
                       ${configure_args} -DCMAKE_PREFIX_PATH=${prefix})
  # It must have found the copy just installed, not another one on the system.
  file(STRINGS ${build_dir}/CMakeCache.txt found REGEX "^ctgrad_DIR:")
  string(REGEX REPLACE "^ctgrad_DIR:[A-Z]+=" "" found "${found}")
  cmake_path(IS_PREFIX prefix "${found}" NORMALIZE inside)
  if(NOT inside)
    message(FATAL_ERROR "find_package(ctgrad) found '${found}', not the copy installed in ${prefix}")
  endif()
elseif(CTGRAD_MODE STREQUAL "add_subdirectory")
  run("configure the consumer"
      ${CMAKE_COMMAND} -S ${CTGRAD_SOURCE_DIR}/tests/cmake/subdir -B ${build_dir}
                       ${configure_args} -DCTGRAD_SOURCE_DIR=${CTGRAD_SOURCE_DIR})
else()
  message(FATAL_ERROR "consumer.cmake: CTGRAD_MODE must be find_package or add_subdirectory")
endif()

run("build the consumer" ${CMAKE_COMMAND} --build ${build_dir} ${config_args})

set(app ${build_dir}/app)
if(NOT EXISTS ${app} AND CTGRAD_CONFIG)
  set(app ${build_dir}/${CTGRAD_CONFIG}/app) # multi-config generators
endif()
run("run the consumer" ${app})
