#pragma once
// A managed process's output file: `<dir>/<id>.log`, rotated by size into
// `<id>.log.1` (the newest) ... `<id>.log.<max_files - 1>` (the oldest). It is
// fed from the pipes skyd drains, so a write never blocks and never throws:
// what cannot be written (a full disk, an I/O error, a file that cannot be
// opened) is counted as dropped, and writing resumes once it can.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "skynet/daemon/output_sink.hpp"

namespace skynet::daemon {

struct log_file_options {
    std::filesystem::path dir;  // must exist; not created
    std::string id;             // the managed process id: the file is <dir>/<id>.log
    // The live file is rotated before a line would take it past this size
    // (a single longer line still goes into a file of its own).
    std::uint64_t max_bytes = 10 * 1024 * 1024;
    // Files kept, the live one included: .log and .log.1 ... .log.<max_files-1>.
    int max_files = 10;
    // A line without its newline yet is held until it has one; one longer
    // than this is written in pieces of this size, each ended by a newline,
    // so that the files stay made of lines.
    std::size_t max_line = 64 * 1024;
    // After a failure, how long to wait before trying the disk again; until
    // then every line is dropped at once (no syscall per line on a full disk).
    std::chrono::milliseconds retry_after{1000};
};

// Not thread-safe: one thread (skyd's loop) writes. Move-only.
class log_file final : public output_sink {
public:
    // Opens (creating, mode 0640) or continues the live file. Throws
    // std::invalid_argument for an empty id, an id with '/', max_bytes 0,
    // max_files < 1 or max_line 0. A file it cannot open is not a throw: it
    // counts as a failure and is retried on later writes.
    explicit log_file(log_file_options options);
    ~log_file() override;
    log_file(log_file&& other) noexcept;
    log_file& operator=(log_file&& other) noexcept;
    log_file(const log_file&) = delete;
    log_file& operator=(const log_file&) = delete;

    // Appends `bytes`; whole lines are written, a trailing partial line is
    // held (see max_line). Never blocks on a pipe, never throws.
    void write(std::string_view bytes) override;
    // Writes a held partial line with a newline added (the process ended).
    void flush();

    // Lines (and their bytes) that could not be written since construction.
    std::uint64_t dropped_lines() const noexcept { return dropped_lines_; }
    std::uint64_t dropped_bytes() const noexcept { return dropped_bytes_; }
    // The live file: <dir>/<id>.log.
    const std::filesystem::path& path() const noexcept { return path_; }
    // The errno of the last failure, 0 once a write succeeded after it.
    int last_error() const noexcept { return last_error_; }

private:
    void write_lines(std::string_view lines);
    bool write_batch(std::string_view batch);
    bool ensure_open();
    void rotate();
    void fail(int error);
    void drop(std::string_view lines);
    void note_recovery();
    void close_fd() noexcept;

    log_file_options options_;
    std::filesystem::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;  // of the live file
    std::string partial_;     // a line still waiting for its newline
    std::uint64_t dropped_lines_ = 0;
    std::uint64_t dropped_bytes_ = 0;
    std::uint64_t unreported_drops_ = 0;  // dropped since the last "dropped" note in the file
    int last_error_ = 0;
    std::chrono::steady_clock::time_point retry_at_{};
};

// The path of rotated file `n` of `id` in `dir` (0: the live <id>.log).
std::filesystem::path log_file_path(const std::filesystem::path& dir, std::string_view id, int n);

}  // namespace skynet::daemon
