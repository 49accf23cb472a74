#pragma once
// Turns fuzzer bytes into a multipart message: each frame is a length byte
// followed by that many bytes, so the fuzzer can shape frame boundaries.

#include <cstddef>
#include <cstdint>

#include "skynet/bus/frames.hpp"

namespace skynet::fuzz {

inline bus::frames split_frames(const std::uint8_t* data, std::size_t size) {
    bus::frames frames;
    std::size_t at = 0;
    while (at < size && frames.size() < 64) {
        std::size_t length = data[at++];
        if (length > size - at) {
            length = size - at;
        }
        frames.emplace_back(data + at, length);
        at += length;
    }
    return frames;
}

}  // namespace skynet::fuzz
