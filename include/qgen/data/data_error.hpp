// Errors in input data: the message names the file and the line, record or column.
#pragma once

#include <stdexcept>

namespace qgen::data {

class DataError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace qgen::data
