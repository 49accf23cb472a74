#pragma once
// Frames made from strings, for the tests that build messages by hand.

#include <string>
#include <vector>

#include "skynet/bus/frames.hpp"

namespace skynet::testing {

inline bus::frames frames_of(const std::vector<std::string>& parts) {
    bus::frames out;
    for (const auto& part : parts) {
        out.push_back(bus::frame_of(part));
    }
    return out;
}

}  // namespace skynet::testing
