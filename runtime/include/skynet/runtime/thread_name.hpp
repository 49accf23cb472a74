#pragma once
// Names the calling thread, as top, perf and gdb show it (Linux keeps 15
// bytes): a profile of a process that holds a broker, workers and clients
// can then be read per role.

#include <pthread.h>

#include <string>
#include <string_view>

namespace skynet::runtime {

inline void name_this_thread(std::string_view name) noexcept {
    char shortened[16] = {};
    name.copy(shortened, sizeof shortened - 1);
    pthread_setname_np(pthread_self(), shortened);
}

}  // namespace skynet::runtime
