#include "skynet/runtime/serve.hpp"

#include <signal.h>
#include <string.h>

#include <atomic>
#include <exception>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "skynet/runtime/logging.hpp"

namespace skynet::runtime {
namespace {

// A part's stop() must not throw; if one does anyway, it is logged here
// rather than escaping the signal watcher's thread.
void stop_quietly(const std::string& name, const std::function<void()>& stop) noexcept {
    try {
        stop();
    } catch (const std::exception& e) {
        logger_for("serve")->error("stop failed part={} error=\"{}\"", name, e.what());
    }
}

}  // namespace

stop_signals::stop_signals() : stop_signals(std::function<void()>()) {}

stop_signals::stop_signals(std::function<void()> on_hangup)
    : on_hangup_(std::move(on_hangup)),
      watcher_(
          [this](int signal) {
              if (signal == SIGHUP) {
                  logger_for("serve")->info("reloading signal=SIGHUP");
                  on_hangup_();
                  return;
              }
              logger_for("serve")->info("stopping signal=SIG{}", sigabbrev_np(signal));
              stop_all();
          },
          static_cast<bool>(on_hangup_)) {
    // A served process whose output pipe lost its reader (skyd restarting,
    // `| head` ending) gets EPIPE from the write, not death by SIGPIPE.
    // The children we start get the default back (child_process resets it).
    ::signal(SIGPIPE, SIG_IGN);
}

stop_signals::~stop_signals() = default;

void stop_signals::stop_all() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& part : stops_) {
        stop_quietly(part.name, part.stop);
    }
}

// Runs one part; false if it threw. Whichever way it ends, the others stop:
// a process is up only while all of its parts are.
bool stop_signals::run_part(served_part& part) {
    bool ok = true;
    try {
        part.run();
    } catch (const std::exception& e) {
        logger_for("serve")->error("stopped by an error part={} error=\"{}\"", part.name, e.what());
        ok = false;
    } catch (...) {
        logger_for("serve")->error("stopped by an error part={} error=unknown", part.name);
        ok = false;
    }
    stop_all();
    return ok;
}

// Makes the parts reachable by a signal; one that came while they were
// being built stops them at once (run() then drains at once).
void stop_signals::watch(const std::vector<served_part>& parts) {
    std::lock_guard lock(mutex_);
    for (const auto& part : parts) {
        if (!part.run || !part.stop) {
            throw std::invalid_argument("serve: part " + part.name + " lacks run or stop");
        }
    }
    for (const auto& part : parts) {
        stops_.push_back({part.name, {}, part.stop});
    }
    if (stopping_) {
        for (auto& part : stops_) {
            stop_quietly(part.name, part.stop);
        }
    }
}

int stop_signals::serve(std::vector<served_part> parts) {
    if (parts.empty()) {
        return 0;
    }
    watch(parts);
    std::atomic<bool> failed{false};
    std::vector<std::thread> others;
    try {
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            others.emplace_back([&, i] {
                if (!run_part(parts[i])) {
                    failed = true;
                }
            });
        }
        if (!run_part(parts.back())) {
            failed = true;
        }
    } catch (const std::system_error& e) {  // no thread for a part: stop those started
        logger_for("serve")->error("cannot start a thread error=\"{}\"", e.what());
        stop_all();
        failed = true;
    }
    for (auto& thread : others) {
        thread.join();
    }
    // The parts may die with the caller's frame: no signal may reach them now.
    std::lock_guard lock(mutex_);
    stops_.clear();
    return failed ? 1 : 0;
}

int serve(const std::function<std::vector<served_part>()>& build) {
    stop_signals signals;
    std::vector<served_part> parts;
    try {
        parts = build();
    } catch (const std::exception& e) {
        logger_for("serve")->error("cannot start error=\"{}\"", e.what());
        return 1;
    }
    return signals.serve(std::move(parts));
}

}  // namespace skynet::runtime
