// sleeper-service: method Sleep {ms} answers {slept_ms} after that long, for
// trying timeouts and drains. It stops sleeping once its caller has stopped
// waiting, since nobody would read the answer.
#include <algorithm>
#include <skynet/skynet.hpp>
#include <thread>

int main(int argc, char** argv) {
    using namespace skynet;
    command_line args(program_kind::service, "sleeper-service",
                      "answers Sleep {ms} after sleeping that long", {.concurrency = 8});
    args.parse_or_exit(argc, argv);
    return run_service(args, "sleeper", [](worker& w) {
        w.handle("Sleep", [](const request& req) {
            auto ms = req.params().get_int64("ms");
            if (!ms || *ms < 0) {
                throw service_failure(bus::errc::bad_request, "Sleep needs {ms: a number >= 0}");
            }
            auto wanted = std::chrono::milliseconds(*ms);
            std::this_thread::sleep_for(std::min(wanted, req.remaining()));
            bus::bson_doc result;
            result.add_int64("slept_ms", *ms);
            return result;
        });
    });
}
