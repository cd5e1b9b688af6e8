#include <mpi.h>
#include <chrono>
#include <cstdio>
#include <numbers>
#include <algorithm>
#include "qgen/qinn/objective.hpp"
#include "qgen/qinn/streams.hpp"
#include "qgen/qinn/dilepton.hpp"
using namespace qgen; using namespace qgen::qinn;
int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  FeatureScaling s; s.columns = zll_features(); s.low = {15,15,0,-2.5,-2.5}; s.high = {150,150,3.14159,2.5,2.5};
  const int B = 128;
  std::vector<double> scaled(B*5), mass(B, 91.0), zg(B*5), zr(B*5);
  for (int i = 0; i < B*5; ++i) scaled[i] = 0.1 + 2.9 * ((i * 7919) % 1000) / 1000.0;
  normal_values(1, 1, 0, zg); normal_values(1, 2, 0, zr);
  for (auto fusion : {sim::FusionLevel::one_qubit, sim::FusionLevel::two_qubit})
  for (int chunk : {8, 16, 32, 64, 128}) {
    QinnModel model({QinnShape{}, chunk, fusion}, s);
    auto p = model.initial_parameters(1, 3.14);
    Objective obj(core::Ranks::of(MPI_COMM_SELF), model, ObjectiveOptions{});
    std::vector<double> g(p.size());
    obj.evaluate(p, {scaled, mass, zg, zr}, g);
    std::vector<double> t; ObjectiveTimes tt{};
    for (int r = 0; r < 15; ++r) {
      auto a = std::chrono::steady_clock::now();
      obj.evaluate(p, {scaled, mass, zg, zr}, g);
      t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
      tt.circuits += obj.times().circuits/15; tt.network += obj.times().network/15; tt.mmd += obj.times().mmd/15;
    }
    std::sort(t.begin(), t.end());
    std::printf("fusion %d chunk %3d: batch %.2f ms (circuits %.2f network %.2f mmd %.2f) -> epoch (293 batches, 1 rank) %.2f s\n", (int)fusion, chunk, t[7]*1e3, tt.circuits*1e3, tt.network*1e3, tt.mmd*1e3, t[7]*293);
  }
  MPI_Finalize();
}
