#pragma once
// An HTTP endpoint serving GET /metrics in the Prometheus text format,
// through prometheus-cpp's Exposer (civetweb threads of its own). What it
// serves is built at each scrape by the sources added to it, so a series
// nobody reports any more (a departed service) is simply not there.
//
//   metrics::exposer http("127.0.0.1:0");          // port 0: any free port
//   http.add([&] { return my_families(); });       // at each scrape
//   std::cout << http.port();                      // the port bound

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/metrics/families.hpp"

namespace prometheus {
class Exposer;
class Collectable;
}  // namespace prometheus

namespace skynet::metrics {

// Builds the families of one scrape, on an exposer thread. May throw: the
// scrape then leaves this source's families out (and logs why).
using source = std::function<families()>;

class exposer {
public:
    // `listen` is "host:port" ("127.0.0.1:9100", "0.0.0.0:0", "[::1]:0") or
    // ":port"; port 0 binds a free one. Throws std::invalid_argument for a
    // malformed address, std::runtime_error if it cannot bind.
    explicit exposer(std::string_view listen);
    ~exposer();
    exposer(const exposer&) = delete;
    exposer& operator=(const exposer&) = delete;

    // Adds what each scrape reports; the source lives as long as this object.
    void add(source s);

    // The port bound, and "host:port" with it (what a scraper dials).
    std::uint16_t port() const noexcept { return port_; }
    std::string address() const;

private:
    std::string host_;
    std::uint16_t port_ = 0;
    std::unique_ptr<prometheus::Exposer> http_;
    std::vector<std::shared_ptr<prometheus::Collectable>> sources_;
};

// "host:port" split and checked (see exposer); for option parsers that
// want to fail before anything starts.
struct listen_address {
    std::string host;
    std::uint16_t port = 0;
};
listen_address parse_listen(std::string_view listen);

}  // namespace skynet::metrics
