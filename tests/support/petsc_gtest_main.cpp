// main() for GoogleTest programs that use PETSc (TAO, Vec), run under mpiexec: MPI and PETSc
// around the tests, PETSc errors returned as codes, output from rank 0, one exit code for all.
#include <gtest/gtest.h>
#include <mpi.h>
#include <petscsys.h>

#include <cstdio>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  PetscInitialize(nullptr, nullptr, nullptr, nullptr);
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  const int failed = RUN_ALL_TESTS() != 0 ? 1 : 0;
  int any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (failed) std::fprintf(stderr, "rank %d: tests failed\n", rank);
  PetscPopErrorHandler();
  PetscFinalize();
  MPI_Finalize();
  return any_failed;
}
