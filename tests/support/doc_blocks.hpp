#pragma once
// The code a document shows, for tests that keep it the code the suite
// builds: each "<!-- file: PATH -->" marker and the fenced block after it.

#include <filesystem>
#include <map>
#include <string>

namespace skynet::testing {

std::string read_text(const std::filesystem::path& path);

// PATH (relative to the source root, as written in the marker) -> the
// block's text, without its fences.
std::map<std::string, std::string> shown_files(const std::string& markdown);

}  // namespace skynet::testing
