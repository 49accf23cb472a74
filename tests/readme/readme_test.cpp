// README.md's code blocks marked "<!-- file: PATH -->" are the files the
// suite compiles (readme_snippets.cpp), so that the README cannot drift from
// what builds.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/doc_blocks.hpp"

namespace skynet::testing {
namespace {

TEST(Readme, ShowsItsSnippetsAsTheSuiteCompilesThem) {
    const std::filesystem::path root = SKYNET_SOURCE_DIR;
    const auto shown = shown_files(read_text(root / "README.md"));
    EXPECT_GE(shown.size(), 2u) << "README.md lost its marked snippets";
    for (const auto& [path, text] : shown) {
        ASSERT_TRUE(std::filesystem::exists(root / path)) << path;
        EXPECT_EQ(text, read_text(root / path)) << path << " differs from README.md";
    }
}

}  // namespace
}  // namespace skynet::testing
