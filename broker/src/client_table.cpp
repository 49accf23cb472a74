#include "client_table.hpp"

#include <string>

namespace skynet::broker_detail {

request_ticket& request_ticket::operator=(request_ticket&& other) noexcept {
    if (this != &other) {
        settle();
        owner_ = std::exchange(other.owner_, nullptr);
    }
    return *this;
}

void request_ticket::settle() noexcept {
    if (owner_ != nullptr) {
        owner_->table->settled(*owner_);
        owner_ = nullptr;
    }
}

client_table::admission client_table::admit(std::string_view identity, request_ticket& ticket) {
    auto found = clients_.find(identity);
    if (found == clients_.end()) {
        if (clients_.size() >= max_clients_) {
            forget_idle();  // only when full: a record is reused while its client talks
        }
        if (clients_.size() >= max_clients_) {
            return admission::too_many_clients;
        }
        found = clients_.emplace(std::string(identity), client_peer{0, this, {}}).first;
    }
    auto& peer = found->second;
    if (peer.outstanding >= max_requests_) {
        return admission::too_many_requests;
    }
    if (peer.outstanding++ == 0) {
        ++active_;
    }
    ticket = request_ticket(peer);
    return admission::admitted;
}

void client_table::settled(client_peer& peer) noexcept {
    if (--peer.outstanding == 0) {
        --active_;
    }
}

void client_table::trim() {
    constexpr std::size_t idle_kept = 1024;
    if (clients_.size() - active_ > idle_kept) {
        forget_idle();
    }
}

void client_table::forget_idle() {
    std::erase_if(clients_, [](const auto& entry) { return entry.second.outstanding == 0; });
}

}  // namespace skynet::broker_detail
