#pragma once
// Everything the broker sends, built in one reused frame vector so that a
// message costs no allocation of ours; and batch frames for the peers that
// take them, gathered while one inbound message is handled and sent at its
// end (or as soon as one is full).

#include <spdlog/logger.h>

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/broker/broker.hpp"
#include "skynet/bus/batch.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"
#include "stage_ref.hpp"

namespace skynet::broker_detail {

struct counters;

class outbox {
public:
    outbox(zmq::socket_ref router, counters& stats) : router_(router), stats_(stats) {}

    // REQUEST to a worker; the body frames are moved out of `body`.
    bool request(std::string_view worker, zmq::message_t&& token, std::span<zmq::message_t> body);
    // REPLY to a client; the body frames are moved out of `body`.
    bool reply(zmq::message_t&& client, std::string_view service, std::span<zmq::message_t> body);
    // An error reply in our envelope: header {request_id, code, error} and an
    // empty result, so that our clients see a coded error. request_id is
    // empty when the request was not one of ours.
    bool error(zmq::message_t&& client, std::string_view service, std::string_view request_id,
               bus::errc code, std::string_view detail);
    // An mmi.* answer: one frame per string.
    bool mmi_reply(const zmq::message_t& client, std::string_view service,
                   std::initializer_list<std::string_view> body);
    bool mmi_reply_frames(const zmq::message_t& client, std::string_view service,
                          std::span<zmq::message_t> body);
    bool command(std::string_view peer, bus::mdp::command c);

    // Batch frames (docs/design.md), at most `limit` bytes each: the batch of
    // requests for a worker, or of replies for a client, that this burst
    // adds to; `ref` lives in the peer's record. Write one whole record into
    // it, then call staged().
    bus::batch::writer& stage_requests(std::string_view worker, stage_ref& ref);
    bus::batch::writer& stage_replies(std::string_view client, stage_ref& ref);
    // After each record: sends the peer's batch if it is full.
    void staged(const stage_ref& ref);
    // Sends every batch gathered. The workers whose batch could not be sent
    // (gone, or not reading) are appended to `unreachable`; a client's lost
    // batch is only counted, like any lost reply.
    void flush_staged(std::vector<std::string>& unreachable);
    // Forgets what was gathered for a peer (a worker being removed: what it
    // holds is recovered, so it must not get it too).
    void discard_staged(const stage_ref& ref) noexcept;
    void set_batch_limit(std::size_t bytes) noexcept { batch_limit_ = bytes; }

private:
    bool flush();

    struct stage {
        bool to_worker = false;
        std::string peer;
        bus::batch::writer batch;
    };
    stage& stage_for(std::string_view peer, bool to_worker, stage_ref& ref);
    bool send_stage(stage& s);

    zmq::socket_ref router_;
    counters& stats_;
    bus::frames out_;
    // Stages are reused, never freed; the first `active_` are this burst's.
    std::vector<std::unique_ptr<stage>> stages_;
    std::size_t active_ = 0;
    std::uint64_t burst_ = 1;
    std::vector<std::string> failed_;  // workers whose early send failed
    std::size_t batch_limit_ = bus::batch::default_limit;
};

}  // namespace skynet::broker_detail
