// libqgen-mpi-counts.so: counts the MPI calls of a run and the bytes they carry, through the
// MPI profiling interface (each MPI_X here calls PMPI_X), to check the communication the step
// cost model predicts (docs/cost-model.md, "Validation"). Load it into any MPI program:
//
//   export QGEN_MPI_COUNTS=/tmp/counts
//   mpiexec -n 4 -x LD_PRELOAD=build/release/tests/bench/libqgen-mpi-counts.so -x QGEN_MPI_COUNTS
//       build/release/qgen train ...      (one command line)
//
// At MPI_Finalize every rank writes <QGEN_MPI_COUNTS>.rank<r>.json: per function, calls and
// bytes (the count times the datatype's size of the send side; for receives the posted size;
// for collectives the buffer this rank contributes; persistent requests counted at each
// MPI_Start/MPI_Startall with the size given to MPI_Send_init/MPI_Recv_init). Nothing is counted
// when QGEN_MPI_COUNTS is unset.
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace {

struct Tally {
  double calls = 0;
  double bytes = 0;
};

std::map<std::string, Tally>& tallies() {
  static std::map<std::string, Tally> t;
  return t;
}
std::map<MPI_Request, std::pair<std::string, double>>& persistent() {
  static std::map<MPI_Request, std::pair<std::string, double>> p;
  return p;
}

double size_of(int count, MPI_Datatype type) {
  int size = 0;
  PMPI_Type_size(type, &size);
  return double(count) * size;
}

void note(const char* name, double bytes) {
  Tally& t = tallies()[name];
  t.calls += 1;
  t.bytes += bytes;
}

}  // namespace

extern "C" {

int MPI_Allreduce(const void* s, void* r, int n, MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  note("MPI_Allreduce", size_of(n, t));
  return PMPI_Allreduce(s, r, n, t, op, c);
}
int MPI_Reduce(const void* s, void* r, int n, MPI_Datatype t, MPI_Op op, int root, MPI_Comm c) {
  note("MPI_Reduce", size_of(n, t));
  return PMPI_Reduce(s, r, n, t, op, root, c);
}
int MPI_Reduce_scatter(const void* s, void* r, const int counts[], MPI_Datatype t, MPI_Op op, MPI_Comm c) {
  int size = 0;
  PMPI_Comm_size(c, &size);
  double total = 0;
  for (int k = 0; k < size; ++k) total += counts[k];
  note("MPI_Reduce_scatter", size_of(1, t) * total);
  return PMPI_Reduce_scatter(s, r, counts, t, op, c);
}
int MPI_Bcast(void* b, int n, MPI_Datatype t, int root, MPI_Comm c) {
  note("MPI_Bcast", size_of(n, t));
  return PMPI_Bcast(b, n, t, root, c);
}
int MPI_Gather(const void* s, int sn, MPI_Datatype st, void* r, int rn, MPI_Datatype rt, int root, MPI_Comm c) {
  note("MPI_Gather", size_of(sn, st));
  return PMPI_Gather(s, sn, st, r, rn, rt, root, c);
}
int MPI_Gatherv(const void* s, int sn, MPI_Datatype st, void* r, const int rn[], const int d[], MPI_Datatype rt,
                int root, MPI_Comm c) {
  note("MPI_Gatherv", size_of(sn, st));
  return PMPI_Gatherv(s, sn, st, r, rn, d, rt, root, c);
}
int MPI_Allgather(const void* s, int sn, MPI_Datatype st, void* r, int rn, MPI_Datatype rt, MPI_Comm c) {
  note("MPI_Allgather", size_of(sn, st));
  return PMPI_Allgather(s, sn, st, r, rn, rt, c);
}
int MPI_Allgatherv(const void* s, int sn, MPI_Datatype st, void* r, const int rn[], const int d[],
                   MPI_Datatype rt, MPI_Comm c) {
  note("MPI_Allgatherv", size_of(sn, st));
  return PMPI_Allgatherv(s, sn, st, r, rn, d, rt, c);
}
int MPI_Barrier(MPI_Comm c) {
  note("MPI_Barrier", 0);
  return PMPI_Barrier(c);
}
int MPI_Send(const void* b, int n, MPI_Datatype t, int d, int tag, MPI_Comm c) {
  note("MPI_Send", size_of(n, t));
  return PMPI_Send(b, n, t, d, tag, c);
}
int MPI_Recv(void* b, int n, MPI_Datatype t, int s, int tag, MPI_Comm c, MPI_Status* st) {
  note("MPI_Recv", size_of(n, t));
  return PMPI_Recv(b, n, t, s, tag, c, st);
}
int MPI_Isend(const void* b, int n, MPI_Datatype t, int d, int tag, MPI_Comm c, MPI_Request* q) {
  note("MPI_Isend", size_of(n, t));
  return PMPI_Isend(b, n, t, d, tag, c, q);
}
int MPI_Irecv(void* b, int n, MPI_Datatype t, int s, int tag, MPI_Comm c, MPI_Request* q) {
  note("MPI_Irecv", size_of(n, t));
  return PMPI_Irecv(b, n, t, s, tag, c, q);
}
int MPI_Sendrecv(const void* sb, int sn, MPI_Datatype st, int d, int stag, void* rb, int rn, MPI_Datatype rt,
                 int s, int rtag, MPI_Comm c, MPI_Status* status) {
  note("MPI_Sendrecv", size_of(sn, st));
  return PMPI_Sendrecv(sb, sn, st, d, stag, rb, rn, rt, s, rtag, c, status);
}
int MPI_Send_init(const void* b, int n, MPI_Datatype t, int d, int tag, MPI_Comm c, MPI_Request* q) {
  const int rc = PMPI_Send_init(b, n, t, d, tag, c, q);
  persistent()[*q] = {"persistent send", size_of(n, t)};
  return rc;
}
int MPI_Recv_init(void* b, int n, MPI_Datatype t, int s, int tag, MPI_Comm c, MPI_Request* q) {
  const int rc = PMPI_Recv_init(b, n, t, s, tag, c, q);
  persistent()[*q] = {"persistent recv", size_of(n, t)};
  return rc;
}
int MPI_Start(MPI_Request* q) {
  const auto it = persistent().find(*q);
  if (it != persistent().end()) note(it->second.first.c_str(), it->second.second);
  return PMPI_Start(q);
}
int MPI_Startall(int n, MPI_Request q[]) {
  for (int k = 0; k < n; ++k) {
    const auto it = persistent().find(q[k]);
    if (it != persistent().end()) note(it->second.first.c_str(), it->second.second);
  }
  return PMPI_Startall(n, q);
}
int MPI_Iallgatherv(const void* s, int sn, MPI_Datatype st, void* r, const int rn[], const int d[],
                    MPI_Datatype rt, MPI_Comm c, MPI_Request* q) {
  note("MPI_Iallgatherv", size_of(sn, st));
  return PMPI_Iallgatherv(s, sn, st, r, rn, d, rt, c, q);
}
int MPI_Iallgather(const void* s, int sn, MPI_Datatype st, void* r, int rn, MPI_Datatype rt, MPI_Comm c,
                   MPI_Request* q) {
  note("MPI_Iallgather", size_of(sn, st));
  return PMPI_Iallgather(s, sn, st, r, rn, rt, c, q);
}
int MPI_Igatherv(const void* s, int sn, MPI_Datatype st, void* r, const int rn[], const int d[], MPI_Datatype rt,
                 int root, MPI_Comm c, MPI_Request* q) {
  note("MPI_Igatherv", size_of(sn, st));
  return PMPI_Igatherv(s, sn, st, r, rn, d, rt, root, c, q);
}
int MPI_Igather(const void* s, int sn, MPI_Datatype st, void* r, int rn, MPI_Datatype rt, int root, MPI_Comm c,
                MPI_Request* q) {
  note("MPI_Igather", size_of(sn, st));
  return PMPI_Igather(s, sn, st, r, rn, rt, root, c, q);
}
int MPI_Iallreduce(const void* s, void* r, int n, MPI_Datatype t, MPI_Op op, MPI_Comm c, MPI_Request* q) {
  note("MPI_Iallreduce", size_of(n, t));
  return PMPI_Iallreduce(s, r, n, t, op, c, q);
}
int MPI_Ibcast(void* b, int n, MPI_Datatype t, int root, MPI_Comm c, MPI_Request* q) {
  note("MPI_Ibcast", size_of(n, t));
  return PMPI_Ibcast(b, n, t, root, c, q);
}
int MPI_Ineighbor_alltoallv(const void* s, const int sn[], const int sd[], MPI_Datatype st, void* r,
                            const int rn[], const int rd[], MPI_Datatype rt, MPI_Comm c, MPI_Request* q) {
  note("MPI_Ineighbor_alltoallv", 0);
  return PMPI_Ineighbor_alltoallv(s, sn, sd, st, r, rn, rd, rt, c, q);
}
int MPI_Finalize() {
  const char* prefix = std::getenv("QGEN_MPI_COUNTS");
  if (prefix && *prefix) {
    int rank = 0;
    PMPI_Comm_rank(MPI_COMM_WORLD, &rank);
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, t] : tallies()) j[name] = {{"calls", t.calls}, {"bytes", t.bytes}};
    const std::string path = std::string(prefix) + ".rank" + std::to_string(rank) + ".json";
    if (std::FILE* f = std::fopen(path.c_str(), "w")) {
      std::fputs(j.dump(1).c_str(), f);
      std::fclose(f);
    }
  }
  return PMPI_Finalize();
}

}  // extern "C"
