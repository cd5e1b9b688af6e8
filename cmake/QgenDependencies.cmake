# Every dependency comes from a Debian package (tools/install-deps.sh) and is found the standard
# way; each becomes an imported target that the layer libraries link against.

find_package(MPI REQUIRED COMPONENTS C CXX)

find_package(PkgConfig REQUIRED)
pkg_check_modules(PETSC REQUIRED IMPORTED_TARGET PETSc)
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)  # gzip input (igzip inflate)

set(HDF5_PREFER_PARALLEL TRUE)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR "qgen needs a parallel HDF5 build (Debian: libhdf5-openmpi-dev)")
endif()
add_library(qgen_hdf5 INTERFACE)
target_include_directories(qgen_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_link_libraries(qgen_hdf5 INTERFACE ${HDF5_C_LIBRARIES} MPI::MPI_C)  # parallel HDF5 includes mpi.h
target_compile_definitions(qgen_hdf5 INTERFACE ${HDF5_C_DEFINITIONS})

find_package(Boost REQUIRED COMPONENTS program_options)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)  # Eigen3::Eigen, header-only (the QINN's network)
add_library(qgen_eigen INTERFACE)
target_link_libraries(qgen_eigen INTERFACE Eigen3::Eigen)
# GCC 12 reports "may be used uninitialized" inside its own AVX-512 intrinsics when Eigen's
# packet code is inlined (the _mm512_undefined_* placeholders, GCC PR 105593): a false positive.
target_compile_options(qgen_eigen INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
find_package(ZLIB REQUIRED)  # tests and benchmarks write gzip files
find_package(HepMC3 REQUIRED)

# FastJet ships fastjet-config rather than a CMake package.
find_program(FASTJET_CONFIG fastjet-config REQUIRED)
execute_process(COMMAND ${FASTJET_CONFIG} --prefix OUTPUT_VARIABLE FASTJET_PREFIX
                OUTPUT_STRIP_TRAILING_WHITESPACE)
find_library(FASTJET_LIBRARY fastjet HINTS ${FASTJET_PREFIX}/lib REQUIRED)
find_path(FASTJET_INCLUDE_DIR fastjet/ClusterSequence.hh HINTS ${FASTJET_PREFIX}/include REQUIRED)
add_library(qgen_fastjet INTERFACE)
target_include_directories(qgen_fastjet SYSTEM INTERFACE ${FASTJET_INCLUDE_DIR})
target_link_libraries(qgen_fastjet INTERFACE ${FASTJET_LIBRARY})

# Random123 (counter-based generators) is header-only.
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(qgen_random123 INTERFACE)
target_include_directories(qgen_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

if(QGEN_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(QGEN_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
