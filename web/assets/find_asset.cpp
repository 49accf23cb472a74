#include "asset_table.hpp"

namespace skynet::web {

const asset* find_asset(std::string_view path) {
    if (path == "/" || path.empty()) {
        path = "/index.html";
    }
    for (std::size_t i = 0; i < detail::asset_count; ++i) {
        if (detail::assets[i].path == path) {
            return &detail::assets[i].value;
        }
    }
    return nullptr;
}

}  // namespace skynet::web
