#pragma once
// Reading a managed process's log files (written by log_file) for `sky logs`:
// the last lines across the rotated files, optionally filtered, and a follow
// cursor for `-f` that survives rotation.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::daemon {

struct log_query {
    // Without a cursor: the last `tail` lines (of those matching grep).
    std::size_t tail = 100;
    // A std::regex (ECMAScript) searched in each line; empty: every line.
    // Only a line's first grep_span bytes are searched (std::regex recurses
    // per character: a 64 KiB line could exhaust the stack).
    std::string grep;
    // Empty: tail. Otherwise a cursor from an earlier page: only lines
    // written after it, oldest first.
    std::string cursor;
    // The lines of one page add up to at most this many bytes (one line at
    // least); with a cursor, the rest comes on the next read.
    std::size_t max_bytes = 256 * 1024;
};

inline constexpr std::size_t grep_span = 4096;

struct log_page {
    std::vector<std::string> lines;  // without their newlines, oldest first
    // Opaque: the position after the last line read (matching or not).
    std::string cursor;
    // The cursor's file had been rotated away (or was never ours): lines
    // between it and this page may be missing.
    bool gap = false;
};

// Reads the log of `id` in `dir` (files <id>.log, <id>.log.1 ...
// <id>.log.<max_files-1>). No file yet is an empty page whose cursor
// follows from the first line written. Errors: bad_request for a grep that
// is no regex or a cursor that is not one of ours; unavailable for a file
// that exists but cannot be read. Never throws for bad input.
bus::result<log_page> read_log(const std::filesystem::path& dir, std::string_view id,
                               const log_query& query, int max_files = 10);

}  // namespace skynet::daemon
