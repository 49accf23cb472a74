#pragma once
// What the broker keeps per client, for its limits (docs/design.md: every limit
// answers with a coded error and a counter): how many requests each client
// has in the broker, queued or held by a worker, and how many clients have
// any. Without the bounds, one client could fill every queue, and a crowd of
// them the broker's memory.

#include <cstdint>
#include <string_view>
#include <utility>

#include "skynet/bus/string_map.hpp"
#include "stage_ref.hpp"

namespace skynet::broker_detail {

class client_table;

struct client_peer {
    std::uint32_t outstanding = 0;
    client_table* table = nullptr;
    stage_ref replies;  // its batch of replies, this burst
};

// A request's share of its client's bound, from admission until the request
// leaves the broker (answered, expired or refused). It moves with the
// request from queue to worker and back; dropping it gives the share back,
// so that no way out of the broker can forget to.
class request_ticket {
public:
    request_ticket() = default;
    explicit request_ticket(client_peer& owner) noexcept : owner_(&owner) {}
    request_ticket(request_ticket&& other) noexcept
        : owner_(std::exchange(other.owner_, nullptr)) {}
    request_ticket& operator=(request_ticket&& other) noexcept;
    request_ticket(const request_ticket&) = delete;
    request_ticket& operator=(const request_ticket&) = delete;
    ~request_ticket() { settle(); }

    void settle() noexcept;
    // The client whose share this is; nullptr once settled.
    client_peer* owner() const noexcept { return owner_; }

private:
    client_peer* owner_ = nullptr;
};

class client_table {
public:
    client_table(std::size_t max_clients, std::uint32_t max_requests_per_client)
        : max_clients_(max_clients), max_requests_(max_requests_per_client) {}

    enum class admission { admitted, too_many_clients, too_many_requests };

    // Counts one more request of `identity`; if admitted, `ticket` holds it.
    admission admit(std::string_view identity, request_ticket& ticket);

    // Clients with at least one request in the broker.
    std::size_t active() const noexcept { return active_; }
    // Drops the records of clients with nothing in the broker, if there are
    // many: a client that keeps talking keeps its record, so that its
    // requests allocate nothing.
    void trim();

private:
    friend class request_ticket;
    void settled(client_peer& peer) noexcept;
    void forget_idle();

    const std::size_t max_clients_;
    const std::uint32_t max_requests_;
    // Node-based: tickets point at the records, which never move.
    bus::string_map<client_peer> clients_;
    std::size_t active_ = 0;
};

}  // namespace skynet::broker_detail
