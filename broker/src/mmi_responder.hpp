#pragma once
// The broker's internal services (8/MMI and ours) that answer from what the
// broker knows without changing what its workers are given: mmi.service,
// mmi.services, mmi.credit, mmi.stats, mmi.service_stats, the mmi.batch question, and 501 for
// any other mmi.* name. Runs on the broker's thread only.

#include <cstddef>
#include <zmq.hpp>

#include "counters.hpp"
#include "outbox.hpp"
#include "service_table.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/bus/mdp.hpp"
#include "worker_pool.hpp"

namespace skynet::broker_detail {

class mmi_responder {
public:
    mmi_responder(const broker_options& options, std::size_t batch_limit, service_table& services,
                  worker_pool& workers, outbox& out, counters& stats)
        : options_(options),
          batch_limit_(batch_limit),
          services_(services),
          workers_(workers),
          out_(out),
          stats_(stats) {}

    // Answers `request` to `client` (mmi.pause and mmi.resume excepted:
    // they are the broker's, since they change what a worker is given).
    void answer(const zmq::message_t& client, const bus::mdp::client_message& request,
                time_point now);
    // mmi.batch whose body is an empty batch: yes, and how large a batch
    // may be; or 501 from a broker that takes no batches.
    void answer_batch_question(const zmq::message_t& client, std::string_view service);

private:
    void answer_credit(const zmq::message_t& client, const bus::mdp::client_message& request,
                       time_point now);
    void answer_stats(const zmq::message_t& client, std::string_view service);
    void answer_service_stats(const zmq::message_t& client, std::string_view service);

    const broker_options& options_;  // the broker's, which outlives this
    const std::size_t batch_limit_;
    service_table& services_;
    worker_pool& workers_;
    outbox& out_;
    counters& stats_;
};

}  // namespace skynet::broker_detail
