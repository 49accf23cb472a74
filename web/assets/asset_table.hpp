#pragma once
// The table the generated source (embed_assets.cmake) defines.

#include <cstddef>
#include <string_view>

#include "skynet/web/assets.hpp"

namespace skynet::web::detail {

struct named_asset {
    std::string_view path;  // "/index.html"
    asset value;
};

extern const named_asset assets[];
extern const std::size_t asset_count;

}  // namespace skynet::web::detail
