// The page compiled into the binary: find_asset serves what web/assets holds.

#include "skynet/web/assets.hpp"

#include <gtest/gtest.h>

namespace skynet::web {
namespace {

TEST(DashboardAssets, TheRootIsTheIndexPage) {
    const auto* root = find_asset("/");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root, find_asset("/index.html"));
    EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
    EXPECT_NE(root->body.find("<script src=\"/app.js\">"), std::string_view::npos);
    EXPECT_NE(root->body.find("id=\"banner-disconnected\""), std::string_view::npos);
}

TEST(DashboardAssets, TheScriptAndStyleAreWholeFiles) {
    const auto* script = find_asset("/app.js");
    ASSERT_NE(script, nullptr);
    EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
    // Its parts, concatenated in order: the first and the last.
    EXPECT_TRUE(script->body.starts_with("'use strict';"));
    EXPECT_NE(script->body.find("main();"), std::string_view::npos);
    EXPECT_EQ(script->body.find('\0'), std::string_view::npos);
    const auto* style = find_asset("/app.css");
    ASSERT_NE(style, nullptr);
    EXPECT_EQ(style->content_type, "text/css; charset=utf-8");
}

TEST(DashboardAssets, AnUnknownPathIsNotFound) {
    EXPECT_EQ(find_asset("/nothing.js"), nullptr);
    EXPECT_EQ(find_asset("/app.js/"), nullptr);
    EXPECT_EQ(find_asset("/js/util.js"), nullptr);
}

}  // namespace
}  // namespace skynet::web
