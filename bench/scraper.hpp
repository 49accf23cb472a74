#pragma once
// Scraping a /metrics endpoint as Prometheus would: once, timed (the
// 10,000-service figure), or every interval on a thread of its own while a
// load runs (the metrics-on run of async-credit).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <thread>

namespace skynet::bench {

struct timed_scrape {
    std::chrono::nanoseconds took{0};
    std::size_t bytes = 0;    // of the body, as sent
    std::size_t samples = 0;  // lines that are not comments (0 when compressed)
    bool gzip = false;        // the server compressed it
};

// GET http://<address>/metrics, over a connection of its own, timed from the
// connect to the last byte; nothing if it did not answer 200. `gzip`: asks
// for a compressed answer, as Prometheus does by default.
std::optional<timed_scrape> scrape_once(const std::string& address, bool gzip = false);

class periodic_scraper {
public:
    periodic_scraper(std::string address, std::chrono::milliseconds interval);
    ~periodic_scraper();  // stops and joins
    periodic_scraper(const periodic_scraper&) = delete;
    periodic_scraper& operator=(const periodic_scraper&) = delete;

    int scrapes() const noexcept { return scrapes_.load(); }

private:
    std::atomic<bool> stopping_{false};
    std::atomic<int> scrapes_{0};
    std::thread thread_;
};

}  // namespace skynet::bench
