// Lead-rank work whose outcome every rank must share: reading data, checkpoints and outputs
// happens on rank 0, and a failure there must stop every rank with the same message and exit
// code, never leave the others waiting in a collective.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "qgen/app/command.hpp"

namespace qgen::app {

/// Runs `work` on the lead rank. If it throws, every rank throws: InputError (exit code 2) for
/// bad input or data, std::runtime_error (exit code 1) otherwise, with the lead's message.
void on_lead(const Context& context, const std::function<void()>& work);

void broadcast(const Context& context, std::vector<double>& values);
void broadcast(const Context& context, std::vector<std::int64_t>& values);
void broadcast(const Context& context, std::string& text);
void broadcast(const Context& context, std::int64_t& value);

}  // namespace qgen::app
