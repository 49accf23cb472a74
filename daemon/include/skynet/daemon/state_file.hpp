#pragma once
// skyd's memory across its own restarts: <state-dir>/processes.json, the
// processes it manages, with the pid and start time of each running one so
// that a new skyd can adopt them rather than start second copies.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/daemon/process_spec.hpp"

namespace skynet::daemon {

struct saved_process {
    std::string id;  // svc-<host>-<12 hex>
    process_spec spec;
    bool wanted_running = true;  // false: stopped by a command, stays stopped
    // Gave up after too many failed starts: stays so until a command.
    bool crash_looping = false;
    pid_t pid = 0;  // 0: not running
    // /proc/<pid>/stat field 22 (clock ticks after boot): tells the process
    // from a later one that reuses its pid.
    std::uint64_t start_time = 0;
    int restarts = 0;
    std::string last_exit;
    std::int64_t started_at = 0;  // ms since the epoch

    bool operator==(const saved_process&) const = default;
};

class state_file {
public:
    // <state_dir>/processes.json. The directory must exist when writing.
    explicit state_file(std::filesystem::path state_dir);

    const std::filesystem::path& path() const noexcept { return path_; }

    // The saved processes; none if the file does not exist. A file that is
    // not what we write is renamed aside to processes.json.bad-<unix time>
    // (kept for a person to read, never emptied) and the error names its
    // line (bad_request).
    bus::result<std::vector<saved_process>> read() const;
    // Replaces the file atomically: a temporary file, fsync, rename over,
    // fsync of the directory. Throws std::system_error naming the file.
    void write(const std::vector<saved_process>& processes) const;

private:
    bus::result<std::vector<saved_process>> parse(const std::string& text) const;
    void set_aside() const;

    std::filesystem::path path_;
};

}  // namespace skynet::daemon
