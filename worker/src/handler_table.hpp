#pragma once
// The handlers of a worker by method, and running one.

#include <memory>
#include <string>

#include "skynet/bus/string_map.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::worker_detail {

struct shared_state;

struct handler_entry {
    enum class kind { sync, async, raw } type = kind::sync;
    run_on where = run_on::pool;
    sync_handler sync;
    async_handler async;
    raw_handler raw;
};

class handler_table {
public:
    // Throws std::invalid_argument for an empty method name or one that has
    // a handler already (or, for set_raw, a second raw handler).
    void add(std::string method, handler_entry entry);
    void set_raw(handler_entry entry);

    // The handler for an envelope request's method, or nullptr.
    const handler_entry* find(std::string_view method) const noexcept;
    // The raw handler, or nullptr.
    const handler_entry* raw() const noexcept { return raw_.raw ? &raw_ : nullptr; }
    bool has_methods() const noexcept { return !methods_.empty(); }
    std::vector<std::string> methods() const;

private:
    bus::string_map<handler_entry> methods_;
    handler_entry raw_;
};

// Runs a sync or raw handler on the calling thread and appends the reply body
// to `out`; `code` says how it went. Never throws: a handler's exception is
// its reply (and a warning in the log).
void execute(shared_state& state, const handler_entry& entry, const request& req, bus::errc& code,
             bus::frames& out);

// Hands an async handler its request's responder, on the calling thread.
// Never throws: a handler's exception is logged, and the responder it took
// answers as one dropped unanswered.
void start_async(const std::shared_ptr<shared_state>& state, const handler_entry& entry,
                 reply_route&& route, request&& req);

}  // namespace skynet::worker_detail
