# qgen qinn (issue 11): help, a real-data run, the results layout in h5py, sample and density,
# a signal and a restart, and every bad input of the issue: one message, exit 2, nothing
# written. Included from tests/app/CMakeLists.txt (uses its `out`).
set(qinn_small data.events=3000 model.isp-layers=1 model.network-hidden=8 model.chunk=8
    train.epochs=2 samples=500 --quiet)
set(qinn_tiny ${qinn_small} model.layers=2)
string(REPLACE ";" " " qinn_small_text "${qinn_small}")
string(REPLACE ";" " " qinn_tiny_text "${qinn_tiny}")
set(qinn_run ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 2 ${QGEN_MPIEXEC_PREFLAGS} $<TARGET_FILE:qgen>)
string(REPLACE ";" " " qinn_run_text "${qinn_run}")
set(cms ${PROJECT_SOURCE_DIR}/inputs/data/Zmumu_Run2011A.csv)

qgen_add_cli_test(cli_qinn_usage EXIT 0 MATCH "density +write each event's log-density" ARGS qinn --help)
qgen_add_cli_test(cli_qinn_no_subcommand EXIT 2 MATCH "a sub-command is needed: train, sample or density" ARGS qinn)
qgen_add_cli_test(cli_qinn_unknown_subcommand EXIT 2 MATCH "unknown sub-command 'fit'" ARGS qinn fit)
qgen_add_cli_test(cli_qinn_train_help EXIT 0 MATCH "model.layers.*\\(=12\\)" ARGS qinn train --help)
qgen_add_cli_test(cli_qinn_dry_run EXIT 0 MATCH "5 qubits, 12 layers, ISP 8 quantum layers and 3 dense layers of 32: 2063 parameters"
                  NPROCS 2 ABSENT ${out}/qinn-dry.h5 ARGS qinn train data.events=2000 --dry-run results=${out}/qinn-dry.h5)

# The paper's input files are complete and valid (checked, not trained).
foreach(ini qinn-zjet-mse qinn-zjet-fidelity qinn-cms)
  qgen_add_cli_test(cli_qinn_input_${ini} EXIT 0 MATCH "dry run +options, data and outputs checked" NPROCS 2
                    ARGS qinn train --config inputs/${ini}.ini --dry-run results=${out}/${ini}.h5
                         checkpoint=${out}/${ini}-ckpt.h5)
endforeach()

# A run on the CMS Z -> mu mu sample (real data, opposite-sign pairs), its results in h5py,
# then sample and density from them.
add_test(NAME qinn_cms_results_sample_density
         COMMAND bash -c "${qinn_run_text} qinn train data.input=${cms} data.observables=zll model.layers=2 model.isp-layers=1 model.network-hidden=8 model.chunk=8 train.epochs=2 samples=300 --quiet results=${out}/qinn-cms.h5 checkpoint=${out}/qinn-cms-ckpt.h5 && /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_qinn_results.py ${out}/qinn-cms.h5 2 320 300 && ${qinn_run_text} qinn sample --model ${out}/qinn-cms.h5 --samples 1000 --output ${out}/qinn-cms-samples.h5 && /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_h5.py ${out}/qinn-cms-samples.h5 1000 pT_plus,pT_minus,delta_phi,eta_plus,eta_minus,M_ll,delta_R_ll seed=1 && ${qinn_run_text} qinn density --model ${out}/qinn-cms.h5 --input ${cms} --observables zll --output ${out}/qinn-cms-density.h5 | grep -E 'outside range +[0-9]+ \\(clamped' && /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/check_h5.py ${out}/qinn-cms-density.h5 9635 pT_plus,pT_minus,delta_phi,eta_plus,eta_minus,log_density,outside_range")
set_tests_properties(qinn_cms_results_sample_density PROPERTIES ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}"
                     LABELS "cli;mpi" PROCESSORS 2 TIMEOUT 300)
add_test(NAME qinn_signal_and_restart
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qinn_signal_restart.sh $<TARGET_FILE:qgen> ${out}/qinn-signal)
set_tests_properties(qinn_signal_and_restart PROPERTIES LABELS "cli;mpi" PROCESSORS 2 TIMEOUT 600)

# Bad input on 2 ranks: rank 0 prints one message, every rank exits 2, no results file.
foreach(case
    "layers_zero|model.layers = 0: the model circuit needs 1 to 1000 layers|model.layers=0"
    "network_layers|model.network-layers = 0: the ISP's classical network needs|model.network-layers=0"
    "chunk|model.chunk = 12: events per simulated state must be a power of two|model.chunk=12"
    "invertibility_kind|loss.invertibility-kind = 'swap' is not one of mse, fidelity|loss.invertibility-kind=swap"
    "negative_weight|loss.mass-mmd = -1 must be in|loss.mass-mmd=-1"
    "widths|loss.widths: 'zero' is not a number|loss.widths=0.1,zero"
    "beta|train.beta2 = 1 must be in .0, 1.|train.beta2=1"
    "fractions|train.train-fraction \\+ train.validation-fraction must be at most 1|train.train-fraction=0.9 train.validation-fraction=0.2"
    "no_features|lacks the QINN's features: no column 'pT_plus'.*--observables zll|data.input=${cms}"
    "missing_file|file 'nowhere.h5' does not exist|data.input=nowhere.h5"
    "unwritable|output folder '/nonexistent' does not exist|results=/nonexistent/q.h5"
    "restart_not_qinn|is not a QINN checkpoint|--restart ${out}/qinn-dry-not-a-checkpoint.h5")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 match)
  list(GET parts 2 args)
  separate_arguments(args)
  set(base ${qinn_tiny} results=${out}/qinn-bad-${name}.h5 checkpoint=${out}/qinn-bad-${name}-ckpt.h5)
  foreach(arg IN LISTS args)
    if(arg MATCHES "^([a-z.-]+)=")
      list(FILTER base EXCLUDE REGEX "^${CMAKE_MATCH_1}=")
      if(CMAKE_MATCH_1 STREQUAL "data.input")
        list(FILTER base EXCLUDE REGEX "^data.events=")
      endif()
    endif()
  endforeach()
  qgen_add_cli_test(cli_qinn_bad_${name} EXIT 2 MATCH "${match}" NPROCS 2
                    ABSENT ${out}/qinn-bad-${name}.h5 ARGS qinn train ${base} ${args})
endforeach()
# The not-a-checkpoint case needs a file that exists: any HDF5 table.
add_test(NAME cli_qinn_prepare_not_a_checkpoint
         COMMAND $<TARGET_FILE:qgen> data --generate zjet --events 10 --output ${out}/qinn-dry-not-a-checkpoint.h5)
set_tests_properties(cli_qinn_prepare_not_a_checkpoint PROPERTIES ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}"
                     FIXTURES_SETUP qinn_not_a_checkpoint LABELS cli)
set_tests_properties(cli_qinn_bad_restart_not_qinn PROPERTIES FIXTURES_REQUIRED qinn_not_a_checkpoint)

# A checkpoint of another model (2 layers) refused by a 3-layer run, naming the difference.
add_test(NAME cli_qinn_bad_checkpoint_of_another_model
         COMMAND bash -c "${qinn_run_text} qinn train ${qinn_tiny_text} results=${out}/qinn-l2.h5 checkpoint=${out}/qinn-l2-ckpt.h5 && ${PROJECT_SOURCE_DIR}/tests/app/expect.sh 2 'was made for another run: model.layers: checkpoint 2, this run 3' --absent ${out}/qinn-l3.h5 -- ${qinn_run_text} qinn train ${qinn_small_text} model.layers=3 results=${out}/qinn-l3.h5 checkpoint=${out}/qinn-l3-ckpt.h5 --restart ${out}/qinn-l2-ckpt.h5")
set_tests_properties(cli_qinn_bad_checkpoint_of_another_model PROPERTIES ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}"
                     LABELS "cli;mpi" PROCESSORS 2 TIMEOUT 120)

# NaN in an input file (written by h5py) refused by density with the row and column; sample
# and density refuse files that are not QINN results.
add_test(NAME cli_qinn_density_nan
         COMMAND bash -c "/usr/bin/python3 -c \"import h5py, numpy as np; x = np.tile([40.0, 35.0, 3.0, 0.5, -0.2], (4, 1)); x[2, 3] = np.nan; f = h5py.File('${out}/qinn-nan.h5', 'w'); d = f.create_dataset('events', data=x); d.attrs['columns'] = ['pT_plus', 'pT_minus', 'delta_phi', 'eta_plus', 'eta_minus']; f.close()\" && ${qinn_run_text} qinn train ${qinn_tiny_text} results=${out}/qinn-for-nan.h5 checkpoint=${out}/qinn-for-nan-ckpt.h5 && ${PROJECT_SOURCE_DIR}/tests/app/expect.sh 2 'nan' --absent ${out}/qinn-nan-density.h5 -- ${qinn_run_text} qinn density --model ${out}/qinn-for-nan.h5 --input ${out}/qinn-nan.h5 --output ${out}/qinn-nan-density.h5")
set_tests_properties(cli_qinn_density_nan PROPERTIES ENVIRONMENT "${QGEN_MPI_TEST_ENVIRONMENT}"
                     LABELS "cli;mpi" PROCESSORS 2 TIMEOUT 120)
qgen_add_cli_test(cli_qinn_sample_not_results EXIT 2 MATCH "is not a QINN results file"
                  ABSENT ${out}/qinn-x.h5 ARGS qinn sample --model ${out}/qinn-dry-not-a-checkpoint.h5 --output ${out}/qinn-x.h5)
set_tests_properties(cli_qinn_sample_not_results PROPERTIES FIXTURES_REQUIRED qinn_not_a_checkpoint)
