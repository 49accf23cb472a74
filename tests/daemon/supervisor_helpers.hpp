#pragma once
// For supervisor_test.cpp: a supervisor with in-memory sinks and an event
// record, driven by a poll loop like skyd's until a condition holds; and
// what /proc says about the processes it started.

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "skynet/daemon/supervisor.hpp"
#include "support/eventually.hpp"

namespace skynet::daemon::testing {

using namespace std::chrono_literals;

// Keeps what a process wrote in a string the test reads.
class memory_sink : public output_sink {
public:
    explicit memory_sink(std::shared_ptr<std::string> text) : text_(std::move(text)) {}
    void write(std::string_view bytes) override { text_->append(bytes); }

private:
    std::shared_ptr<std::string> text_;
};

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        static int n = 0;
        path = std::filesystem::temp_directory_path() /
               ("supervisor_test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
};

class harness {
public:
    explicit harness(const std::function<void(supervisor_options&)>& configure = {}) {
        supervisor_options options;
        options.host = "testhost";
        options.daemon_id = "skyd-test";
        options.restarts.first_delay = 10ms;
        options.restarts.max_delay = 40ms;
        options.sink_factory = [this](const std::string& id) {
            auto& text = outputs_[id];
            if (!text) {
                text = std::make_shared<std::string>();
            }
            return std::make_unique<memory_sink>(text);
        };
        options.on_event = [this](const supervisor_event& e) { events.push_back(e); };
        if (configure) {
            configure(options);
        }
        sup = std::make_unique<supervisor>(std::move(options));
    }

    // Runs the loop skyd runs until `condition` holds (or a generous limit).
    template <class Condition>
    bool run_until(Condition&& condition,
                   std::chrono::milliseconds limit = skynet::testing::generous) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!condition()) {
            if (std::chrono::steady_clock::now() >= deadline) {
                return condition();
            }
            step();
        }
        return true;
    }

    process_row row(const std::string& id) const {
        for (auto& r : sup->list()) {
            if (r.id == id) {
                return r;
            }
        }
        return process_row{};
    }
    std::string output(const std::string& id) const {
        auto it = outputs_.find(id);
        return it == outputs_.end() || !it->second ? std::string() : *it->second;
    }
    int count(supervisor_event::kind what) const {
        return static_cast<int>(std::count_if(events.begin(), events.end(),
                                              [&](const auto& e) { return e.what == what; }));
    }

    std::vector<supervisor_event> events;
    std::unique_ptr<supervisor> sup;

private:
    void step() {
        std::vector<pollfd> fds;
        for (int fd : sup->poll_fds()) {
            fds.push_back(pollfd{fd, POLLIN, 0});
        }
        ::poll(fds.data(), fds.size(), 20);
        for (const auto& p : fds) {
            if (p.revents != 0) {
                sup->on_readable(p.fd);
            }
        }
        sup->tick(std::chrono::steady_clock::now());
    }

    std::map<std::string, std::shared_ptr<std::string>> outputs_;
};

// Fields of /proc/<pid>/stat after the command name: [0] is the state.
inline std::vector<std::string> stat_fields(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(in, text);
    std::vector<std::string> out;
    const auto close = text.rfind(')');
    if (close == std::string::npos) {
        return out;
    }
    std::istringstream rest(text.substr(close + 1));
    for (std::string f; rest >> f;) {
        out.push_back(f);
    }
    return out;
}

// Runs (exists and is not a zombie).
inline bool alive(pid_t pid) {
    auto fields = stat_fields(pid);
    return !fields.empty() && fields[0] != "Z" && fields[0] != "X";
}

inline bool has_instance_id(pid_t pid, const std::string& id) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    std::string env((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string entry = std::string("SKYNET_INSTANCE_ID=") + id;
    for (std::size_t at = 0; at < env.size();) {
        const auto end = env.find('\0', at);
        if (env.compare(at, (end == std::string::npos ? env.size() : end) - at, entry) == 0) {
            return true;
        }
        if (end == std::string::npos) {
            break;
        }
        at = end + 1;
    }
    return false;
}

// Copies of a managed process: live processes with its SKYNET_INSTANCE_ID
// whose parent has not (a shell's own children are part of its copy).
inline int processes_with_instance_id(const std::string& id) {
    int copies = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
            continue;
        }
        const pid_t pid = std::stoi(name);
        auto fields = stat_fields(pid);
        if (fields.size() < 2 || !alive(pid) || !has_instance_id(pid, id)) {
            continue;
        }
        const pid_t parent = std::stoi(fields[1]);
        if (!has_instance_id(parent, id)) {
            ++copies;
        }
    }
    return copies;
}

// The number after `key` in `text`, or -1.
inline pid_t number_after(const std::string& text, const std::string& key) {
    const auto at = text.find(key);
    if (at == std::string::npos) {
        return -1;
    }
    return static_cast<pid_t>(std::atol(text.c_str() + at + key.size()));
}

}  // namespace skynet::daemon::testing
