#pragma once
// The dashboard's page (web/assets/: index.html, app.js, app.css), compiled
// into the binary at build time so that `sky dashboard` needs no files and
// fetches nothing at run time.

#include <string_view>

namespace skynet::web {

struct asset {
    std::string_view content_type;  // with "; charset=utf-8" for text
    std::string_view body;
};

// The asset served at `path` ("/" is "/index.html"), or nullptr if none.
// The asset lives as long as the program.
const asset* find_asset(std::string_view path);

}  // namespace skynet::web
