// A study INI file (app/study_file.hpp) and its runs (app/study_runs.hpp): the cartesian product
// in order with the last key fastest, run names, the separators, invalid values as invalid runs,
// unknown keys and sections refused naming the key, the file and the line; and data.fraction's
// nested subsets (app/data_source.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "qgen/app/data_source.hpp"
#include "qgen/app/study_file.hpp"
#include "qgen/app/study_runs.hpp"
#include "qgen/core/errors.hpp"

namespace {

using qgen::app::read_study_file;
using qgen::app::study_runs;

std::string write_ini(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("qgen-test-study-" + name + ".ini");
  std::ofstream(path) << text;
  return path.string();
}

std::string input_error(const std::string& path) {
  try {
    study_runs(read_study_file(path));
  } catch (const qgen::core::InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kSet = "[set]\ndata.generate = dijet\ntrain.steps = 2\n";

TEST(StudyRuns, CartesianProductInOrderWithTheLastKeyFastest) {
  const auto path = write_ini("product", "[study]\nname = p\n[sweep]\ncircuit.depth = 1, 3\n"
                                         "circuit.initial-state = zero, bell, plus  # a comment\n" + kSet);
  const auto study = read_study_file(path);
  EXPECT_EQ(study.output, "p.h5");
  const auto runs = study_runs(study);
  ASSERT_EQ(runs.size(), 6u);
  const char* depth[] = {"1", "1", "1", "3", "3", "3"};
  const char* state[] = {"zero", "bell", "plus", "zero", "bell", "plus"};
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(runs[k].index, k);
    EXPECT_EQ(runs[k].swept.at(0).second, depth[k]);
    EXPECT_EQ(runs[k].swept.at(1).second, state[k]);
    EXPECT_TRUE(runs[k].invalid.empty()) << runs[k].invalid;
    EXPECT_NE(runs[k].config.find(std::string("initial-state = ") + state[k]), std::string::npos);
  }
  EXPECT_EQ(runs[4].name, "run-4_depth-3_initial-state-bell");
  EXPECT_EQ(runs[4].results, "p.h5.runs/run-4_depth-3_initial-state-bell.h5");
  EXPECT_NE(std::find(runs[4].words.begin(), runs[4].words.end(), "quiet=true"), runs[4].words.end());
}

TEST(StudyRuns, NamesArePaddedToSortInRunOrder) {
  const auto path = write_ini("padded", "[study]\nname = p\n[sweep]\ntrain.seed = 1,2,3,4,5,6,7,8,9,10,11\n" + kSet);
  const auto runs = study_runs(read_study_file(path));
  ASSERT_EQ(runs.size(), 11u);
  EXPECT_EQ(runs[0].name, "run-00_seed-1");
  EXPECT_EQ(runs[10].name, "run-10_seed-11");
}

TEST(StudyRuns, SemicolonsSeparateValuesThatHoldCommas) {
  const auto path = write_ini("semicolon", "[study]\nname = s\n[sweep]\nencoding.features = pT,mass; pT,mass,eta\n" + kSet);
  const auto runs = study_runs(read_study_file(path));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].swept[0].second, "pT,mass,eta");
  EXPECT_EQ(runs[1].name, "run-1_features-pT_mass_eta");
}

TEST(StudyRuns, AValueTrainRefusesMakesOneRunInvalid) {
  const auto path = write_ini("invalid", "[study]\nname = i\n[sweep]\ntrain.shots = 100, -1, 200\n" + kSet);
  const auto runs = study_runs(read_study_file(path));
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_TRUE(runs[0].invalid.empty());
  EXPECT_NE(runs[1].invalid.find("train.shots must be > 0"), std::string::npos) << runs[1].invalid;
  EXPECT_TRUE(runs[2].invalid.empty());
}

TEST(StudyRuns, BadFilesAreRefusedNamingKeyFileAndLine) {
  const std::string head = "[study]\nname = b\n";
  auto error = [&](const std::string& name, const std::string& text) {
    return input_error(write_ini(name, head + text));
  };
  const std::string unknown = error("unknown", "[sweep]\ncircuit.depht = 1, 2\n");
  EXPECT_NE(unknown.find("qgen-test-study-unknown.ini', line 4: [sweep] circuit.depht: not a qgen train key"),
            std::string::npos) << unknown;
  EXPECT_NE(error("section", "[sweeps]\n").find("unknown section [sweeps]"), std::string::npos);
  EXPECT_NE(error("evaluate", "[evaluate]\nrepetitions = 10x\n").find("line 4: [evaluate] repetitions = '10x' is not a whole number"),
            std::string::npos);
  EXPECT_NE(error("evaluate-shots", "[evaluate]\nshots = 0\n").find("[evaluate] shots = '0' is not a whole number >= 1"),
            std::string::npos);
  EXPECT_NE(error("study-key", "outptu = x.h5\n").find("[study] outptu: unknown key"), std::string::npos);
  EXPECT_NE(error("owned", "[set]\ncheckpoint = c.h5\n").find("names each run's checkpoint itself"),
            std::string::npos);
  EXPECT_NE(error("twice", "[sweep]\ntrain.seed = 1, 2\n[set]\ntrain.seed = 3\n").find("train.seed is given twice"),
            std::string::npos);
  EXPECT_NE(error("repeat", "[sweep]\ntrain.seed = 1, 1\n").find("names '1' twice"), std::string::npos);
  EXPECT_NE(error("empty", "[sweep]\ntrain.seed = 1,,2\n").find("an empty value"), std::string::npos);
  EXPECT_NE(error("base", "base = does/not/exist.ini\n").find("does not exist"), std::string::npos);
  EXPECT_NE(input_error(write_ini("noname", "[sweep]\ntrain.seed = 1\n")).find("name is missing"),
            std::string::npos);
  EXPECT_NE(input_error(write_ini("nosection", "name = x\n")).find("before any [section]"), std::string::npos);
}

TEST(StudyRuns, ABaseConfigWithAnUnknownKeyIsRefused) {
  const auto base = write_ini("badbase", "[circuit]\ndepht = 3\n");
  const std::string e = input_error(write_ini("withbase", "[study]\nname = b\nbase = " + base + "\n"));
  EXPECT_NE(e.find("its base config is not a qgen train config"), std::string::npos) << e;
  EXPECT_NE(e.find("depht"), std::string::npos) << e;
}

TEST(DataFraction, SubsetsAreNestedAndSized) {
  const auto small = qgen::app::fraction_rows(10000, 0.01, 7);
  const auto large = qgen::app::fraction_rows(10000, 0.1, 7);
  ASSERT_EQ(small.size(), 100u);
  ASSERT_EQ(large.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(large.begin(), large.end()));
  EXPECT_TRUE(std::includes(large.begin(), large.end(), small.begin(), small.end()));
  EXPECT_NE(qgen::app::fraction_rows(10000, 0.01, 8), small);  // the seed matters
  EXPECT_EQ(qgen::app::fraction_rows(10000, 1.0, 7).size(), 10000u);
}

}  // namespace
