#include "skynet/daemon/state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

#include "json_lines.hpp"

namespace skynet::daemon {

namespace {

using json = nlohmann::json;

json to_json(const saved_process& p) {
    return json{{"id", p.id},
                {"spec", to_json(p.spec)},
                {"wanted_running", p.wanted_running},
                {"crash_looping", p.crash_looping},
                {"pid", p.pid},
                {"start_time", p.start_time},
                {"restarts", p.restarts},
                {"last_exit", p.last_exit},
                {"started_at", p.started_at}};
}

bus::result<saved_process> from_json(const json& in) {
    saved_process p;
    try {
        if (!in.is_object() || !in.at("id").is_string() || !in.at("spec").is_object()) {
            return bus::error{bus::errc::bad_request, "expected an object with id and spec"};
        }
        p.id = in.at("id").get<std::string>();
        p.wanted_running = in.value("wanted_running", true);
        p.crash_looping = in.value("crash_looping", false);
        p.pid = in.value("pid", 0);
        p.start_time = in.value("start_time", std::uint64_t{0});
        p.restarts = in.value("restarts", 0);
        p.last_exit = in.value("last_exit", std::string());
        p.started_at = in.value("started_at", std::int64_t{0});
    } catch (const json::exception& e) {
        return bus::error{bus::errc::bad_request, e.what()};
    }
    auto spec = process_spec_from_json(in.at("spec"));
    if (!spec) {
        return bus::error{bus::errc::bad_request, "spec: " + spec.err().detail};
    }
    p.spec = std::move(*spec);
    return p;
}

void check(bool ok, const std::string& what) {
    if (!ok) {
        throw std::system_error(errno, std::generic_category(), what);
    }
}

void write_all(int fd, const std::string& text, const std::string& name) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        check(n > 0, "state file: writing " + name);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

state_file::state_file(std::filesystem::path state_dir)
    : path_(std::move(state_dir) / "processes.json") {}

bus::result<std::vector<saved_process>> state_file::read() const {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) {
        return std::vector<saved_process>{};
    }
    auto text = detail::read_text(path_);
    if (!text) {
        return text.err();
    }
    auto parsed = parse(*text);
    if (!parsed) {
        set_aside();
    }
    return parsed;
}

bus::result<std::vector<saved_process>> state_file::parse(const std::string& text) const {
    auto top = detail::parse_with_line(path_, text);
    if (!top) {
        return top.err();
    }
    auto entries = detail::processes_array(path_, *top);
    if (!entries) {
        return entries.err();
    }
    const auto lines = detail::element_lines(text);
    std::vector<saved_process> out;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        auto p = from_json((*entries)[i]);
        if (!p) {
            const int line = i < lines.size() ? lines[i] : 1;
            return bus::error{bus::errc::bad_request,
                              path_.string() + ":" + std::to_string(line) + ": " + p.err().detail};
        }
        out.push_back(std::move(*p));
    }
    return out;
}

// Renamed rather than deleted: the processes it names may still run, and a
// person may want to read it.
void state_file::set_aside() const {
    auto aside = path_;
    aside += ".bad-" + std::to_string(std::time(nullptr));
    std::error_code ec;
    std::filesystem::rename(path_, aside, ec);
}

void state_file::write(const std::vector<saved_process>& processes) const {
    json list = json::array();
    for (const auto& p : processes) {
        list.push_back(to_json(p));
    }
    const std::string text = json{{"processes", list}}.dump(2) + "\n";
    auto temp = path_;
    temp += ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    check(fd >= 0, "state file: creating " + temp.string());
    try {
        write_all(fd, text, temp.string());
        check(::fsync(fd) == 0, "state file: fsync of " + temp.string());
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    check(::rename(temp.c_str(), path_.c_str()) == 0, "state file: renaming to " + path_.string());
    const int dir = ::open(path_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    check(dir >= 0, "state file: opening " + path_.parent_path().string());
    const bool synced = ::fsync(dir) == 0;
    ::close(dir);
    check(synced, "state file: fsync of " + path_.parent_path().string());
}

}  // namespace skynet::daemon
