// Text helpers for messages, option values and files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qgen::core {

/// A number as short text for messages ("15", "4.5", "inf").
std::string number_text(double x);

/// A number with all 17 significant digits: the text reads back as the same double.
std::string exact_text(double x);

/// A size in bytes with a binary unit: "512 B", "1.5 KiB", "256 MiB", "16 TiB".
std::string bytes_text(double bytes);

/// Seconds as "m:ss" or "h:mm:ss".
std::string duration_text(double seconds);

/// Splits "a,b, c" into {"a","b","c"}; items are trimmed and empty ones dropped.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

/// The items joined with `separator`.
std::string join(const std::vector<std::string>& items, std::string_view separator = ",");

/// The whole of `text` as a finite or infinite double; InputError("<what>: '<text>' is not a
/// number") otherwise (trailing characters included).
double parse_number(const std::string& text, const std::string& what);

}  // namespace qgen::core
