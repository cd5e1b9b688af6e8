#include "qgen/app/collective.hpp"

#include <stdexcept>

#include "qgen/app/options.hpp"
#include "qgen/data/data_error.hpp"

namespace qgen::app {

void on_lead(const Context& context, const std::function<void()>& work) {
  std::int64_t code = 0;  // 0 ok, 2 bad input, 1 other
  std::string message;
  if (context.lead()) {
    try {
      work();
    } catch (const InputError& e) {
      code = 2;
      message = e.what();
    } catch (const data::DataError& e) {
      code = 2;
      message = e.what();
    } catch (const std::invalid_argument& e) {
      code = 2;
      message = e.what();
    } catch (const std::exception& e) {
      code = 1;
      message = e.what();
    }
  }
  broadcast(context, code);
  if (code == 0) return;
  broadcast(context, message);
  if (code == 2) throw InputError(message);
  throw std::runtime_error(message);
}

void broadcast(const Context& context, std::vector<double>& values) {
  std::int64_t n = static_cast<std::int64_t>(values.size());
  broadcast(context, n);
  values.resize(static_cast<std::size_t>(n));
  MPI_Bcast(values.data(), static_cast<int>(n), MPI_DOUBLE, 0, context.comm);
}

void broadcast(const Context& context, std::vector<std::int64_t>& values) {
  std::int64_t n = static_cast<std::int64_t>(values.size());
  broadcast(context, n);
  values.resize(static_cast<std::size_t>(n));
  MPI_Bcast(values.data(), static_cast<int>(n), MPI_INT64_T, 0, context.comm);
}

void broadcast(const Context& context, std::string& text) {
  std::int64_t n = static_cast<std::int64_t>(text.size());
  broadcast(context, n);
  text.resize(static_cast<std::size_t>(n));
  MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, context.comm);
}

void broadcast(const Context& context, std::int64_t& value) {
  MPI_Bcast(&value, 1, MPI_INT64_T, 0, context.comm);
}

}  // namespace qgen::app
