// qgen train's command line and INI files (app/options.hpp, app/train_config.hpp): the words
// (separated by NUL bytes) or the INI text of --config, parsed and validated into a
// TrainConfig. The first byte chooses: even, command-line words; odd, an INI file.
#include <vector>

#include "fuzz_support.hpp"
#include "qgen/app/options.hpp"
#include "qgen/app/train_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qgen;
  if (size < 1) return 0;
  std::vector<std::string> words;
  if (data[0] % 2 == 0) {
    std::string word;
    for (std::size_t k = 1; k < size; ++k) {
      if (data[k] == 0) words.push_back(word), word.clear();
      else word += static_cast<char>(data[k]);
    }
    words.push_back(word);
  } else {
    words = {"--config", fuzz::scratch_file(data + 1, size - 1, ".ini")};
  }
  fuzz::refuses_cleanly([&] {
    const app::ParsedOptions parsed = app::parse_options("train", app::train_options(), words);
    if (!parsed.help) app::train_config_from(parsed.values);
  });
  return 0;
}
