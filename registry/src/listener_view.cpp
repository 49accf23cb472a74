#include "listener_view.hpp"

#include <algorithm>

namespace skynet::registry::detail {

std::vector<change> listener_view::resync(std::vector<instance> fresh) {
    bus::string_map<instance> next;
    for (auto& record : fresh) {
        if (filter_.matches(record)) {
            auto id = record.id;
            next.insert_or_assign(std::move(id), std::move(record));
        }
    }
    std::vector<change> removed;
    std::vector<change> rest;
    for (auto& [id, record] : seen_) {
        if (!next.contains(id)) {
            removed.push_back({change::type::removed, std::move(record)});
        }
    }
    for (const auto& [id, record] : next) {
        auto old = seen_.find(id);
        if (old == seen_.end()) {
            rest.push_back({change::type::added, record});
        } else if (old->second != record) {
            rest.push_back({change::type::updated, record});
        }
    }
    auto by_id = [](const change& a, const change& b) { return a.record.id < b.record.id; };
    std::sort(removed.begin(), removed.end(), by_id);
    std::sort(rest.begin(), rest.end(), by_id);
    removed.insert(removed.end(), std::make_move_iterator(rest.begin()),
                   std::make_move_iterator(rest.end()));
    seen_ = std::move(next);
    return removed;
}

std::optional<change> listener_view::apply(const std::string& id, std::optional<instance> current) {
    auto old = seen_.find(id);
    if (!current || current->id != id || !filter_.matches(*current)) {
        if (old == seen_.end()) {
            return std::nullopt;
        }
        change gone{change::type::removed, std::move(old->second)};
        seen_.erase(old);
        return gone;
    }
    if (old == seen_.end()) {
        seen_.emplace(id, *current);
        return change{change::type::added, std::move(*current)};
    }
    if (old->second == *current) {
        return std::nullopt;
    }
    old->second = *current;
    return change{change::type::updated, std::move(*current)};
}

std::vector<instance> listener_view::snapshot() const {
    std::vector<instance> out;
    out.reserve(seen_.size());
    for (const auto& [id, record] : seen_) {
        out.push_back(record);
    }
    return out;
}

}  // namespace skynet::registry::detail
