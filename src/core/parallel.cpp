#include "qgen/core/parallel.hpp"

#include "qgen/core/errors.hpp"

namespace qgen::core {

Ranks Ranks::of(MPI_Comm comm) {
  Ranks r;
  r.comm = comm;
  MPI_Comm_rank(comm, &r.rank);
  MPI_Comm_size(comm, &r.size);
  return r;
}

void agree(const Ranks& ranks, std::exception_ptr local) {
  int mine = local ? ranks.rank : ranks.size, origin = ranks.size;
  MPI_Allreduce(&mine, &origin, 1, MPI_INT, MPI_MIN, ranks.comm);
  if (origin == ranks.size) return;

  // The first failing rank tells everyone what went wrong.
  ErrorText text;
  if (ranks.rank == origin) text = error_text(local);
  int kind = static_cast<int>(text.kind);
  MPI_Bcast(&kind, 1, MPI_INT, origin, ranks.comm);
  std::uint64_t length = text.message.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, origin, ranks.comm);
  text.message.resize(length);
  MPI_Bcast(text.message.data(), static_cast<int>(length), MPI_CHAR, origin, ranks.comm);
  text.kind = static_cast<ErrorKind>(kind);

  if (ranks.lead() && origin == ranks.rank) std::rethrow_exception(local);
  if (ranks.lead()) {
    // Input and data messages name their file or option already; others say where they arose.
    const bool say_rank = text.kind == ErrorKind::petsc || text.kind == ErrorKind::internal;
    throw_error(text.kind, (say_rank ? "rank " + std::to_string(origin) + ": " : "") + text.message);
  }
  throw RemoteError(text.kind, text.message);
}

void collectively(const Ranks& ranks, const std::function<void()>& work) {
  std::exception_ptr failure;
  try {
    work();
  } catch (...) {
    failure = std::current_exception();
  }
  agree(ranks, failure);
}

void on_lead(const Ranks& ranks, const std::function<void()>& work) {
  std::exception_ptr failure;
  if (ranks.lead()) {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  agree(ranks, failure);
}

void broadcast(const Ranks& ranks, std::string& text) {
  std::vector<char> bytes(text.begin(), text.end());
  broadcast(ranks, bytes);
  text.assign(bytes.begin(), bytes.end());
}

void broadcast(const Ranks& ranks, std::vector<std::string>& texts) {
  std::uint64_t n = texts.size();
  broadcast(ranks, n);
  texts.resize(n);
  for (std::string& t : texts) broadcast(ranks, t);
}

}  // namespace qgen::core
