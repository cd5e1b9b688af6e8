// CSV event tables (data/csv_reader.hpp through data::load_events): any bytes.
#include "fuzz_support.hpp"
#include "qgen/data/event_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qgen;
  const bool skip_bad_rows = size > 0 && data[0] % 2;
  const std::string path = fuzz::scratch_file(data, size, ".csv");
  fuzz::refuses_cleanly([&] {
    data::InputOptions options;
    options.skip_bad_rows = skip_bad_rows;
    data::InputReport report;
    data::load_events(path, options, report);
  });
  return 0;
}
