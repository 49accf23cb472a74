#pragma once
// Scraping /metrics as Prometheus does, over HTTP (cpp-httplib's client),
// and reading samples back by their series as the text format prints them:
//     skynet_broker_requests_total{service="echo",code="OK"}

#include <map>
#include <optional>
#include <string>

namespace skynet::testing {

struct scraped {
    int status = 0;  // HTTP status; 0 if nothing answered
    std::string content_type;
    std::string text;
    std::map<std::string, double> samples;  // series -> value

    // The sample's value, or nothing if the scrape does not hold it.
    std::optional<double> get(const std::string& series) const;
    // The value, or 0 if absent (a counter not moved yet).
    double value(const std::string& series) const { return get(series).value_or(0.0); }
    // True if any series of this metric has these labels in it
    // ({service="x"} matches every series naming that service).
    bool mentions(const std::string& text_in_series) const;
};

// GET http://<address>/metrics ("127.0.0.1:41234"); status 0 if it failed.
scraped scrape(const std::string& address);

}  // namespace skynet::testing
