#include "sky_fixture.hpp"

namespace skynet::testing {

using namespace std::chrono_literals;

registry::instance worker_record(std::string id, std::string service, std::string version,
                                 std::string region, std::string host) {
    registry::instance r;
    r.id = std::move(id);
    r.kind = registry::instance_kind::worker;
    r.service = std::move(service);
    r.version = std::move(version);
    r.region = std::move(region);
    r.host = std::move(host);
    r.pid = 100;
    r.broker = "tcp://127.0.0.1:5555";
    r.started_at = registry::wall_clock_ms();
    return r;
}

registry::options SkyTest::options() const {
    auto opts = registry::options_from_url(redis_.url());
    EXPECT_TRUE(opts.ok());
    return opts.value();
}

registry::connection SkyTest::connect() const {
    auto c = registry::connection::open(options());
    if (!c) {
        throw std::runtime_error("cannot connect: " + c.err().detail);
    }
    return std::move(c).value();
}

run_result SkyTest::sky(std::vector<std::string> args, std::chrono::milliseconds limit) const {
    args.insert(args.begin(), {"--redis", redis_.url()});
    return run_program("sky", std::move(args), limit);
}

void SkyTest::put(const registry::instance& r) const {
    auto c = connect();
    auto written = c.put(r, 600s);
    ASSERT_TRUE(written.ok()) << written.err().detail;
}

void SkyTest::put_cluster() const {
    auto b1 = worker_record("b1", "", "", "eu", "h1");
    b1.kind = registry::instance_kind::broker;
    b1.broker.clear();
    b1.endpoint = "tcp://127.0.0.1:5555";
    b1.services = {"fibonacci", "fibonacci@1.0", "fibonacci@1.1"};
    put(b1);
    auto f1 = worker_record("f1", "fibonacci", "1.0", "eu", "h1");
    f1.methods = {"Index"};
    f1.stats = {.requests = 10,
                .errors = 1,
                .latency_avg_us = 1200,
                .latency_p99_us = 3400,
                .last_request_at = 0,
                .clients = 2};
    put(f1);
    auto f2 = worker_record("f2", "fibonacci", "1.1", "eu", "h2");
    f2.methods = {"Index", "Stats"};
    f2.registered = false;
    put(f2);
    auto e1 = worker_record("e1", "echo", "1.0", "us", "h3");
    e1.methods = {"echo"};
    put(e1);
}

}  // namespace skynet::testing
