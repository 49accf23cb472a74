#include "skynet/daemon/host_figures.hpp"

#include <utility>

#include "proc_text.hpp"

namespace skynet::daemon {

namespace {

using detail::malformed;
using detail::read_proc_file;
using detail::split_words;
using detail::to_number;

// The "cpu" line's first eight fields (user nice system idle iowait irq
// softirq steal); guest time is already inside user and nice.
bus::result<void> parse_stat(const std::filesystem::path& path, std::string_view text,
                             host_sample& out) {
    bool seen_total = false;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        const auto words = split_words(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (words.empty() || words[0].substr(0, 3) != "cpu") {
            continue;
        }
        if (words[0] != "cpu") {
            ++out.cpus;
            continue;
        }
        if (words.size() < 5) {
            return malformed(path, "the cpu line has fewer than 4 figures");
        }
        for (std::size_t i = 1; i < words.size() && i <= 8; ++i) {
            const auto ticks = to_number<std::uint64_t>(words[i]);
            if (!ticks) {
                return malformed(path, "the cpu line has a field that is no number");
            }
            out.cpu.total += *ticks;
            out.cpu.busy += (i == 4 || i == 5) ? 0 : *ticks;  // idle, iowait
        }
        seen_total = true;
    }
    if (!seen_total || out.cpus == 0) {
        return malformed(path, "no cpu line, or no cpuN line");
    }
    return {};
}

bus::result<void> parse_meminfo(const std::filesystem::path& path, std::string_view text,
                                host_sample& out) {
    std::optional<std::uint64_t> total, available;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        const auto words = split_words(text.substr(0, end));
        text.remove_prefix(std::min(end + 1, text.size()));
        if (words.size() < 2 || (words[0] != "MemTotal:" && words[0] != "MemAvailable:")) {
            continue;
        }
        const auto kib = to_number<std::uint64_t>(words[1]);
        if (!kib) {
            return malformed(path, std::string(words[0]) + " is no number");
        }
        (words[0] == "MemTotal:" ? total : available) = *kib * 1024;
    }
    if (!total || !available) {
        return malformed(path, "MemTotal or MemAvailable is missing");
    }
    out.memory_total = *total;
    out.memory_available = *available;
    return {};
}

bus::result<void> parse_loadavg(const std::filesystem::path& path, std::string_view text,
                                host_sample& out) {
    const auto words = split_words(text);
    double* fields[] = {&out.load1, &out.load5, &out.load15};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto value = i < words.size() ? to_number<double>(words[i]) : std::nullopt;
        if (!value || *value < 0) {
            return malformed(path, "fewer than three load averages");
        }
        *fields[i] = *value;
    }
    return {};
}

bus::result<void> parse_uptime(const std::filesystem::path& path, std::string_view text,
                               host_sample& out) {
    const auto words = split_words(text);
    const auto value = words.empty() ? std::nullopt : to_number<double>(words[0]);
    if (!value || *value < 0) {
        return malformed(path, "no uptime");
    }
    out.uptime_s = *value;
    return {};
}

}  // namespace

bus::result<host_sample> read_host_sample(const std::filesystem::path& proc) {
    using parser =
        bus::result<void> (*)(const std::filesystem::path&, std::string_view, host_sample&);
    const std::pair<const char*, parser> files[] = {{"stat", parse_stat},
                                                    {"meminfo", parse_meminfo},
                                                    {"loadavg", parse_loadavg},
                                                    {"uptime", parse_uptime}};
    host_sample sample;
    for (const auto& [name, parse] : files) {
        const auto path = proc / name;
        auto text = read_proc_file(path);
        if (!text) {
            return std::move(text).err();
        }
        if (auto parsed = parse(path, *text, sample); !parsed) {
            return parsed.err();
        }
    }
    return sample;
}

double cpu_percent(const cpu_times& before, const cpu_times& after) noexcept {
    if (after.total <= before.total || after.busy < before.busy) {
        return 0;
    }
    const double busy = static_cast<double>(after.busy - before.busy);
    const double total = static_cast<double>(after.total - before.total);
    return busy >= total ? 100 : 100 * busy / total;
}

host_figures_reader::host_figures_reader(std::filesystem::path proc) : proc_(std::move(proc)) {}

bus::result<host_figures> host_figures_reader::read() {
    auto sample = read_host_sample(proc_);
    if (!sample) {
        return std::move(sample).err();
    }
    host_figures figures;
    figures.sample = *sample;
    figures.cpu_percent = previous_ ? cpu_percent(*previous_, sample->cpu) : 0;
    previous_ = sample->cpu;
    return figures;
}

}  // namespace skynet::daemon
