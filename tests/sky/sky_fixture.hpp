#pragma once
// What the sky tests share: a real redis-server per test, the real `sky`
// binary run against it, records written straight into the registry (for
// listing and formatting tests), and a known cluster of them.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/registrar.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {

class SkyTest : public ::testing::Test {
protected:
    // sky's default prefix, so that no test needs --prefix.
    registry::options options() const;
    registry::connection connect() const;
    // Runs `sky --redis <this test's redis> args...` to its end.
    run_result sky(std::vector<std::string> args,
                   std::chrono::milliseconds limit = std::chrono::seconds(30)) const;
    // Writes `r` under a long lease.
    void put(const registry::instance& r) const;

    // The known cluster: a broker b1 (eu/h1), fibonacci@1.0 f1 (eu/h1,
    // registered, with stats), fibonacci@1.1 f2 (eu/h2, unregistered) and
    // echo@1.0 e1 (us/h3).
    void put_cluster() const;

    redis_server redis_;
};

registry::instance worker_record(std::string id, std::string service, std::string version,
                                 std::string region, std::string host);

}  // namespace skynet::testing
