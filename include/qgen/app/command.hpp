// Sub-commands of the qgen executable. Each takes the words after its name, runs on every rank
// of `ranks` and returns the process exit code. Errors are thrown (core/errors.hpp) and mapped to
// exit codes in one place, main; a command never maps them itself.
#pragma once

#include <string>
#include <vector>

#include "qgen/core/parallel.hpp"

namespace qgen::app {

using Words = std::vector<std::string>;

int run_circuit_command(const core::Ranks& ranks, const Words& words);
int run_data_command(const core::Ranks& ranks, const Words& words);
int run_train_command(const core::Ranks& ranks, const Words& words);
int run_sample_command(const core::Ranks& ranks, const Words& words);
int run_eval_command(const core::Ranks& ranks, const Words& words);
int run_qinn_command(const core::Ranks& ranks, const Words& words);
int run_lcd_command(const core::Ranks& ranks, const Words& words);
int run_serve_exchange_command(const core::Ranks& ranks, const Words& words);
int run_study_command(const core::Ranks& ranks, const Words& words);
int run_cost_command(const core::Ranks& ranks, const Words& words);

}  // namespace qgen::app
