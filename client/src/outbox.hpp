#pragma once
// What leaves for one broker on its DEALER. The one place that knows batch
// frames exist on the way out (docs/design.md): a call becomes a record of
// this turn's batch when the broker said it takes them and the call fits,
// else it leaves at once as plain 7/MDP frames. It owns what was agreed on
// this connection (asked, granted and how large, or refused) and the calls
// staged in the batch until it leaves.

#include <span>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/batch.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/runtime/slot_table.hpp"

namespace skynet::client_detail {

// A call's params as the outbox reads them. Borrowed ones view the
// caller's bytes, valid only while the call runs: they are copied into
// whatever leaves (a batch, or a frame of their own), never shared.
struct params_ref {
    zmq::message_t& frame;
    bool borrowed = false;
};

class outbox {
public:
    // What an mmi.batch answer that is not a batch of replies meant.
    enum class answer {
        granted,  // batches from now on (or already)
        refused,  // a broker that does not take them: plain frames
        // A "501" after a grant: another broker on the endpoint, which
        // dropped our batches unread. The link is to be handled as lost.
        lost,
        malformed,  // a grant with no usable limit: ignored
    };

    // A new connection: whoever answers on it is asked again, and nothing
    // staged for the old one goes.
    void reset() noexcept;
    bool batching() const noexcept { return batching_; }

    // Sends call `token` (its header, its params, for `service`): as a
    // record of this turn's batch if it fits, else as plain frames now.
    // False if it did not leave (not connected). The params are copied
    // into the batch, or shared as a plain frame (copied if borrowed),
    // never taken: another attempt may need them.
    bool send(zmq::socket_t& socket, std::string_view service,
              const bus::rpc::request_header& header, params_ref params, runtime::slot_token token);
    // True once the batch is as large as the broker takes: flush it now.
    bool full() const noexcept { return batch_.size() >= limit_; }
    // Sends this turn's batch, if any. False if it could not go: staged()
    // then names the calls it held, for the caller to send again, and
    // drop_staged() forgets them.
    bool flush(zmq::socket_t& socket);
    std::span<const runtime::slot_token> staged() const noexcept { return staged_; }
    void drop_staged() noexcept;

    // Asks whether the broker takes batches, at most once per `every`
    // until it answers, if `wanted` (the client's option).
    void ask(zmq::socket_t& socket, bus::time_point now, bus::milliseconds every, bool wanted);
    // A connection was just made: the question is due at once.
    void ask_again() noexcept { asked_ = {}; }
    // An mmi.batch answer: "501", or a grant (mmi::is_batch_grant).
    answer on_answer(std::span<const zmq::message_t> body, bool wanted);
    // A heartbeat: 8/MMI's mmi.service, which any broker answers.
    void ping(zmq::socket_t& socket);

private:
    bool send_plain(zmq::socket_t& socket, std::string_view service,
                    const bus::rpc::request_header& header, params_ref params);

    bool batching_ = false;
    bool refused_ = false;
    bus::time_point asked_{};
    std::size_t limit_ = bus::batch::default_limit;
    bus::batch::writer batch_;                 // this turn's calls, sent at its end
    std::vector<runtime::slot_token> staged_;  // the calls in batch_
    bus::frames out_;                          // reused: no allocation per send
};

}  // namespace skynet::client_detail
