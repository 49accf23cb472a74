#include "skynet/daemon/log_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <regex>
#include <utility>

#include "skynet/daemon/log_file.hpp"

namespace skynet::daemon {

namespace {

// Which file a cursor points into. The inode alone is not enough: rotation
// frees the oldest file's inode just before it creates the new live file,
// which may get the same number. The birth time tells them apart (0 where
// the file system does not keep it; then a cursor past the end of the file
// it names is taken as stale).
struct file_identity {
    std::uint64_t dev = 0;
    std::uint64_t ino = 0;
    std::uint64_t born_ns = 0;
    bool operator==(const file_identity&) const = default;
};

struct log_cursor {
    bool from_start = true;  // before every line there is (no file was there yet)
    file_identity file;
    std::uint64_t offset = 0;
};

constexpr std::string_view start_cursor = "start";

std::string format_cursor(const file_identity& f, std::uint64_t offset) {
    return std::to_string(f.dev) + ':' + std::to_string(f.ino) + ':' + std::to_string(f.born_ns) +
           ':' + std::to_string(offset);
}

bus::result<log_cursor> parse_cursor(std::string_view text) {
    if (text == start_cursor) {
        return log_cursor{};
    }
    std::uint64_t fields[4] = {};
    for (int i = 0; i < 4; ++i) {
        const auto* end = text.data() + text.size();
        const auto [next, ec] = std::from_chars(text.data(), end, fields[i]);
        const bool last = i == 3;
        if (ec != std::errc() || (last ? next != end : (next == end || *next != ':'))) {
            return bus::error{bus::errc::bad_request,
                              "not a log cursor: '" + std::string(text) + "'"};
        }
        text.remove_prefix(static_cast<std::size_t>(next - text.data()) + (last ? 0 : 1));
    }
    return log_cursor{false, {fields[0], fields[1], fields[2]}, fields[3]};
}

class open_log {
public:
    open_log(int fd, file_identity id, std::uint64_t size) : fd_(fd), id_(id), size_(size) {}
    open_log(open_log&& o) noexcept : fd_(std::exchange(o.fd_, -1)), id_(o.id_), size_(o.size_) {}
    open_log& operator=(open_log&&) = delete;
    ~open_log() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    const file_identity& id() const { return id_; }
    std::uint64_t size() const { return size_; }

    // From `offset` to its end, cut after the last newline (a line being
    // written is not read yet).
    bus::result<std::string> lines_from(std::uint64_t offset) const {
        std::string text;
        char buffer[65536];
        for (;;) {
            const ssize_t n =
                ::pread(fd_, buffer, sizeof buffer, static_cast<off_t>(offset + text.size()));
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                return bus::error{bus::errc::unavailable,
                                  std::string("log file read: ") + std::strerror(errno)};
            }
            if (n == 0) {
                break;
            }
            text.append(buffer, static_cast<std::size_t>(n));
        }
        const auto last_newline = text.rfind('\n');
        text.resize(last_newline == std::string::npos ? 0 : last_newline + 1);
        return text;
    }

private:
    int fd_;
    file_identity id_;
    std::uint64_t size_;  // when opened
};

// The files newest first. One renamed while we open them may show up twice:
// kept once.
bus::result<std::vector<open_log>> open_logs(const std::filesystem::path& dir, std::string_view id,
                                             int max_files) {
    std::vector<open_log> logs;
    for (int n = 0; n < max_files; ++n) {
        const auto path = log_file_path(dir, id, n);
        const int fd =
            ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // never a FIFO's wait
        if (fd < 0 && errno == ENOENT) {
            continue;
        }
        struct statx st {};
        if (fd < 0 ||
            ::statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_SIZE | STATX_BTIME, &st) != 0) {
            const int error = errno;
            if (fd >= 0) {
                ::close(fd);
            }
            return bus::error{bus::errc::unavailable, path.string() + ": " + std::strerror(error)};
        }
        const file_identity identity{
            (std::uint64_t{st.stx_dev_major} << 32) | st.stx_dev_minor, st.stx_ino,
            (st.stx_mask & STATX_BTIME) != 0
                ? static_cast<std::uint64_t>(st.stx_btime.tv_sec) * 1000000000 +
                      st.stx_btime.tv_nsec
                : 0};
        open_log log(fd, identity, st.stx_size);
        if (std::none_of(logs.begin(), logs.end(),
                         [&](const open_log& l) { return l.id() == identity; })) {
            logs.push_back(std::move(log));
        }
    }
    return logs;
}

class line_filter {
public:
    static bus::result<line_filter> make(const std::string& pattern) {
        line_filter filter;
        if (!pattern.empty()) {
            try {
                filter.regex_.emplace(pattern, std::regex::ECMAScript | std::regex::optimize);
            } catch (const std::regex_error& e) {
                return bus::error{bus::errc::bad_request,
                                  "grep '" + pattern + "' is no regular expression: " + e.what()};
            }
        }
        return filter;
    }
    bool matches(std::string_view line) const {
        if (!regex_) {
            return true;
        }
        line = line.substr(0, grep_span);
        return std::regex_search(line.begin(), line.end(), *regex_);
    }

private:
    std::optional<std::regex> regex_;
};

bus::result<log_page> tail(const std::vector<open_log>& logs, const line_filter& filter,
                           const log_query& query) {
    log_page page;
    page.cursor = std::string(start_cursor);
    std::size_t bytes = 0;
    bool full = query.tail == 0;
    for (std::size_t i = 0; i < logs.size() && !(full && i > 0); ++i) {
        auto text = logs[i].lines_from(0);
        if (!text) {
            return std::move(text).err();
        }
        if (i == 0) {
            page.cursor = format_cursor(logs[0].id(), text->size());
        }
        std::string_view rest(*text);
        while (!full && !rest.empty()) {
            rest.remove_suffix(1);  // its newline
            const auto previous = rest.rfind('\n');
            const auto start = previous == std::string_view::npos ? 0 : previous + 1;
            const std::string_view line = rest.substr(start);
            rest = rest.substr(0, start);
            if (!filter.matches(line)) {
                continue;
            }
            if (!page.lines.empty() && bytes + line.size() > query.max_bytes) {
                full = true;
                break;
            }
            bytes += line.size();
            page.lines.emplace_back(line);
            full = page.lines.size() == query.tail;
        }
    }
    std::reverse(page.lines.begin(), page.lines.end());
    return page;
}

// Index of the cursor's file in `logs`, or nothing if it is gone (a file
// shorter than the cursor's offset is another file under a reused inode).
std::optional<std::size_t> find_file(const std::vector<open_log>& logs, const log_cursor& c) {
    for (std::size_t i = 0; i < logs.size(); ++i) {
        if (logs[i].id() == c.file && c.offset <= logs[i].size()) {
            return i;
        }
    }
    return std::nullopt;
}

// Adds the lines of `text` (read from `log` at `offset`) to `page` within
// max_bytes; moves the cursor past what it took. False once the page is full.
bool take_lines(const open_log& log, std::uint64_t offset, std::string_view text,
                const line_filter& filter, std::size_t max_bytes, log_page& page,
                std::size_t& bytes) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        const std::string_view line = text.substr(pos, end - pos);
        if (filter.matches(line)) {
            if (!page.lines.empty() && bytes + line.size() > max_bytes) {
                page.cursor = format_cursor(log.id(), offset + pos);
                return false;
            }
            bytes += line.size();
            page.lines.emplace_back(line);
        }
        pos = end + 1;
    }
    page.cursor = format_cursor(log.id(), offset + pos);
    return true;
}

bus::result<log_page> follow(const std::vector<open_log>& logs, const line_filter& filter,
                             const log_query& query, const log_cursor& from) {
    log_page page;
    page.cursor = logs.empty() ? std::string(start_cursor) : query.cursor;
    std::size_t first = logs.size();  // oldest, from the start
    std::uint64_t offset = 0;
    if (!from.from_start) {
        const auto found = find_file(logs, from);
        page.gap = !found;
        if (found) {
            first = *found + 1;
            offset = from.offset;
        }
    }
    std::size_t bytes = 0;
    for (std::size_t i = first; i-- > 0; offset = 0) {
        auto text = logs[i].lines_from(offset);
        if (!text) {
            return std::move(text).err();
        }
        if (!take_lines(logs[i], offset, *text, filter, query.max_bytes, page, bytes)) {
            break;
        }
    }
    return page;
}

}  // namespace

bus::result<log_page> read_log(const std::filesystem::path& dir, std::string_view id,
                               const log_query& query, int max_files) {
    auto filter = line_filter::make(query.grep);
    if (!filter) {
        return std::move(filter).err();
    }
    std::optional<log_cursor> from;
    if (!query.cursor.empty()) {
        auto parsed = parse_cursor(query.cursor);
        if (!parsed) {
            return std::move(parsed).err();
        }
        from = *parsed;
    }
    auto logs = open_logs(dir, id, max_files);
    if (!logs) {
        return std::move(logs).err();
    }
    try {
        return from ? follow(*logs, *filter, query, *from) : tail(*logs, *filter, query);
    } catch (const std::regex_error& e) {
        // libstdc++ may give up on a match too complex for it.
        return bus::error{bus::errc::bad_request,
                          "grep '" + query.grep + "' is too complex to match: " + e.what()};
    }
}

}  // namespace skynet::daemon
