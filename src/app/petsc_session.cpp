#include "qgen/app/petsc_session.hpp"

#include <petscsys.h>

#include <cctype>
#include <sstream>
#include <stdexcept>

namespace qgen::app {
namespace {

bool petsc_option(const std::string& word) {
  return word.size() > 2 && word[0] == '-' && word[1] != '-' && std::isalpha(static_cast<unsigned char>(word[1]));
}

}  // namespace

void split_petsc_options(const std::vector<std::string>& words, std::vector<std::string>& qgen,
                         std::vector<std::string>& petsc) {
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (!petsc_option(words[k])) {
      qgen.push_back(words[k]);
      continue;
    }
    petsc.push_back(words[k]);
    // Its value: the next word unless that is another option ("-1" is a value) or key=value.
    if (k + 1 < words.size() && words[k + 1].rfind("--", 0) != 0 && !petsc_option(words[k + 1]) &&
        words[k + 1].find('=') == std::string::npos)
      petsc.push_back(words[++k]);
  }
}

PetscSession::PetscSession(const std::vector<std::string>& options, const std::string& extra) {
  static char name[] = "qgen";
  // The input file's options first, the command line's after: PETSc lets the later win.
  std::vector<std::string> storage;
  std::istringstream words(extra);
  for (std::string w; words >> w;) storage.push_back(w);
  storage.insert(storage.end(), options.begin(), options.end());
  std::vector<char*> argv{name};
  for (auto& o : storage) argv.push_back(o.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(argv.size()) - 1;
  char** pointer = argv.data();
  if (PetscInitialize(&argc, &pointer, nullptr, nullptr) != 0)
    throw std::runtime_error("PetscInitialize failed");
  // PETSc errors come back as codes; qgen reports them in one line (petsc_error_text).
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
}

PetscSession::~PetscSession() {
  PetscPopErrorHandler();
  PetscFinalize();
}

void PetscSession::set_default(const std::string& name, const std::string& value) {
  PetscBool given = PETSC_FALSE;
  PetscOptionsHasName(nullptr, nullptr, name.c_str(), &given);
  if (!given) PetscOptionsSetValue(nullptr, name.c_str(), value.c_str());
}

}  // namespace qgen::app
