#include "skynet/daemon/process_figures.hpp"

#include <unistd.h>

#include <string>
#include <utility>

#include "proc_text.hpp"
#include "skynet/runtime/process_handle.hpp"

namespace skynet::daemon {

namespace {

// Fields of /proc/<pid>/stat as proc(5) numbers them, counted after the
// command name: that name is in parentheses and may hold blanks and ')'
// itself, so the fields start after the last ')'. The start time (field 22)
// is runtime::parse_start_time's, the one reader of it that adoption and
// process_handle share.
constexpr std::size_t first_after_name = 3;
constexpr std::size_t utime_field = 14;
constexpr std::size_t stime_field = 15;
constexpr std::size_t rss_field = 24;

bus::result<process_sample> parse_stat(const std::filesystem::path& path, std::string_view text) {
    const auto name_end = text.rfind(')');
    if (name_end == std::string_view::npos) {
        return detail::malformed(path, "no command name in parentheses");
    }
    const auto words = detail::split_words(text.substr(name_end + 1));
    if (words.size() <= rss_field - first_after_name) {
        return detail::malformed(path, "fewer fields than proc(5) lists");
    }
    const auto field = [&](std::size_t n) {
        return detail::to_number<std::uint64_t>(words[n - first_after_name]);
    };
    const auto utime = field(utime_field);
    const auto stime = field(stime_field);
    const auto start = runtime::parse_start_time(text);
    const auto rss_pages = detail::to_number<std::int64_t>(words[rss_field - first_after_name]);
    if (!utime || !stime || !start || !rss_pages || words[0].size() != 1) {
        return detail::malformed(path, "state, utime, stime, starttime or rss is malformed");
    }
    static const auto page_size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const std::uint64_t rss = *rss_pages > 0 ? static_cast<std::uint64_t>(*rss_pages) : 0;
    return process_sample{*utime + *stime, rss * page_size, *start, words[0][0]};
}

}  // namespace

bus::result<process_sample> read_process_sample(pid_t pid, const std::filesystem::path& proc) {
    if (pid <= 0) {
        return bus::error{bus::errc::unavailable, "no process " + std::to_string(pid)};
    }
    const auto path = proc / std::to_string(pid) / "stat";
    auto text = detail::read_proc_file(path);
    if (!text) {
        return bus::error{bus::errc::unavailable,
                          "no process " + std::to_string(pid) + " (" + text.err().detail + ")"};
    }
    return parse_stat(path, *text);
}

std::optional<std::uint64_t> process_start_time(pid_t pid, const std::filesystem::path& proc) {
    auto sample = read_process_sample(pid, proc);
    if (!sample || sample->state == 'Z' || sample->state == 'X') {
        return std::nullopt;
    }
    return sample->start_time;
}

process_figures_reader::process_figures_reader(pid_t pid, std::filesystem::path proc)
    : pid_(pid), proc_(std::move(proc)) {}

bus::result<process_figures> process_figures_reader::read(time_point now) {
    auto sample = read_process_sample(pid_, proc_);
    if (!sample) {
        return std::move(sample).err();
    }
    process_figures figures;
    figures.sample = *sample;
    if (previous_ && previous_->start_time == sample->start_time && now > previous_at_ &&
        sample->cpu_ticks >= previous_->cpu_ticks) {
        static const double ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
        const double seconds = std::chrono::duration<double>(now - previous_at_).count();
        const double used = static_cast<double>(sample->cpu_ticks - previous_->cpu_ticks);
        figures.cpu_percent = 100 * used / ticks_per_second / seconds;
    }
    previous_ = *sample;
    previous_at_ = now;
    return figures;
}

}  // namespace skynet::daemon
