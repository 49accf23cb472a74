#include "skynet/daemon/log_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace skynet::daemon {

namespace {

std::uint64_t count_lines(std::string_view text) {
    return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
}

void check(const log_file_options& o) {
    if (o.id.empty() || o.id.find('/') != std::string::npos) {
        throw std::invalid_argument("log_file: id must be a non-empty file name, not '" + o.id +
                                    "'");
    }
    if (o.max_bytes == 0 || o.max_files < 1 || o.max_line == 0) {
        throw std::invalid_argument("log_file " + o.id +
                                    ": max_bytes, max_files and max_line must be positive");
    }
}

}  // namespace

std::filesystem::path log_file_path(const std::filesystem::path& dir, std::string_view id, int n) {
    std::string name(id);
    name += ".log";
    if (n > 0) {
        // Appended in two steps: GCC 12's -Wrestrict misreads "." + to_string(n) at -O2.
        name += '.';
        name += std::to_string(n);
    }
    return dir / name;
}

log_file::log_file(log_file_options options)
    : options_(std::move(options)), path_(log_file_path(options_.dir, options_.id, 0)) {
    check(options_);
    ensure_open();
}

log_file::~log_file() {
    flush();
    close_fd();
}

log_file::log_file(log_file&& other) noexcept
    : options_(std::move(other.options_)),
      path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      size_(other.size_),
      partial_(std::move(other.partial_)),
      dropped_lines_(other.dropped_lines_),
      dropped_bytes_(other.dropped_bytes_),
      unreported_drops_(other.unreported_drops_),
      last_error_(other.last_error_),
      retry_at_(other.retry_at_) {
    other.partial_.clear();
}

log_file& log_file::operator=(log_file&& other) noexcept {
    if (this != &other) {
        flush();
        close_fd();
        options_ = std::move(other.options_);
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
        size_ = other.size_;
        partial_ = std::exchange(other.partial_, {});
        dropped_lines_ = other.dropped_lines_;
        dropped_bytes_ = other.dropped_bytes_;
        unreported_drops_ = other.unreported_drops_;
        last_error_ = other.last_error_;
        retry_at_ = other.retry_at_;
    }
    return *this;
}

void log_file::write(std::string_view bytes) {
    const auto last_newline = bytes.rfind('\n');
    if (last_newline != std::string_view::npos) {
        if (partial_.empty()) {
            write_lines(bytes.substr(0, last_newline + 1));
        } else {
            // The held start of a line goes out with its end, in one piece.
            std::string lines = std::exchange(partial_, {});
            lines.append(bytes.substr(0, last_newline + 1));
            write_lines(lines);
        }
        bytes.remove_prefix(last_newline + 1);
    }
    partial_.append(bytes);
    while (partial_.size() >= options_.max_line) {
        std::string piece = partial_.substr(0, options_.max_line) + '\n';
        partial_.erase(0, options_.max_line);
        write_lines(piece);
    }
}

void log_file::flush() {
    if (!partial_.empty()) {
        std::string line = std::exchange(partial_, {}) + '\n';
        write_lines(line);
    }
}

// `lines`: one or more whole lines. Rotates before a line that would take the
// live file past max_bytes, unless the file is empty (a long line fits nowhere).
void log_file::write_lines(std::string_view lines) {
    if (std::chrono::steady_clock::now() < retry_at_ || !ensure_open()) {
        drop(lines);
        return;
    }
    note_recovery();
    bool just_rotated = false;
    while (!lines.empty() && fd_ >= 0) {
        std::size_t end = 0;
        while (end < lines.size()) {
            const std::size_t next = lines.find('\n', end) + 1;
            if (size_ + next > options_.max_bytes && (size_ > 0 || end > 0)) {
                break;
            }
            end = next;
        }
        if (end == 0 && !just_rotated) {
            rotate();
            just_rotated = true;
            if (!ensure_open()) {
                break;
            }
            continue;
        }
        end = std::max(end, lines.find('\n') + 1);  // a rotation that freed nothing
        if (!write_batch(lines.substr(0, end))) {
            lines.remove_prefix(end);
            break;
        }
        lines.remove_prefix(end);
        just_rotated = false;
    }
    drop(lines);
}

// Writes whole lines. On a failure, the file is cut back to its last whole
// line and what was not written is dropped (counted) by the caller's rule.
bool log_file::write_batch(std::string_view batch) {
    std::size_t done = 0;
    while (done < batch.size()) {
        const ssize_t n = ::write(fd_, batch.data() + done, batch.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        const int error = n < 0 ? errno : EIO;
        const auto last_newline = batch.rfind('\n', done == 0 ? 0 : done - 1);
        const std::size_t whole =
            last_newline == std::string_view::npos || done == 0 ? 0 : last_newline + 1;
        if (whole < done) {
            // A torn line would glue onto the next one: cut it off.
            static_cast<void>(::ftruncate(fd_, static_cast<off_t>(size_ + whole)));
        }
        size_ += whole;
        drop(batch.substr(whole));
        fail(error);
        return false;
    }
    size_ += done;
    last_error_ = 0;
    return true;
}

bool log_file::ensure_open() {
    if (fd_ >= 0) {
        return true;
    }
    // O_NONBLOCK: a FIFO put where the file should be fails (ENXIO) rather
    // than blocking skyd's loop; a regular file ignores it.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
        fail(errno);
        return false;
    }
    size_ = static_cast<std::uint64_t>(st.st_size);
    return true;
}

// <id>.log.<max_files-2> -> .<max_files-1> (over the oldest) ... .log -> .log.1.
void log_file::rotate() {
    close_fd();
    for (int n = options_.max_files - 1; n >= 1; --n) {
        std::error_code ignored;  // a file not there yet is no failure
        std::filesystem::rename(log_file_path(options_.dir, options_.id, n - 1),
                                log_file_path(options_.dir, options_.id, n), ignored);
    }
    if (options_.max_files == 1) {
        ::unlink(path_.c_str());
    }
}

void log_file::fail(int error) {
    last_error_ = error;
    retry_at_ = std::chrono::steady_clock::now() + options_.retry_after;
    close_fd();  // reopened on the next try: the file may have gone meanwhile
}

void log_file::drop(std::string_view lines) {
    const std::uint64_t n = count_lines(lines);
    dropped_lines_ += n;
    unreported_drops_ += n;
    dropped_bytes_ += lines.size();
}

// After a gap, a line in the file says how many lines are missing there, so
// that a reader of the file sees the gap. The note itself is not counted.
void log_file::note_recovery() {
    if (unreported_drops_ == 0) {
        return;
    }
    const int cause = last_error_;
    const std::string note =
        "[skyd] " + std::to_string(unreported_drops_) +
        " lines dropped here: " + (cause != 0 ? std::strerror(cause) : "could not write") + '\n';
    const std::uint64_t lines_before = dropped_lines_;
    const std::uint64_t bytes_before = dropped_bytes_;
    if (write_batch(note)) {
        unreported_drops_ = 0;
    } else {
        dropped_lines_ = lines_before;
        dropped_bytes_ = bytes_before;
        unreported_drops_ -= 1;
    }
}

void log_file::close_fd() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

}  // namespace skynet::daemon
