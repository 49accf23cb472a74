#include "method_metrics.hpp"

#include <algorithm>

namespace skynet::worker_detail {

void method_metrics::configure(std::vector<std::string> methods) {
    methods.push_back(unknown);
    methods.push_back(raw);
    std::sort(methods.begin(), methods.end());
    methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
    cells_.clear();
    for (auto& m : methods) {
        cells_.push_back(std::make_unique<method_cells>(std::move(m)));
    }
    unknown_ = find(unknown);
    raw_ = find(raw);
}

method_cells* method_metrics::find(std::string_view method) const noexcept {
    auto at = std::lower_bound(cells_.begin(), cells_.end(), method,
                               [](const auto& c, std::string_view m) { return c->name < m; });
    return at != cells_.end() && (*at)->name == method ? at->get() : nullptr;
}

method_cells* method_metrics::cells_for(std::string_view method, bool is_raw) const noexcept {
    auto* c = is_raw ? raw_ : find(method);
    return c != nullptr ? c : unknown_;  // null only before configure()
}

void method_metrics::record(std::string_view method, bool is_raw, bus::errc code,
                            std::uint64_t micros) noexcept {
    if (auto* c = cells_for(method, is_raw)) {
        c->outcomes[static_cast<std::size_t>(code)].fetch_add(1, std::memory_order_relaxed);
        c->duration.record_shared(micros);
    }
}

void method_metrics::refused(std::string_view method, bool is_raw, bus::errc code) noexcept {
    if (auto* c = cells_for(method, is_raw)) {
        c->outcomes[static_cast<std::size_t>(code)].fetch_add(1, std::memory_order_relaxed);
    }
}

void method_metrics::failed(bus::errc code, std::string_view detail) {
    std::string text(bus::to_string(code));
    if (!detail.empty()) {
        text += ": ";
        text += detail;
    }
    std::lock_guard lock(error_mutex_);
    last_error_ = std::move(text);
}

std::string method_metrics::last_error() const {
    std::lock_guard lock(error_mutex_);
    return last_error_;
}

}  // namespace skynet::worker_detail
