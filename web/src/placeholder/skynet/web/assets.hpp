#pragma once
// STAND-IN for the page helper's web/include/skynet/web/assets.hpp (same
// declarations, the shared contract). web/CMakeLists.txt uses it only while
// that header does not exist; delete this folder once it does.

#include <string_view>

namespace skynet::web {

struct asset {
    std::string_view content_type;
    std::string_view body;
};

// The page's file at `path` ("/", "/app.js", "/app.css"), or nullptr.
const asset* find_asset(std::string_view path);

}  // namespace skynet::web
