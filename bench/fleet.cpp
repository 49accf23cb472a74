#include "fleet.hpp"

#include <algorithm>
#include <cmath>
#include <thread>
#include <zmq.hpp>

#include "free_port.hpp"
#include "measure.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"

namespace skynet::bench {

namespace {

constexpr std::chrono::seconds holder_limit{90};

std::vector<std::string> holder_args(const holder_spec& spec, int count, int first) {
    return {self_path(),
            "--child",
            spec.role,
            "--child-endpoint",
            spec.endpoint,
            "--child-count",
            std::to_string(count),
            "--child-service",
            spec.service,
            "--child-prefix",
            spec.prefix,
            "--child-first",
            std::to_string(first),
            "--child-heartbeat-ms",
            std::to_string(spec.heartbeat_ms),
            "--log-level",
            "warn"};
}

}  // namespace

std::uint64_t holder_fds(int count) {
    return 2 * static_cast<std::uint64_t>(std::min(count, sockets_per_holder)) + 64;
}

holder_group::holder_group(const holder_spec& spec) : holder_group(std::vector{spec}) {}

holder_group::holder_group(const std::vector<holder_spec>& specs) {
    std::vector<const std::string*> roles;
    for (const auto& spec : specs) {
        for (int first = 0; first < spec.count; first += sockets_per_holder) {
            const int n = std::min(sockets_per_holder, spec.count - first);
            children_.push_back(std::make_unique<child_process>(holder_args(spec, n, first)));
            roles.push_back(&spec.role);
        }
    }
    // Started all at once, so that they connect side by side (and wait for
    // the broker's first word, up to a heartbeat, side by side); waited for
    // in turn.
    const auto deadline = std::chrono::steady_clock::now() + holder_limit;
    for (std::size_t i = 0; i < children_.size(); ++i) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        auto line = children_[i]->read_line(std::max(left, std::chrono::milliseconds(1)));
        if (!line || !line->starts_with("ready")) {
            error_ = *roles[i] + " holder not in place: " + (line ? *line : "no answer in time");
            return;
        }
    }
}

std::chrono::nanoseconds holder_group::cpu() const {
    std::chrono::nanoseconds total{0};
    for (const auto& child : children_) {
        total += process_cpu(child->pid()).value_or(std::chrono::nanoseconds(0));
    }
    return total;
}

bool answers_probe(const std::string& endpoint, std::chrono::milliseconds limit) {
    zmq::context_t context(1);
    zmq::socket_t s(context, zmq::socket_type::dealer);
    s.set(zmq::sockopt::linger, 0);
    s.connect(endpoint);
    bus::frames out;
    bus::mdp::put_client_header(out, "mmi.service");
    out.push_back(bus::frame_of("bench-echo"));
    bus::send_frames(s, out, false);
    zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, limit);
    return (item.revents & ZMQ_POLLIN) != 0;
}

broker_child::broker_child(const std::string& binary, int max_queue)
    // Quick heartbeats, so that holders see the broker take their READY
    // soon; a long liveness, so that a slow holder is never dropped.
    : broker_child(binary,
                   {"--heartbeat-ms", "500", "--liveness", "20", "--max-queue",
                    std::to_string(max_queue), "--drain-ms", "100", "--log-level", "warn"},
                   {}) {}

broker_child::broker_child(const std::string& binary, const std::vector<std::string>& options,
                           const std::filesystem::path& log) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        endpoint_ = "tcp://127.0.0.1:" + std::to_string(free_loopback_port());
        std::vector<std::string> argv{binary, "--bind", endpoint_};
        argv.insert(argv.end(), options.begin(), options.end());
        try {
            process_ = std::make_unique<child_process>(argv, log);
        } catch (const std::exception& e) {
            error_ = e.what();
            return;
        }
        if (answers_probe(endpoint_, std::chrono::milliseconds(5000))) {
            error_.clear();
            return;
        }
        error_ = binary + " did not answer on " + endpoint_ +
                 (log.empty() ? std::string() : " (see " + log.string() + ")");
        process_.reset();
    }
}

std::optional<std::int64_t> settled_rss(pid_t pid) {
    auto last = resident_bytes(pid);
    for (int i = 0; i < 15 && last; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        auto now = resident_bytes(pid);
        if (!now) {
            return std::nullopt;
        }
        const bool agree =
            std::abs(static_cast<double>(*now - *last)) <= 0.005 * static_cast<double>(*last);
        last = now;
        if (agree) {
            break;
        }
    }
    return last;
}

}  // namespace skynet::bench
