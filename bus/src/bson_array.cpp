#include "skynet/bus/bson_array.hpp"

namespace skynet::bus {

std::size_t bson_array_view::size() const noexcept {
    std::size_t count = 0;
    for (auto it = begin(); it != end(); ++it) {
        ++count;
    }
    return count;
}

result<bson_element> bson_array_view::at(std::size_t index) const {
    std::size_t count = 0;
    for (bson_element e : *this) {
        if (count++ == index) {
            return e;
        }
    }
    return error{errc::bad_request, "field '" + std::string(name_) + "' has " +
                                        std::to_string(count) + " elements, no [" +
                                        std::to_string(index) + "]"};
}

}  // namespace skynet::bus
