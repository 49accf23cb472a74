#pragma once
// skyd's /metrics (docs/metrics.md), built at each scrape from the
// supervisor's rows and the last host figures, which the daemon hands over
// under its own mutex: restarts, up and crash-looping by service, and the
// host's CPU, memory, load and uptime. Not a hot path: a scrape now and then.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "skynet/daemon/host_figures.hpp"
#include "skynet/daemon/process_row.hpp"
#include "skynet/metrics/exposer.hpp"

namespace skynet::daemon {

// What one scrape reads of the daemon.
struct daemon_view {
    std::vector<process_row> rows;
    std::optional<host_figures> figures;  // none before the first sample
};

// By service: skynet_skyd_restarts_total, skynet_skyd_up (processes
// running), skynet_skyd_crash_looping (processes given up on); and the
// skynet_host_* gauges.
metrics::families skyd_families(const daemon_view& view);

class daemon_metrics {
public:
    // Serves on `listen` ("host:port", port 0: any); `read` runs on an
    // exposer thread at each scrape. Throws as metrics::exposer does.
    daemon_metrics(const std::string& listen, std::function<daemon_view()> read);

    std::string address() const { return http_.address(); }

private:
    metrics::exposer http_;
};

}  // namespace skynet::daemon
