// qgen study: every run of a study (study_file.hpp) inside one allocation, or one run per task
// of a job array, and one HDF5 file with them all (study_output.hpp). docs/study.md.
//
//   mpiexec -n R qgen study --config S.ini [--groups G]   all runs: G groups of ranks, run k on
//                                                          group k mod G, one run at a time each
//   qgen study --config S.ini --list                       the runs and where each stands
//   mpiexec -n R qgen study --config S.ini --task N|slurm  run N only (a job array's task)
//   qgen study --config S.ini --collect                    merge the runs' files into the output
//
// Groups: the world communicator split (MPI_Comm_split) into G blocks of consecutive ranks
// (sizes differ by at most one when G does not divide R). Default G = min(R, runs): every rank
// trains its own runs, which is the most throughput for the paper's small circuits (a run's
// results do not depend on its ranks: qgen train is reproducible on any rank count). A run is
// qgen train itself (run_train_command with the group's ranks and the run's words).
//
// A run that fails (an error inside training, a value qgen train refuses) is recorded with its
// message and the study goes on; its group's ranks agree on the failure through qgen train's
// collective error handling. A rerun skips completed runs (status record, configuration and a
// whole results file: study_run_status.hpp) and continues interrupted ones from their
// checkpoints. A signal (SIGTERM, SIGUSR1: Slurm's time limit) stops each group's run at its
// next step with a checkpoint; no new run starts; the output is written; exit code 3.
//
// Exit codes: 0 every run completed; 1 some run failed, is invalid or missing (the output is
// written all the same); 2 bad study file or options (nothing runs, nothing written); 3 stopped
// by a signal. With --task: the run's own code (0, 2 for invalid values, 3, or qgen train's).
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "qgen/app/command.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/petsc_session.hpp"
#include "qgen/app/run_files.hpp"
#include "qgen/app/study_file.hpp"
#include "qgen/app/study_output.hpp"
#include "qgen/app/study_run_status.hpp"
#include "qgen/app/study_runs.hpp"
#include "qgen/core/errors.hpp"
#include "qgen/core/text.hpp"
#include "qgen/train/stop_signals.hpp"

namespace qgen::app {
namespace {

po::options_description study_options() {
  po::options_description o("qgen study options");
  o.add_options()
      ("config", po::value<std::string>(), "the study's INI file: [study] name, base, output; "
       "[sweep] train keys with comma-separated values; [set] train keys (docs/study.md)")
      ("groups", po::value<int>(), "split the ranks into G groups that each train one run at a "
       "time, run k on group k mod G (default: one group per rank, at most one per run)")
      ("task", po::value<std::string>(), "train only run N (0-based, see --list): one task of a "
       "job array; 'slurm' takes N from SLURM_ARRAY_TASK_ID. Merge with --collect afterwards")
      ("list", "list the runs (name, swept values, status) and stop")
      ("collect", "merge the runs' files into the study's output file and print the summary "
       "(after a job array; missing runs are recorded as missing)")
      ("help,h", "print this help");
  return o;
}

struct Choice {
  std::string config;
  std::optional<int> groups;
  std::optional<std::size_t> task;
  bool list = false, collect = false, help = false;
};

Choice choice_from(const Words& words) {
  const po::options_description options = study_options();
  po::variables_map v;
  try {
    po::store(po::command_line_parser(words).options(options).run(), v);
    po::notify(v);
  } catch (const po::error& e) {
    throw core::InputError(std::string(e.what()) + " (see qgen study --help)");
  }
  Choice c;
  c.help = v.count("help") > 0;
  if (c.help) return c;
  if (!v.count("config")) throw core::InputError("--config STUDY.ini is needed (see qgen study --help)");
  c.config = v["config"].as<std::string>();
  c.list = v.count("list") > 0;
  c.collect = v.count("collect") > 0;
  if (v.count("groups")) c.groups = v["groups"].as<int>();
  if (v.count("task")) {
    std::string task = v["task"].as<std::string>();
    if (task == "slurm") {
      const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
      if (id == nullptr || *id == '\0')
        throw core::InputError("--task slurm: SLURM_ARRAY_TASK_ID is not set (submit with sbatch "
                               "--array=0-N, not as a plain job)");
      task = id;
    }
    if (task.empty() || task.find_first_not_of("0123456789") != std::string::npos || task.size() > 9)
      throw core::InputError("--task: '" + core::printable(task) + "' is not a run number (see --list)");
    c.task = std::stoul(task);
  }
  if (int(c.list) + int(c.collect) + int(c.task.has_value()) > 1)
    throw core::InputError("give at most one of --list, --collect and --task");
  if (c.groups && (c.list || c.collect || c.task))
    throw core::InputError("--groups splits the ranks of a whole study; a --task run uses all its ranks");
  return c;
}

void print_list(const StudyFile& study, const std::vector<StudyRun>& runs) {
  std::printf("qgen study %s: %zu runs (output %s, runs in %s/)\n", study.name.c_str(), runs.size(),
              study.output.c_str(), runs_folder(study).c_str());
  for (const StudyRun& run : runs) {
    const RunStatus s = current_status(run);
    const bool never = s.state == RunState::missing && s.message.empty();
    std::printf("  %3zu  %-40s  %-40s  %s%s\n", run.index, run.name.c_str(), swept_text(run).c_str(),
                never ? "not run yet" : core::name_of(s.state).c_str(),
                s.message.empty() ? "" : (": " + s.message).c_str());
  }
}

// What the run's lead found in its files before starting it.
enum Decision : std::int64_t { fresh, skip, resume, refuse };

void say(const core::Ranks& group, const std::string& line) {
  if (!group.lead()) return;
  std::printf("qgen study: %s\n", line.c_str());
  std::fflush(stdout);
}

// [evaluate]: qgen eval --repetitions on a completed run, by its group (the ranks split the
// repetitions), into run.evaluation; nothing when the study asks for none or the file exists.
// Collective over the group. A failure leaves the training completed (rerunning the study tries
// the evaluation again) and is said; the study's table shows the evaluation missing.
void evaluate_run(const core::Ranks& group, const StudyFile& study, const StudyRun& run, const RunStatus& status) {
  const StudyEvaluation& e = study.evaluate;
  if (e.repetitions == 0 || status.state != RunState::completed) return;
  std::int64_t exists = 0;
  core::on_lead(group, [&] { exists = std::filesystem::is_regular_file(run.evaluation); });
  core::broadcast(group, exists);
  if (exists) return;
  Words words = {"--results", run.results, "--repetitions", std::to_string(e.repetitions), "--shots",
                 std::to_string(e.shots), "--seed", std::to_string(e.seed), "--output", run.evaluation, "--quiet"};
  if (!e.data.empty()) words.insert(words.end(), {"--data", e.data});
  try {
    run_eval_command(group, words);
  } catch (const std::exception& error) {
    say(group, run.name + ": trained, but its evaluation failed: " + error.what());
  }
}

// Trains one run on `group` (or skips it), then evaluates it ([evaluate]): collective over the
// group. Returns its state.
RunStatus run_one(const core::Ranks& group, const StudyFile& study, const StudyRun& run, std::size_t count,
                  const std::string& where) {
  const std::string label = run.name + " (" + std::to_string(run.index + 1) + " of " + std::to_string(count) + ")";
  std::int64_t decision = fresh;
  RunStatus before;
  core::on_lead(group, [&] {
    before = current_status(run);
    if (before.state == RunState::invalid) decision = refuse;
    else if (before.state == RunState::completed) decision = skip;
    else if ((before.state == RunState::running || before.state == RunState::stopped) &&
             std::filesystem::is_regular_file(run.checkpoint))
      decision = resume;
  });
  core::broadcast(group, decision);
  if (decision == skip) {
    say(group, label + ": completed earlier (" + run.results + "); skipped");
    const RunStatus skipped = run_status(RunState::completed);
    evaluate_run(group, study, run, skipped);
    return skipped;
  }
  if (decision == refuse) {
    RunStatus invalid{RunState::invalid, run.invalid, 0, core::exit_code::bad_input, run.config};
    core::on_lead(group, [&] { write_run_status(run, invalid); });
    say(group, label + ": invalid, not run: " + run.invalid);
    return invalid;
  }
  // The time of a stopped run counts on when it continues (a killed one's is lost).
  core::on_lead(group, [&] {
    write_run_status(run, {RunState::running, "", decision == resume ? before.seconds : 0.0, 0, run.config});
  });
  Words words = run.words;
  if (decision == resume) words.insert(words.end(), {"--restart", run.checkpoint});
  say(group, label + " " + swept_text(run) + " on " + where +
                 (decision == resume ? ", continuing from " + run.checkpoint : ""));
  const double start = MPI_Wtime();
  RunStatus done{RunState::completed, "", 0, 0, run.config};
  try {
    done.exit_code = run_train_command(group, words);
    if (done.exit_code == core::exit_code::stopped) {
      done.state = RunState::stopped;
      done.message = "stopped by a signal after writing its checkpoint; rerun the study to continue";
    } else if (done.exit_code != core::exit_code::success) {
      done.state = RunState::failed;
      done.message = "qgen train ended with exit code " + std::to_string(done.exit_code);
    }
  } catch (const std::exception& e) {
    // qgen train agrees its errors over the group: the group's other ranks hold a RemoteError.
    // Any other error on them was not agreed, and the lead may wait in a collective: as main
    // does, print it and end the whole job rather than hang.
    if (!group.lead() && dynamic_cast<const core::RemoteError*>(&e) == nullptr) {
      std::fprintf(stderr, "qgen study: error in %s (not agreed with its group): %s\n",
                   run.name.c_str(), e.what());
      std::fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, core::exit_code_of(core::error_kind(e)));
    }
    done.state = RunState::failed;
    done.message = e.what();
    done.exit_code = core::exit_code_of(core::error_kind(e));
  }
  evaluate_run(group, study, run, done);
  done.seconds = MPI_Wtime() - start + (decision == resume ? before.seconds : 0.0);
  core::on_lead(group, [&] { write_run_status(run, done); });
  say(group, label + ": " + core::name_of(done.state) + " after " + core::duration_text(done.seconds) +
                 (done.message.empty() ? "" : ": " + done.message));
  return done;
}

// Merges the runs into the output on the lead and prints the table; the exit code on every rank.
int collect(const core::Ranks& world, const StudyFile& study, const std::vector<StudyRun>& runs,
            bool stopped) {
  std::int64_t code = core::exit_code::success;
  core::on_lead(world, [&] {
    const std::vector<StudyRow> rows = study_rows(runs, study.evaluate);
    write_study_output(study, rows);
    std::size_t completed = 0;
    for (const auto& row : rows) completed += row.status.state == RunState::completed && !row.evaluation_missing;
    std::printf("qgen study %s: %zu of %zu runs completed; written %s\n%s", study.name.c_str(),
                completed, rows.size(), study.output.c_str(), study_table(rows).c_str());
    std::fflush(stdout);
    if (completed != rows.size()) code = core::exit_code::failure;
  });
  if (stopped) code = core::exit_code::stopped;
  core::broadcast(world, code);
  return static_cast<int>(code);
}

std::string ranks_text(int first, int size) {
  return size == 1 ? "rank " + std::to_string(first)
                   : "ranks " + std::to_string(first) + "-" + std::to_string(first + size - 1);
}

}  // namespace

int run_study_command(const core::Ranks& world, const Words& words) {
  const train::StopSignals signals;  // first: a signal during the set-up is recorded
  Choice choice;
  StudyFile study;
  std::vector<StudyRun> runs;
  core::collectively(world, [&] {
    choice = choice_from(words);
    if (choice.help) return;
    study = read_study_file(choice.config);
    runs = study_runs(study);
    if (choice.task && *choice.task >= runs.size())
      throw core::InputError("--task " + std::to_string(*choice.task) + ": the study '" + study.name +
                             "' has runs 0 to " + std::to_string(runs.size() - 1) + " (see --list)");
    if (choice.groups && (*choice.groups < 1 || *choice.groups > world.size))
      throw core::InputError("--groups " + std::to_string(*choice.groups) + ": between 1 and the " +
                             std::to_string(world.size) + " ranks");
  });
  if (choice.help) {
    print_help("[mpiexec -n R] qgen study --config STUDY.ini [--groups G | --task N|slurm | --list | --collect]",
               study_options(), world.lead());
    if (world.lead())
      std::printf(
          "A study trains many qgen train runs made from one base config: the runs are the\n"
          "cartesian product of the [sweep] values (layer sweeps, initial states, shots, data\n"
          "fractions, seeds), each with the [set] values. Every run writes its results, checkpoint,\n"
          "log and status into <output>.runs/; at the end the lead rank merges them into the one\n"
          "HDF5 output: /runs/<run>/ (a copy of each results file, attributes status, message and\n"
          "the swept values) and /table/ (name, status, loss, js, mae, seconds, sweep/<key>).\n"
          "Rerunning a study skips completed runs and continues interrupted ones. docs/study.md.\n\n"
          "Example (the layer sweep of paper 000, Fig. 6; more in inputs/studies/):\n"
          "  [study]\n"
          "  name = fig6-layers-a1\n"
          "  base = inputs/qcbm-2d-a1-zero.ini      # a qgen train config\n"
          "  output = study-fig6-layers-a1.h5\n"
          "  [sweep]\n"
          "  circuit.depth = 1, 3, 6, 9             # any qgen train key; runs: every combination\n"
          "  [set]\n"
          "  train.steps = 300                      # the same for every run\n\n"
          "Exit codes: 0 all runs completed, 1 some failed or missing (output written), 2 bad\n"
          "study file, 3 stopped by a signal (rerun to continue).\n");
    return 0;
  }
  if (choice.list) {
    core::on_lead(world, [&] { print_list(study, runs); });
    return 0;
  }
  if (choice.collect) return collect(world, study, runs, false);

  core::on_lead(world, [&] {
    std::vector<RunFile> inputs = {{"--config", study.path}, {"base", study.base}};
    print_cleaned(check_run_files(inputs, {{"output", study.output}}));
    std::filesystem::create_directories(runs_folder(study));
  });
  PetscSession petsc({}, "");  // once for the study: every run's session nests in it

  if (choice.task) {
    const RunStatus s = run_one(world, study, runs[*choice.task], runs.size(), ranks_text(0, world.size));
    if (s.state == RunState::completed) return core::exit_code::success;
    return s.state == RunState::invalid ? core::exit_code::bad_input : s.exit_code;
  }

  const int groups = choice.groups ? *choice.groups
                                   : static_cast<int>(std::min<std::size_t>(world.size, runs.size()));
  const int color = static_cast<int>(static_cast<long>(world.rank) * groups / world.size);
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm_split(world.comm, color, world.rank, &comm);
  bool stopped = false;
  {
    const core::Ranks group = core::Ranks::of(comm);
    int first = world.rank - group.rank;
    MPI_Bcast(&first, 1, MPI_INT, 0, group.comm);
    if (world.lead())
      std::printf("qgen study %s: %zu runs on %d ranks in %d group%s (run k on group k mod %d); "
                  "runs in %s/\n", study.name.c_str(), runs.size(), world.size, groups,
                  groups == 1 ? "" : "s", groups, runs_folder(study).c_str());
    std::fflush(stdout);
    const std::string where = "group " + std::to_string(color) + " (" + ranks_text(first, group.size) + ")";
    for (std::size_t k = color; k < runs.size(); k += groups) {
      if (signals.agreed(group) != 0) {
        stopped = true;
        break;
      }
      if (run_one(group, study, runs[k], runs.size(), where).state == RunState::stopped) {
        stopped = true;
        break;
      }
    }
  }
  MPI_Comm_free(&comm);
  int any = stopped ? 1 : 0, stopped_anywhere = 0;
  MPI_Allreduce(&any, &stopped_anywhere, 1, MPI_INT, MPI_MAX, world.comm);
  if (stopped_anywhere && world.lead())
    std::printf("qgen study: stopped by a signal; rerun the same command to continue\n");
  return collect(world, study, runs, stopped_anywhere != 0);
}

}  // namespace qgen::app
