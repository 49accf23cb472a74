// sleeper-service: method Sleep {ms} answers {slept_ms} after that long, for
// trying timeouts and drains. It stops sleeping once its caller has stopped
// waiting, since nobody would read the answer.
#include <algorithm>
#include <thread>

#include "../common/service_main.hpp"

int main(int argc, char** argv) {
    using namespace skynet;
    runtime::option_parser parser("sleeper-service", "answers Sleep {ms} after sleeping that long");
    examples::add_worker_options(parser, 8);
    parser.parse_or_exit(argc, argv);
    return examples::serve(examples::worker_options_from(parser, "sleeper"), [](worker& w) {
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
