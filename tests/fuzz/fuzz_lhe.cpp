// Les Houches Event files, plain (.lhe) or gzip (.lhe.gz, the bytes as the compressed stream),
// read into jet or lepton observables (data/lhe_reader.hpp, data/byte_stream.hpp, FastJet).
// The first byte chooses: bit 0 gzip, bit 1 jet (else zll) observables.
#include "fuzz_support.hpp"
#include "qgen/data/event_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qgen;
  if (size < 1) return 0;
  const bool gzip = data[0] & 1, jet = data[0] & 2;
  const std::string path = fuzz::scratch_file(data + 1, size - 1, gzip ? ".lhe.gz" : ".lhe");
  fuzz::refuses_cleanly([&] {
    data::InputOptions options;
    options.observables = jet ? data::ObservableSet::jet : data::ObservableSet::zll;
    data::InputReport report;
    data::load_events(path, options, report);
  });
  return 0;
}
