#pragma once
// Everything the broker sends, built in one reused frame vector so that a
// message costs no allocation of ours; and batch frames for the peers that
// take them, gathered while a burst of inbound messages is handled and sent
// at its end (or as soon as one is full). Batching lives here and in the
// inbound splitter (bus::for_each_message) only: the rest of the broker
// handles one request or reply at a time, however it travels.

#include <spdlog/logger.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/broker/broker.hpp"
#include "skynet/bus/batch.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"
#include "skynet/bus/message.hpp"
#include "stage_ref.hpp"

namespace skynet::broker_detail {

struct counters;

// A peer's side of batching: whether it agreed to take batch frames, and
// where its batch of this burst is gathered (a field of the peer's record).
struct peer_batches {
    bool taken = false;
    stage_ref* stage = nullptr;  // set whenever `taken`
};

// What a hop changes in a request's header as it leaves (docs/design.md):
// the time its caller has left, less what the request spent here; and the
// retry count of a request run again. Written into the bytes that leave,
// never into bytes an earlier send may still be reading.
struct header_edit {
    bus::time_point deadline = bus::time_point::max();  // max: no timeout to rewrite
    bus::time_point now{};
    std::int32_t retry = -1;  // -1: as it is

    bool needed() const noexcept { return deadline != bus::time_point::max() || retry >= 0; }
    void apply(std::span<char> header) const noexcept;
};

class outbox {
public:
    outbox(zmq::socket_ref router, counters& stats) : router_(router), stats_(stats) {}

    // The one place that decides how a request or reply travels: as a
    // record of the peer's batch frame if the peer takes batches, the
    // message came as a record (its sender batches) and fits one (route
    // and size under the negotiated limits); else as plain frames.
    //
    // REQUEST to a worker under `token`. Plain frames share the bytes of
    // `body`'s frames (the broker keeps them for a re-dispatch); a record
    // is copied into the batch. False if a plain send failed (the worker
    // is gone or not reading); a batch's failure shows at flush_staged.
    bool request(std::string_view worker, const peer_batches& batches, std::string_view token,
                 bus::message_view& body, const header_edit& edit);
    // REPLY to a client; a plain body's frames are moved out of `body`.
    // False if a plain send failed.
    bool reply(zmq::message_t&& client, const peer_batches& batches, std::string_view service,
               bus::message_view& body);
    // An error the broker makes for a request: in our envelope to our
    // clients (`meta`: the request's header); nothing at all to a plain
    // 7/MDP client (`meta` empty: not our envelope), which has no error
    // replies and could not tell ours from a reply. Its request is dropped
    // and counted, and its own timeout ends it.
    void refuse(zmq::message_t&& client, std::string_view service,
                const std::optional<bus::rpc::request_meta>& meta, bus::errc code,
                std::string_view why);
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
    // mmi.cancel's notice to a worker of ours: the request it holds under
    // `token` was given up.
    bool cancel_notice(std::string_view worker, std::string_view token);

    // Sends every batch gathered (docs/design.md: at most the batch limit
    // in bytes each). The workers whose batch could not be sent (gone, or
    // not reading) are appended to `unreachable`; a client's lost batch is
    // only counted, like any lost reply.
    void flush_staged(std::vector<std::string>& unreachable);
    // Forgets what was gathered for a peer (a worker being removed: what it
    // holds is recovered, so it must not get it too).
    void discard_staged(const stage_ref& ref) noexcept;
    void set_batch_limit(std::size_t bytes) noexcept { batch_limit_ = bytes; }

private:
    bool flush();
    // Whether `body` may travel as a record of `batches`' peer's batch.
    bool batched(const peer_batches& batches, std::string_view route,
                 const bus::message_view& body) const noexcept;
    // Appends `body`'s frames sharing their bytes, with the header edited.
    void put_shared(bus::message_view& body, const header_edit& edit);

    // The batch of requests for a worker, or of replies for a client, that
    // this burst adds to. Write one whole record into it, then call staged().
    bus::batch::writer& stage_requests(std::string_view worker, stage_ref& ref);
    bus::batch::writer& stage_replies(std::string_view client, stage_ref& ref);
    // After each record: sends the peer's batch if it is full.
    void staged(const stage_ref& ref);

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
