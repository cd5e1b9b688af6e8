// core/parallel.hpp under mpiexec with 1, 2 and 3 ranks: a failure on any one rank becomes the
// same error kind on every rank (the lead with the message, the others a RemoteError), work
// on the lead alone is shared, and broadcasts deliver the lead's values.
#include <gtest/gtest.h>
#include <mpi.h>

#include "qgen/core/errors.hpp"
#include "qgen/core/parallel.hpp"

namespace qgen::core {
namespace {

Ranks world() { return Ranks::of(MPI_COMM_WORLD); }

// What a rank saw: the kind of error it got and its message (or "" when none).
struct Outcome {
  bool failed = false;
  ErrorKind kind = ErrorKind::internal;
  bool remote = false;
  std::string message;
};

template <typename F>
Outcome outcome_of(F f) {
  Outcome o;
  try {
    f();
  } catch (const RemoteError& e) {
    o = {true, e.kind(), true, e.what()};
  } catch (const std::exception& e) {
    o = {true, error_kind(e), false, e.what()};
  }
  return o;
}

TEST(Parallel, SuccessEverywhereThrowsNowhere) {
  const Ranks r = world();
  int runs = 0;
  EXPECT_NO_THROW(collectively(r, [&] { ++runs; }));
  EXPECT_EQ(runs, 1);
  EXPECT_NO_THROW(on_lead(r, [&] { ++runs; }));
  EXPECT_EQ(runs, r.lead() ? 2 : 1);
}

TEST(Parallel, AFailureOnTheLastRankReachesEveryRank) {
  const Ranks r = world();
  const int culprit = r.size - 1;
  const Outcome o = outcome_of([&] {
    collectively(r, [&] {
      if (r.rank == culprit) throw DataError("file 'x.csv', line 3: not a number");
    });
  });
  ASSERT_TRUE(o.failed);
  EXPECT_EQ(o.kind, ErrorKind::data);
  EXPECT_EQ(o.message, "file 'x.csv', line 3: not a number");
  EXPECT_EQ(o.remote, !r.lead());  // only the lead reports it
}

TEST(Parallel, InternalErrorsFromAnotherRankSayWhere) {
  const Ranks r = world();
  if (r.size < 2) GTEST_SKIP() << "needs two ranks";
  const Outcome o = outcome_of([&] {
    collectively(r, [&] {
      if (r.rank == 1) throw std::logic_error("broken invariant");
    });
  });
  ASSERT_TRUE(o.failed);
  EXPECT_EQ(o.kind, ErrorKind::internal);
  if (r.lead()) {
    EXPECT_EQ(o.message, "rank 1: broken invariant");
  }
}

TEST(Parallel, TheLowestFailingRankIsReported) {
  const Ranks r = world();
  const Outcome o = outcome_of([&] {
    collectively(r, [&] { throw InputError("rank " + std::to_string(r.rank) + " says no"); });
  });
  ASSERT_TRUE(o.failed);
  EXPECT_EQ(o.kind, ErrorKind::input);
  EXPECT_EQ(o.message, "rank 0 says no");
  EXPECT_EQ(o.remote, !r.lead());
}

TEST(Parallel, LeadWorkAndItsFailure) {
  const Ranks r = world();
  std::vector<double> values;
  std::string text;
  std::int64_t n = 0;
  std::vector<std::string> names;
  on_lead(r, [&] {
    values = {1.5, -2.0, 3.25};
    text = "pT,mass";
    n = 1234567890123;
    names = {"pT", "", "eta"};
  });
  broadcast(r, values);
  broadcast(r, text);
  broadcast(r, n);
  broadcast(r, names);
  EXPECT_EQ(values, (std::vector<double>{1.5, -2.0, 3.25}));
  EXPECT_EQ(text, "pT,mass");
  EXPECT_EQ(n, 1234567890123);
  EXPECT_EQ(names, (std::vector<std::string>{"pT", "", "eta"}));

  const Outcome o = outcome_of([&] { on_lead(r, [] { throw PetscError("TaoSolve: diverged"); }); });
  ASSERT_TRUE(o.failed);
  EXPECT_EQ(o.kind, ErrorKind::petsc);
  EXPECT_EQ(o.remote, !r.lead());
  // Every rank is still in step: one more collective completes.
  int one = 1, sum = 0;
  MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, r.comm);
  EXPECT_EQ(sum, r.size);
}

}  // namespace
}  // namespace qgen::core
