#include "skynet/metrics/duration_histogram.hpp"

namespace skynet::metrics {

std::uint64_t duration_snapshot::quantile_us(double fraction) const noexcept {
    const auto n = count();
    if (n == 0) {
        return 0;
    }
    // The rank of the sample at `fraction`, 1-based, rounded up.
    auto rank = static_cast<std::uint64_t>(fraction * static_cast<double>(n));
    if (static_cast<double>(rank) < fraction * static_cast<double>(n) || rank == 0) {
        ++rank;
    }
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < duration_bounds_us.size(); ++i) {
        seen += counts[i];
        if (seen >= rank) {
            return duration_bounds_us[i];
        }
    }
    return duration_bounds_us.back();
}

}  // namespace skynet::metrics
