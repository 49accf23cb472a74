#include "two_hosts.hpp"

#include <array>
#include <csignal>
#include <iostream>

#include "skynet/bus/bson.hpp"
#include "skynet/registry/redis_url.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {

namespace {

std::string ms_text(std::chrono::milliseconds ms) {
    return std::to_string(ms.count());
}

// The end of a log: what a failure report needs, without pages of it.
std::string tail_of(const std::string& log) {
    constexpr std::size_t kept = 4000;
    return (log.size() > kept ? log.substr(log.size() - kept) : log) + "\n";
}

// What every process of the cluster is told, after its own options.
std::vector<std::string> common_args(const std::string& redis, const std::string& host) {
    return {"--redis",     redis, "--region",       two_hosts::region,
            "--host",      host,  "--heartbeat-ms", ms_text(two_hosts::heartbeat),
            "--log-level", "warn"};
}

std::vector<std::string> joined(std::vector<std::string> head,
                                const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

}  // namespace

two_hosts::two_hosts(const network_namespace& ns)
    // redis_server binds 127.0.0.1; a later --bind replaces it, so name both.
    // Protected mode refuses any peer but loopback when there is no password.
    : ns_(ns), redis_({"--bind", ns.host_address(), "127.0.0.1", "--protected-mode", "no"}) {}

two_hosts::~two_hosts() {
    (void)stop_all();
}

std::string two_hosts::logs() {
    std::string out;
    for (auto [process, name] : processes()) {
        if (*process) {
            out += std::string("--- ") + name + ":\n" + tail_of((*process)->stderr_text());
        }
    }
    return out;
}

std::string two_hosts::stop_all() {
    client_.reset();
    std::string trouble;
    for (auto [process, name] : processes()) {
        if (!*process) {
            continue;
        }
        (*process)->signal(SIGTERM);
        auto status = (*process)->wait_exit(std::chrono::seconds(15));
        if (status != 0) {
            trouble += std::string(name) + " exited " +
                       (status ? std::to_string(*status) : std::string("not at all")) + ":\n" +
                       tail_of((*process)->stderr_text());
        }
        process->reset();  // SIGKILL if SIGTERM was not enough
    }
    return trouble;
}

std::array<std::pair<std::unique_ptr<child_process>*, const char*>, 4> two_hosts::processes() {
    // Workers first: a broker that goes first makes them reconnect for nothing.
    return {{{&far_worker_, "far worker"},
             {&near_worker_, "near worker"},
             {&far_broker_, "far broker"},
             {&near_broker_, "near broker"}}};
}

std::string two_hosts::far_redis_url() const {
    return "redis://" + ns_.host_address() + ":" + std::to_string(redis_.port());
}

std::unique_ptr<child_process> two_hosts::launch_far(const std::string& binary,
                                                     std::vector<std::string> own_args) {
    auto [program, args] =
        ns_.exec(binary, joined(std::move(own_args), common_args(far_redis_url(), far_host)));
    return std::make_unique<child_process>(program, std::move(args));
}

std::unique_ptr<child_process> two_hosts::launch_broker(bool far, std::string& endpoint) {
    // A free port can be taken before the broker binds it: a few tries. (The
    // namespace has ports of its own, all free.)
    for (int tries = 0; tries < 3; ++tries) {
        const auto& address = far ? ns_.guest_address() : ns_.host_address();
        endpoint = "tcp://" + address + ":" + std::to_string(free_port());
        std::vector<std::string> own{"--bind", endpoint, "--liveness", std::to_string(liveness)};
        auto broker = far ? launch_far("skynet-broker", own)
                          : std::make_unique<child_process>(
                                "skynet-broker", joined(own, common_args(redis_.url(), near_host)));
        auto registered = [&] {
            for (const auto& b : find({.kind = registry::instance_kind::broker})) {
                if (b.endpoint == endpoint) {
                    return true;
                }
            }
            return false;
        };
        if (eventually([&] { return registered() || !broker->running(); }) && broker->running()) {
            return broker;
        }
        std::cerr << "broker did not start: " << broker->stderr_text() << "\n";
    }
    return nullptr;
}

bool two_hosts::start_brokers() {
    near_broker_ = launch_broker(false, near_endpoint_);
    far_broker_ = launch_broker(true, far_endpoint_);
    if (!near_broker_ || !far_broker_) {
        return false;
    }
    client_options options;
    options.brokers = {near_endpoint_};
    options.name = "netsplit-test";
    options.heartbeat = heartbeat;
    client_ = std::make_unique<client>(options);
    return true;
}

bool two_hosts::start_workers() {
    near_worker_ = std::make_unique<child_process>(
        "sleeper-service", joined({"--version", "1.0"}, common_args(redis_.url(), near_host)));
    far_worker_ = launch_far("sleeper-service", {"--version", far_version});
    // A worker's record names the brokers it serves on.
    auto on_both = [&](const std::string& host) {
        auto found = workers_on(host);
        return found.size() == 1 && found[0].broker.find(near_endpoint_) != std::string::npos &&
               found[0].broker.find(far_endpoint_) != std::string::npos;
    };
    return eventually([&] {
        auto figures = stats();
        return on_both(near_host) && on_both(far_host) && figures && figures->workers == 2;
    });
}

std::optional<broker_stats> two_hosts::stats() {
    return read_broker_stats(*client_);
}

std::vector<registry::instance> two_hosts::find(const registry::query& q) {
    if (!registry_ || registry_->broken()) {
        registry_.reset();
        auto settings = registry::options_from_url(redis_.url());
        auto opened = settings ? registry::connection::open(*settings)
                               : bus::result<registry::connection>(settings.err());
        if (!opened) {
            std::cerr << "registry: " << opened.err().detail << "\n";
            return {};
        }
        registry_.emplace(std::move(opened).value());
    }
    auto narrowed = q;
    narrowed.region = region;
    auto found = registry_->find(narrowed);
    if (!found) {
        std::cerr << "registry: " << found.err().detail << "\n";
        return {};
    }
    return std::move(found).value();
}

std::vector<registry::instance> two_hosts::workers_on(const std::string& host) {
    return find({.host = host, .service = service, .kind = registry::instance_kind::worker});
}

std::vector<registry::instance> two_hosts::on_host(const std::string& host) {
    return find({.host = host});
}

bool two_hosts::far_serves() {
    bus::bson_doc params;
    params.add_int64("ms", 1);
    call_options options;
    options.idempotent = true;
    options.version = far_version;
    options.timeout = std::chrono::milliseconds(3000);
    return client_->call(service, "Sleep", params.view(), options).ok();
}

}  // namespace skynet::testing
