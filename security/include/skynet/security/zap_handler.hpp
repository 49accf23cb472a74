#pragma once
// The broker's ZAP handler (27/ZAP, issue #17): a thread owning the ROUTER
// bound at inproc://zeromq.zap.01 of one ZeroMQ context, which libzmq asks
// about every CURVE handshake of that context's server sockets. It answers
// 200 with User-Id = the key's name for an allowed client key, 400 for any
// other; after a 200 every message from that peer carries the name
// (zmq_msg_gets(msg, "User-Id")).

#include <cstdint>
#include <memory>
#include <zmq.hpp>

#include "skynet/security/keys.hpp"

namespace skynet::security {

class zap_handler {
public:
    // Binds the handler's socket in `context` and starts answering: do it
    // before any CURVE server socket of the context binds. `context` must
    // outlive this object. Throws zmq::error_t if the context has a handler
    // already (the inproc address is taken).
    zap_handler(zmq::context_t& context, std::shared_ptr<const allowed_keys> keys);
    // Stops and joins the thread; handshakes under way after it fail.
    ~zap_handler();
    zap_handler(const zap_handler&) = delete;
    zap_handler& operator=(const zap_handler&) = delete;

    // Any thread: from the next handshake on, these keys are allowed (a
    // SIGHUP reload). Connections already accepted stay up; a broker that
    // must drop them checks the User-Id of each message.
    void set_allowed_keys(std::shared_ptr<const allowed_keys> keys);
    // The keys in force now (a snapshot that never changes).
    std::shared_ptr<const allowed_keys> allowed() const;

    // Any thread: handshakes answered 200, and refused (400, or malformed).
    std::uint64_t accepted() const noexcept;
    std::uint64_t refused() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace skynet::security
