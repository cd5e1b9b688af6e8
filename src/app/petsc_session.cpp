#include "qgen/app/petsc_session.hpp"

#include <petscsys.h>

#include <cctype>
#include <sstream>
#include <stdexcept>

#include "qgen/core/errors.hpp"

namespace qgen::app {
namespace {

// "-name": one dash, a letter, then letters, digits and underscores (PETSc's option names).
bool petsc_option(const std::string& word) {
  if (word.size() < 2 || word[0] != '-' || !std::isalpha(static_cast<unsigned char>(word[1])))
    return false;
  for (std::size_t k = 2; k < word.size(); ++k)
    if (!std::isalnum(static_cast<unsigned char>(word[k])) && word[k] != '_') return false;
  return true;
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
  PetscBool initialised = PETSC_FALSE;
  PetscInitialized(&initialised);
  if (initialised) {
    nested_ = true;
    PetscOptions options = nullptr;
    if (PetscOptionsCreate(&options) != 0) throw core::PetscError("PetscOptionsCreate failed");
    options_ = options;
    std::string text;
    for (const auto& o : storage) text += (text.empty() ? "" : " ") + o;
    if (PetscOptionsInsertString(options, text.c_str()) != 0 || PetscOptionsPush(options) != 0) {
      PetscOptionsDestroy(&options);
      throw core::PetscError("PETSc refused the options '" + text + "'");
    }
    return;
  }
  if (PetscInitialize(&argc, &pointer, nullptr, nullptr) != 0)
    throw std::runtime_error("PetscInitialize failed");
  // PETSc errors come back as codes; qgen reports them in one line (petsc_error_text).
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
}

PetscSession::~PetscSession() {
  if (nested_) {
    PetscOptionsPop();
    auto options = static_cast<PetscOptions>(options_);
    PetscOptionsDestroy(&options);
    return;
  }
  PetscPopErrorHandler();
  PetscFinalize();
}

std::vector<std::string> PetscSession::unused_options() const {
  PetscInt n = 0;
  char** names = nullptr;
  char** values = nullptr;
  if (PetscOptionsLeftGet(nullptr, &n, &names, &values) != 0)
    throw core::PetscError("PetscOptionsLeftGet failed");
  std::vector<std::string> unused;
  for (PetscInt k = 0; k < n; ++k) {
    const std::string name = std::string("-") + names[k];
    // Read only when PETSc finalises (logging, option reports) or by PETSc's own set-up.
    static const char* const kLater[] = {"-log_view", "-log_summary", "-log_trace", "-log_all",
                                         "-options_left", "-options_view", "-malloc_dump",
                                         "-malloc_view", "-memory_view", "-objects_dump"};
    bool later = false;
    for (const char* l : kLater) later = later || name.rfind(l, 0) == 0;
    if (!later) unused.push_back(name);
  }
  PetscOptionsLeftRestore(nullptr, &n, &names, &values);
  return unused;
}


}  // namespace qgen::app
