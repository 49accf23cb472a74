// The composite call: fib(n) where each level calls the service itself for
// n-1 and n-2 through the bus, so one call fans out into 2*fib(n+1)-1
// requests, all waiting on each other through the broker.
#include <atomic>
#include <memory>
#include <optional>

#include "peers.hpp"
#include "scenarios.hpp"
#include "skynet/client/client.hpp"

namespace skynet::bench {

namespace {

// A request waiting for its two halves. Both callbacks run on the client's
// network thread, so it needs no lock.
struct halves {
    explicit halves(responder r) : answer(std::move(r)) {}
    responder answer;
    std::int64_t sum = 0;
    int left = 2;

    void add(call_result outcome) {
        if (answer.done()) {
            return;  // the other half failed, and answered already
        }
        auto value = outcome ? outcome->result().get_int64("result") : std::nullopt;
        if (!value) {
            answer.fail(outcome ? bus::errc::service_error : outcome.code(), "a half failed");
            return;
        }
        sum += *value;
        if (--left == 0) {
            bus::bson_doc result;
            result.add_int64("result", sum);
            answer.reply(std::move(result));
        }
    }
};

void index(client& bus_client, responder answer) {
    const auto n = answer.request().params().get_int64("n").value_or(-1);
    if (n < 0 || n > 30) {
        answer.fail(bus::errc::bad_request, "Index needs {n: 0..30}");
        return;
    }
    if (n <= 1) {
        bus::bson_doc result;
        result.add_int64("result", n);
        answer.reply(std::move(result));
        return;
    }
    call_options options;
    options.parent = answer.request().context();
    auto waiting = std::make_shared<halves>(std::move(answer));
    for (std::int64_t half : {n - 1, n - 2}) {
        bus::bson_doc params;
        params.add_int64("n", half);
        bus_client.call_async("bench-fibonacci", "Index", params.view(), options,
                              [waiting](call_result r) { waiting->add(std::move(r)); });
    }
}

std::int64_t fib(int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

std::unique_ptr<worker> fibonacci_worker(const std::string& endpoint,
                                         std::shared_ptr<client> nested) {
    worker_options o;
    o.service = "bench-fibonacci";
    o.brokers = {endpoint};
    o.credit = 16384;  // waiting handlers hold no thread
    o.drain_timeout = std::chrono::milliseconds(500);
    auto w = std::make_unique<worker>(std::move(o));
    w->handle_async("Index", [nested](responder r) { index(*nested, std::move(r)); });
    return w;
}

// fib(n) calls one after another until the window closes (one at least).
// `completed` counts nested requests, so that rates compare with other runs.
run_result measure(client& caller, int n, double seconds) {
    run_result r;
    r.label = "skynet, nested calls";
    const auto calls_per_fib = static_cast<std::uint64_t>(2 * fib(n + 1) - 1);
    const auto start = std::chrono::steady_clock::now();
    bus::bson_doc params;
    params.add_int64("n", n);
    do {
        const auto t0 = std::chrono::steady_clock::now();
        auto outcome = caller.call("bench-fibonacci", "Index", params.view());
        r.latency.record(std::chrono::steady_clock::now() - t0);
        ++r.outcomes[static_cast<int>(outcome.code())];
        if (!outcome || outcome->result().get_int64("result") != fib(n)) {
            r.note = "a call failed: " + std::string(bus::to_string(outcome.code()));
            break;
        }
        r.completed += calls_per_fib;
    } while (std::chrono::steady_clock::now() - start < std::chrono::duration<double>(seconds));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.outcomes[0] = r.completed;  // broker CPU per nested request, not per fib
    if (r.note.empty()) {
        r.note = std::to_string(calls_per_fib) + " requests per call; latency is per fib(" +
                 std::to_string(n) + ")";
    }
    return r;
}

}  // namespace

scenario_result run_fibonacci(const bench_options& o) {
    scenario_result s;
    s.name = "fibonacci";
    s.description =
        "fib(" + std::to_string(o.fibonacci_n) + ") through the bus, calls one after another";
    std::optional<inproc_broker> local;
    if (o.broker.empty()) {
        local.emplace();
    }
    const auto endpoint = local ? local->endpoint() : o.broker;
    client_options co;
    co.brokers = {endpoint};
    co.default_timeout = std::chrono::seconds(30);
    auto nested = std::make_shared<client>(co);
    auto w = fibonacci_worker(endpoint, nested);
    auto ready = std::make_shared<std::atomic<bool>>(false);
    w->hooks().registered = [ready](const std::string&) { ready->store(true); };
    w->start();
    client caller(co);
    bus::bson_doc small;
    small.add_int64("n", 2);
    if (!wait_until([&] { return ready->load(); }, std::chrono::seconds(10)) ||
        !caller.call("bench-fibonacci", "Index", small.view())) {
        s.skipped = "the fibonacci worker did not answer within 10 s";
        return s;
    }
    const auto cpu0 = local ? local->cpu() : std::chrono::nanoseconds(0);
    s.runs.push_back(measure(caller, o.fibonacci_n, o.seconds));
    if (local) {
        s.runs.back().broker_cpu = local->cpu() - cpu0;
    }
    s.measured = 0;
    return s;
}

}  // namespace skynet::bench
