#include "skynet/metrics/exposer.hpp"

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>

#include <charconv>
#include <stdexcept>

#include "skynet/runtime/logging.hpp"

namespace skynet::metrics {

namespace {
// A source as prometheus-cpp wants it. Collect() runs on a civetweb thread:
// nothing may escape it, so a failing source reports nothing this time.
class source_collectable final : public prometheus::Collectable {
public:
    explicit source_collectable(source s) : source_(std::move(s)) {}

    std::vector<prometheus::MetricFamily> Collect() const override {
        try {
            return source_();
        } catch (const std::exception& e) {
            runtime::logger_for("metrics")->warn("metrics source failed: {}", e.what());
        } catch (...) {
            runtime::logger_for("metrics")->warn("metrics source failed");
        }
        return {};
    }

private:
    source source_;
};

[[noreturn]] void bad_listen(std::string_view listen, std::string_view why) {
    throw std::invalid_argument("metrics listen address '" + std::string(listen) + "' " +
                                std::string(why) + " (expected host:port, port 0 for any)");
}
}  // namespace

listen_address parse_listen(std::string_view listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos) {
        bad_listen(listen, "has no port");
    }
    listen_address a;
    a.host = std::string(listen.substr(0, colon));
    const auto port = listen.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
        bad_listen(listen, "has a bad port");
    }
    if (a.host.find_first_of(" /") != std::string::npos) {
        bad_listen(listen, "has a bad host");
    }
    if (a.host.empty() || a.host == "*") {
        a.host = "0.0.0.0";
    }
    a.port = static_cast<std::uint16_t>(value);
    return a;
}

exposer::exposer(std::string_view listen) {
    auto a = parse_listen(listen);
    host_ = a.host;
    try {
        http_ = std::make_unique<prometheus::Exposer>(a.host + ":" + std::to_string(a.port), 2);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot serve metrics on " + std::string(listen) + ": " +
                                 e.what());
    }
    const auto ports = http_->GetListeningPorts();
    if (ports.empty()) {
        throw std::runtime_error("cannot serve metrics on " + std::string(listen));
    }
    port_ = static_cast<std::uint16_t>(ports.front());
}

exposer::~exposer() {
    http_.reset();  // its threads stop before the sources they call go
}

void exposer::add(source s) {
    auto c = std::make_shared<source_collectable>(std::move(s));
    http_->RegisterCollectable(c);
    sources_.push_back(std::move(c));
}

std::string exposer::address() const {
    const bool v6 = host_.find(':') != std::string::npos && host_.front() != '[';
    return (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

}  // namespace skynet::metrics
