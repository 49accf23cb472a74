#pragma once
// skynet::command_line: the standard options of a service or a client, read
// from the command line, SKYNET_* environment variables and a --config file
// (that order of precedence: runtime/options.hpp), and turned into
// worker_options or client_options.
//
//     skynet::command_line args(skynet::program_kind::service, "greeter", "says hello");
//     args.add()("greeting", po::value<std::string>(), "what to say");  // its own
//     args.parse_or_exit(argc, argv);
//     return skynet::run_service(args, "greeter", setup);

#include <chrono>
#include <cstdint>
#include <string>

#include "skynet/client/client.hpp"
#include "skynet/runtime/options.hpp"
#include "skynet/worker/worker.hpp"

namespace skynet {

// Which standard options a program takes.
enum class program_kind {
    // --broker (repeatable), --version, --concurrency, --credit,
    // --heartbeat-ms, --lease-ms and --drain-ms
    service,
    // --broker (repeatable)
    client,
};
// Both take the common --redis, --prefix, --region, --host, --log-level,
// --config and --help. Each option can also come from SKYNET_<NAME>
// (SKYNET_HEARTBEAT_MS for --heartbeat-ms) or from the config file
// ("concurrency = 8").

// A service's defaults, shown by --help and used where no source sets one.
struct service_defaults {
    std::string version = "1.0";
    int concurrency = 4;
    std::uint32_t credit = 0;  // 0: concurrency
    std::chrono::milliseconds drain{10000};
};

// Not thread-safe: main() builds, parses and reads it.
class command_line {
public:
    // `program` names the binary in --help and in error lines, `summary`
    // says in one line what it does.
    command_line(program_kind kind, std::string program, std::string summary,
                 const service_defaults& defaults = {});

    // This program's own options, beside the standard ones:
    // args.add()("n", runtime::po::value<int>()->default_value(20), "which number").
    runtime::po::options_description_easy_init add() { return parser_.add(); }

    // Reads every source. Returns false when --help was asked for and has
    // been printed (exit 0). Throws runtime::options_error, whose what() is
    // one line naming the option.
    bool parse(int argc, const char* const* argv);
    // parse(); exits 0 after --help, and 2 after printing one line,
    // "<program>: <problem> (try --help)", to stderr for a bad option.
    void parse_or_exit(int argc, const char* const* argv);
    // Exits 2 after printing "<program>: <problem> (try --help)": for the
    // program's own checks after parsing.
    [[noreturn]] void exit_with_error(const std::string& problem) const;

    // What a parsed service command line asks for, for the service named
    // `service`. With no --broker and no --redis: tcp://127.0.0.1:5555.
    // Throws runtime::options_error naming the option and its value (a
    // --broker that is no endpoint, --lease-ms under 100, ...), and
    // std::logic_error on a client's command line.
    worker_options make_worker_options(std::string service) const;
    // The same for a client that calls itself `name` in origins.
    client_options make_client_options(std::string name) const;

    template <class T>
    T get(const std::string& name) const {
        return parser_.get<T>(name);
    }
    bool has(const std::string& name) const { return parser_.has(name); }
    const runtime::common_options& common() const noexcept { return parser_.common(); }
    const std::string& program() const noexcept { return parser_.program(); }
    program_kind kind() const noexcept { return kind_; }

private:
    void add_service_options(const service_defaults& defaults);
    std::vector<std::string> brokers() const;

    program_kind kind_;
    runtime::option_parser parser_;
};

}  // namespace skynet
