// fibonacci-service: method Index {n} answers {result: fib(n)}. For n > 1 it
// calls the fibonacci service itself for n-1 and n-2 through the bus, as a
// composite service does, so one call fans out into fib(n+1)*2-1 requests.
//
// The handler is asynchronous: while it waits on its two nested calls it
// holds no thread, so thousands of requests can wait at once without
// starving the service of handlers. The nested calls inherit the request's
// deadline, so when the caller gives up, the whole tree ends with it.
#include <memory>
#include <skynet/skynet.hpp>

namespace {

using namespace skynet;

// fib(25) already fans out into about 240,000 requests.
constexpr std::int64_t largest_n = 25;

// One request waiting on its two halves. Both callbacks run on the client's
// network thread, one after the other, so this needs no lock.
struct pending_sum {
    explicit pending_sum(responder r) : answer(std::move(r)) {}
    responder answer;
    std::int64_t sum = 0;
    int halves_left = 2;

    void add(call_result outcome) {
        if (answer.done()) {
            return;  // the other half failed and answered already
        }
        if (!outcome) {
            answer.fail(outcome.code(), outcome.err().detail);
            return;
        }
        auto value = outcome->result().get_int64("result");
        if (!value) {
            answer.fail(bus::errc::service_error, "a nested Index reply has no result");
            return;
        }
        sum += *value;
        if (--halves_left == 0) {
            bus::bson_doc result;
            result.add_int64("result", sum);
            answer.reply(std::move(result));
        }
    }
};

void answer_index(responder answer) {
    const auto& req = answer.request();
    auto n = req.params().get_int64("n");
    if (!n || *n < 0 || *n > largest_n) {
        answer.fail(bus::errc::bad_request, "Index needs {n: a number from 0 to 25}");
        return;
    }
    if (*n <= 1) {
        bus::bson_doc result;
        result.add_int64("result", *n);
        answer.reply(std::move(result));
        return;
    }
    // The worker's own client: its brokers or registry, within this
    // request's deadline and trace (parent = the request's context).
    auto options = req.call_options();
    options.idempotent = true;  // fib is pure: safe to run again
    auto& bus_client = req.client();
    auto waiting = std::make_shared<pending_sum>(std::move(answer));
    for (std::int64_t half : {*n - 1, *n - 2}) {
        bus::bson_doc params;
        params.add_int64("n", half);
        bus_client.call_async("fibonacci", "Index", params.view(), options,
                              [waiting](call_result r) { waiting->add(std::move(r)); });
    }
}

}  // namespace

int main(int argc, char** argv) {
    // Waiting handlers hold no thread, so let the broker hand us many.
    command_line args(program_kind::service, "fibonacci-service",
                      "answers Index {n} with fib(n), computed through the bus",
                      {.concurrency = 1, .credit = 16384});
    args.parse_or_exit(argc, argv);
    return run_service(args, "fibonacci", [](worker& w) { w.handle_async("Index", answer_index); });
}
