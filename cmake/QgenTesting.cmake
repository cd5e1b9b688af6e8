# Test helpers.
#
# qgen_add_test(name SOURCES ... LIBS ...)          a GoogleTest program, one CTest entry per test
# qgen_add_mpi_test(name [PETSC] NPROCS 1 2 3 SOURCES ... LIBS ...)
#     a GoogleTest program run under ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} N for each N,
#     so that configuring with -DMPIEXEC_EXECUTABLE=$(which srun) -DMPIEXEC_NUMPROC_FLAG=-n
#     runs the same tests through Slurm.
include(GoogleTest)

# Open MPI refuses more ranks than cores without --oversubscribe; srun knows no such flag.
get_filename_component(_qgen_mpiexec_name "${MPIEXEC_EXECUTABLE}" NAME)
if(_qgen_mpiexec_name MATCHES "^(mpiexec|mpirun|orterun)")
  set(_qgen_default_preflags "--oversubscribe")
else()
  set(_qgen_default_preflags "")
endif()
set(QGEN_MPIEXEC_PREFLAGS "${_qgen_default_preflags}" CACHE STRING
    "flags placed before the program in MPI tests")
separate_arguments(_qgen_preflags NATIVE_COMMAND "${QGEN_MPIEXEC_PREFLAGS}")

# Root in containers and CI: Open MPI needs explicit consent.
set(QGEN_MPI_TEST_ENVIRONMENT OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    OMPI_MCA_rmaps_base_oversubscribe=1)

add_library(qgen_test_support STATIC
  ${PROJECT_SOURCE_DIR}/tests/support/dense_reference.cpp
  ${PROJECT_SOURCE_DIR}/tests/support/random_circuit.cpp)
target_link_libraries(qgen_test_support PUBLIC qgen_sim)
# Tests read the data shipped in inputs/ through this path (never ../shared).
target_compile_definitions(qgen_test_support PUBLIC QGEN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

function(qgen_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} qgen_test_support GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}")
endfunction()

function(qgen_add_mpi_test name)
  cmake_parse_arguments(ARG "PETSC" "TIMEOUT" "NPROCS;SOURCES;LIBS;ARGS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # PETSC: PETSc is initialised around the tests as well as MPI.
  if(ARG_PETSC)
    set(main ${PROJECT_SOURCE_DIR}/tests/support/petsc_gtest_main.cpp)
  else()
    set(main ${PROJECT_SOURCE_DIR}/tests/mpi/mpi_gtest_main.cpp)
  endif()
  add_executable(${name} ${ARG_SOURCES} ${main})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} qgen_test_support GTest::gtest MPI::MPI_CXX)
  if(ARG_PETSC)
    target_link_libraries(${name} PRIVATE PkgConfig::PETSC)
  endif()
  foreach(n IN LISTS ARG_NPROCS)
    add_test(NAME ${name}_np${n}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${_qgen_preflags}
                     ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS} ${ARG_ARGS})
    set_tests_properties(${name}_np${n} PROPERTIES
      TIMEOUT ${ARG_TIMEOUT} PROCESSORS ${n} LABELS mpi
      ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}")
  endforeach()
endfunction()

# qgen_add_cli_test(name EXIT code MATCH regex [NPROCS n] [ABSENT file...] ARGS ...)
#     runs the qgen executable (under mpiexec with n ranks when NPROCS is given) and checks its
#     exit code, that its output matches `regex`, and that the ABSENT files were not created.
function(qgen_add_cli_test name)
  cmake_parse_arguments(ARG "" "EXIT;MATCH;NPROCS" "ABSENT;ARGS" ${ARGN})
  set(absent)
  foreach(f IN LISTS ARG_ABSENT)
    list(APPEND absent --absent ${f})
  endforeach()
  set(launcher)
  if(ARG_NPROCS)
    set(launcher ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ARG_NPROCS} ${_qgen_preflags}
                 ${MPIEXEC_PREFLAGS})
  endif()
  add_test(NAME ${name}
           COMMAND ${PROJECT_SOURCE_DIR}/tests/app/expect.sh ${ARG_EXIT} "${ARG_MATCH}" ${absent} --
                   ${launcher} $<TARGET_FILE:qgen> ${ARG_ARGS}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES TIMEOUT 120 LABELS cli
                       ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}")
  if(ARG_NPROCS)
    set_tests_properties(${name} PROPERTIES PROCESSORS ${ARG_NPROCS})
  endif()
endfunction()
