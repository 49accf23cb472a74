#pragma once
// CURVE for a bench run: fresh keys for the in-process broker and for the
// bench's clients and workers, so that a scenario measures CURVE against
// plain in one run (docs/security.md).

#include <memory>

#include "skynet/broker/broker.hpp"
#include "skynet/client/client.hpp"
#include "skynet/security/keys.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet::bench {

struct curve_keys {
    security::key_pair broker;
    // One allowed key for every client and worker of the run: the handshake
    // and the per-message cost are the same whoever holds it.
    security::key_pair peer;

    static std::shared_ptr<const curve_keys> make();

    void apply(broker_options& options) const;
    void apply(client_options& options) const;
    void apply(worker_options& options) const;
};

}  // namespace skynet::bench
