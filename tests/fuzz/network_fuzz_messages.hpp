#pragma once
// A reproducible stream of hostile 7/MDP traffic for the network fuzz test:
// random frames, wrong headers, truncated and reordered messages, oversized
// frames, corrupt envelope headers, protocol abuse (a second READY, REPLY and
// HEARTBEAT from strangers) and requests for thousands of made-up services.
// The same seed gives the same messages in the same order, so a failure can
// be replayed (timing, and so what the broker answers, still varies).

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "support/plain_mdp.hpp"

namespace skynet::testing {

struct fuzz_message {
    std::size_t socket = 0;  // which of the fuzzing DEALER sockets sends it
    frame_list frames;       // as a DEALER sends them: "" first, if at all
};

class message_fuzzer {
public:
    // `services`: names real workers serve, sent requests (with garbage) but
    // never claimed by a READY, so that the real workers keep their traffic.
    message_fuzzer(std::uint64_t seed, std::size_t sockets, std::vector<std::string> services);

    fuzz_message next();

    // How many messages carried a frame of 64 KiB or more so far.
    std::size_t oversized() const noexcept { return oversized_; }

private:
    std::uint64_t random();
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(random() % n); }
    bool one_in(std::size_t n) { return below(n) == 0; }
    std::string bytes(std::size_t max_length);
    std::string service_name();
    std::string envelope_header();

    frame_list random_frames();
    frame_list wrong_header();
    frame_list truncated();
    frame_list oversized_message();
    frame_list corrupt_envelope();
    frame_list wrong_order();
    frame_list worker_command_from_stranger();
    frame_list made_up_service();
    frame_list mmi_abuse();
    frame_list valid_request();
    frame_list valid_message();
    void mutate(frame_list& frames);
    void queue_double_ready(std::size_t socket);

    std::uint64_t state_;
    std::size_t sockets_;
    std::vector<std::string> services_;
    std::deque<fuzz_message> pending_;  // the second half of a two-message case
    std::size_t oversized_ = 0;
};

}  // namespace skynet::testing
