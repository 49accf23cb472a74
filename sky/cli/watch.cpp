// watch: prints instances as they are added, change and go, until SIGINT or
// SIGTERM (in the shell: Ctrl-C or Enter). The first lines are the current
// set, as `added`. --json prints one {"event", "instance"} object a line.

#include <poll.h>
#include <unistd.h>

#include <ctime>
#include <map>
#include <mutex>
#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "interruption.hpp"
#include "skynet/registry/instance_listener.hpp"
#include "skynet/sky/records.hpp"

namespace skynet::sky {

namespace {

using registry::instance;

std::string clock_text() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M:%S", &local);
    return text;
}

// What changed between two records of one instance, for people.
std::string changes(const instance& before, const instance& after) {
    std::string out;
    auto note = [&](const std::string& what, const std::string& from, const std::string& to) {
        if (from != to) {
            out += (out.empty() ? "" : " ") + what + "=" + from + "->" + to;
        }
    };
    note("state", state_of(before), state_of(after));
    note("requests", std::to_string(before.stats.requests), std::to_string(after.stats.requests));
    note("errors", std::to_string(before.stats.errors), std::to_string(after.stats.errors));
    note("p99", latency_text(before.stats.latency_p99_us),
         latency_text(after.stats.latency_p99_us));
    note("services", std::to_string(before.services.size()), std::to_string(after.services.size()));
    return out.empty() ? "refreshed" : out;
}

// Callbacks arrive on the listener's thread; lines go out whole, one at a time.
class printer {
public:
    printer(std::ostream& out, bool json) : out_(out), json_(json) {}

    registry::listener_callbacks callbacks() {
        return {[this](const instance& r) { print("added", r); },
                [this](const instance& r) { print("updated", r); },
                [this](const instance& r) { print("removed", r); }};
    }

private:
    void print(const std::string& event, const instance& r) {
        std::lock_guard lock(mutex_);
        if (json_) {
            out_ << nlohmann::json{{"event", event}, {"instance", to_json(r)}}.dump() << std::endl;
        } else {
            out_ << clock_text() << " " << event << " " << r.id << " "
                 << registry::to_string(r.kind) << " " << release_of(r) << " " << r.region << "/"
                 << r.host << " " << describe(event, r) << std::endl;
        }
        if (event == "removed") {
            last_.erase(r.id);
        } else {
            last_[r.id] = r;
        }
    }

    std::string describe(const std::string& event, const instance& r) const {
        auto before = last_.find(r.id);
        if (event == "updated" && before != last_.end()) {
            return changes(before->second, r);
        }
        return state_of(r);
    }

    std::mutex mutex_;
    std::ostream& out_;
    bool json_;
    std::map<std::string, instance> last_;
};

// In the shell: until Ctrl-C (the watcher sets `stop`) or a line on stdin.
void wait_in_shell(interruption& until) {
    for (;;) {
        pollfd input{STDIN_FILENO, POLLIN, 0};
        if (::poll(&input, 1, 0) > 0) {
            char buffer[256];
            [[maybe_unused]] auto n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            return;
        }
        if (until.wait_for(std::chrono::milliseconds(100))) {
            return;
        }
    }
}

}  // namespace

int run_watch(session& s, const invocation& inv) {
    if (!inv.args.empty()) {
        throw usage_error("watch takes no arguments (got '" + inv.args.front() + "')");
    }
    if (s.connect() == nullptr) {
        return s.connect_failure();
    }
    {
        // First, so that the listener's thread blocks the signals too; the
        // shell gets its signal mask back after.
        interruption until;
        printer p(s.out, inv.json);
        registry::instance_listener listener(s.registry(), inv.filter.to_query(), p.callbacks());
        if (s.in_shell) {
            wait_in_shell(until);
        } else {
            until.wait();
        }
    }
    return exit_code::ok;
}

}  // namespace skynet::sky
