#pragma once
// One managed process as `sky processes` shows it: the row of the
// `processes` command's JSON answer. skyd writes it, sky reads it back.

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::daemon {

enum class process_state { starting, running, backoff, crash_looping, stopping, stopped };

// "starting", "running", "backoff", "crash-looping", "stopping", "stopped".
std::string_view to_string(process_state state) noexcept;
std::optional<process_state> parse_process_state(std::string_view text) noexcept;

// Members have initializers so that designated initializers may leave any out.
struct process_row {
    std::string id = {};
    std::string service = {};
    std::string host = {};
    process_state state = process_state::stopped;
    pid_t pid = 0;  // 0 when it does not run
    int restarts = 0;
    std::string last_exit = {};  // "exit 3", "signal SIGKILL", or empty
    std::vector<std::string> argv = {};
    std::int64_t started_at = 0;  // ms since the epoch; 0 if never started
    std::string reason = {};      // why backoff / crash-looping, or empty

    // {"id","service","host","state","pid","restarts","last_exit","argv",
    //  "started_at","reason"}
    nlohmann::json to_json() const;
    // The row in `j`, which comes from the network: never throws. "id" is
    // required; other absent (or null) fields keep the defaults above. A
    // field of the wrong type or an unknown state is a bad_request naming
    // the field.
    static bus::result<process_row> from_json(const nlohmann::json& j) noexcept;

    friend bool operator==(const process_row&, const process_row&) = default;
};

}  // namespace skynet::daemon
