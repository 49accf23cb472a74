#include "skynet/runtime/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <array>
#include <mutex>
#include <stdexcept>
#include <string>

namespace skynet::runtime {
namespace {

constexpr std::array<std::string_view, 7> level_names = {"trace", "debug",    "info", "warn",
                                                         "error", "critical", "off"};

// Guards creation only: spdlog's registry is itself thread-safe, but two
// threads asking for a new component at once must not both create it.
std::mutex creation_mutex;

spdlog::level::level_enum level_of(std::string_view name) {
    for (std::size_t i = 0; i < level_names.size(); ++i) {
        if (level_names[i] == name) {
            return static_cast<spdlog::level::level_enum>(i);
        }
    }
    throw std::invalid_argument("unknown log level: " + std::string(name));
}

}  // namespace

bool is_log_level(std::string_view level) noexcept {
    for (auto name : level_names) {
        if (name == level) {
            return true;
        }
    }
    return false;
}

std::shared_ptr<spdlog::logger> logger_for(std::string_view component) {
    std::string name(component);
    std::lock_guard lock(creation_mutex);
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    auto logger = spdlog::stderr_color_mt(name);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %n: %v");
    logger->set_level(spdlog::get_level());
    return logger;
}

void set_log_level(std::string_view level) {
    // spdlog::set_level applies to every registered logger and becomes the
    // default level of loggers created later.
    spdlog::set_level(level_of(level));
}

bool try_set_log_level(std::string_view level) noexcept {
    if (!is_log_level(level)) {
        return false;
    }
    spdlog::set_level(level_of(level));
    return true;
}

}  // namespace skynet::runtime
