# Fails unless ctest runs every Catch2 test case of one test binary.
#
# catch_discover_tests turns each name the binary lists into a ctest entry
# whose filter is that name. A name it mangles (a `;` splits it into two
# entries) gives entries whose filters match nothing, and the case itself then
# never runs while ctest reports passes. So this check asks the binary itself,
# through each registered entry's own filter, which cases that entry runs, and
# fails naming every case no entry runs and every entry that runs no case.
#
# usage: cmake -D TEST_BINARY=<file> -D TEST_DIR=<dir> -D CTEST=<ctest>
#              [-D "EMULATOR=<command;arguments>"] -P check_catch_entries.cmake
# TEST_DIR is the build directory whose CTestTestfile.cmake registers the
# entries; EMULATOR (CMAKE_CROSSCOMPILING_EMULATOR, a list) runs the binary in
# cross builds, as it does for the entries.
cmake_minimum_required(VERSION 3.20)

# Test names may hold `;` (the bug this check exists for) and `[`, `]`, which
# CMake lists split or group; names are kept in lists in this escaped form.
function(escape_for_list out text)
  string(REPLACE "[" "<lsqb>" text "${text}")
  string(REPLACE "]" "<rsqb>" text "${text}")
  string(REPLACE ";" "<semi>" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Sets `out` to the case names the binary lists given `filter` (all if empty).
function(list_cases out filter)
  if(filter STREQUAL "")
    execute_process(COMMAND ${EMULATOR} "${TEST_BINARY}" --list-test-names-only
      OUTPUT_VARIABLE text RESULT_VARIABLE result ERROR_VARIABLE errors)
  else()
    execute_process(COMMAND ${EMULATOR} "${TEST_BINARY}" "${filter}" --list-test-names-only
      OUTPUT_VARIABLE text RESULT_VARIABLE result ERROR_VARIABLE errors)
  endif()
  # Catch2 v2 exits with the number of cases listed; a signal or a failure to
  # start shows as text, not a number.
  if(NOT result MATCHES "^[0-9]+$")
    message(FATAL_ERROR "${TEST_BINARY} ${filter} --list-test-names-only failed: ${result}\n${errors}")
  endif()
  escape_for_list(text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  list(FILTER lines EXCLUDE REGEX "^$")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

list_cases(cases "")
list(LENGTH cases case_count)
if(case_count EQUAL 0)
  message(FATAL_ERROR "${TEST_BINARY} lists no test cases")
endif()

execute_process(COMMAND "${CTEST}" --show-only=json-v1 WORKING_DIRECTORY "${TEST_DIR}"
  OUTPUT_VARIABLE json RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "ctest --show-only=json-v1 in ${TEST_DIR} failed: ${result}")
endif()

set(problems "")
set(run_cases "")
set(entries 0)
string(JSON test_count LENGTH "${json}" tests)
math(EXPR last_test "${test_count} - 1")
foreach(t RANGE ${last_test})
  string(JSON name GET "${json}" tests ${t} name)
  # The command taken out once: each GET parses the text it is given, and the
  # whole listing is large (hundreds of entries).
  string(JSON command ERROR_VARIABLE no_command GET "${json}" tests ${t} command)
  if(NOT no_command STREQUAL "NOTFOUND")  # a test without a command runs no binary
    continue()
  endif()
  string(JSON arg_count LENGTH "${command}")
  # An entry of this binary: [emulator...] binary [filter] [extra arguments...].
  set(binary_at -1)
  math(EXPR last_arg "${arg_count} - 1")
  foreach(a RANGE ${last_arg})
    string(JSON arg GET "${command}" ${a})
    if(binary_at EQUAL -1 AND arg STREQUAL TEST_BINARY)
      set(binary_at ${a})
      set(filter "")
      set(warns_no_tests OFF)
    elseif(binary_at GREATER -1)
      math(EXPR filter_at "${binary_at} + 1")
      if(a EQUAL filter_at)
        set(filter "${arg}")
      elseif(arg STREQUAL "NoTests")
        set(warns_no_tests ON)
      endif()
    endif()
  endforeach()
  if(binary_at EQUAL -1)
    continue()
  endif()
  math(EXPR entries "${entries} + 1")
  escape_for_list(shown "${name}")
  # Without -w NoTests an entry whose filter matches nothing passes: it must
  # fail instead, should a case be renamed after discovery.
  if(NOT warns_no_tests)
    list(APPEND problems "ctest entry '${shown}' does not pass -w NoTests")
  endif()
  list_cases(matched "${filter}")
  list(LENGTH matched matched_count)
  if(matched_count EQUAL 0)
    list(APPEND problems "ctest entry '${shown}' runs no test case (its filter is '${filter}')")
  endif()
  list(APPEND run_cases ${matched})
endforeach()

foreach(case IN LISTS cases)
  if(NOT case IN_LIST run_cases)
    list(APPEND problems "test case '${case}' has no ctest entry that runs it")
  endif()
endforeach()

list(LENGTH problems problem_count)
if(problem_count GREATER 0)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "${TEST_BINARY}: ${case_count} test cases, ${entries} ctest entries:\n  ${text}\n"
    "(escaped in these names: <semi> is ;, <lsqb> is [, <rsqb> is ])")
endif()
message(STATUS "${TEST_BINARY}: each of its ${case_count} test cases is run by one of its ${entries} ctest entries")
