// expect_error(f, fragment): f throws E and its message contains `fragment`.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace qgen::testing {

template <typename E>
void expect_error(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no error containing '" << fragment << "'";
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

}  // namespace qgen::testing
