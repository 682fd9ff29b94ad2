// The words a search matches, as tests that compare search results with ground truth see them.
#pragma once

#include <cctype>
#include <set>
#include <string>

namespace quire::testing {

// The letter/digit runs of `text`, lower-cased: what a query word or a field filter matches.
// Non-ASCII bytes count as letters, so "Müller" is one run that no ASCII word matches.
inline std::set<std::string> WordRuns(const std::string& text) {
  std::set<std::string> runs;
  std::string run;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      run += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!run.empty()) {
      runs.insert(run);
      run.clear();
    }
  }
  return runs;
}

}  // namespace quire::testing
