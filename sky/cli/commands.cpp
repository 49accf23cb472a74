#include "commands.hpp"

#include <ostream>

#include "exit_codes.hpp"

namespace skynet::sky {

const std::vector<command_spec>& command_table() {
    static const std::vector<command_spec> table{
        {"services", "", "services with their versions, instances and regions", run_services},
        {"versions", "", "each service@version with its instances", run_versions},
        {"hosts", "", "hosts with their brokers and workers", run_hosts},
        {"regions", "", "regions with their hosts, brokers and workers", run_regions},
        {"instances", "", "every matching instance, one a line", run_instances},
        {"topology", "", "region > host > service@version > instance, with stats", run_topology},
        {"methods", "", "the methods each service serves", run_methods},
        {"register", "", "matching workers take new requests again", run_register},
        {"unregister", "", "matching workers stop taking new requests, stay alive", run_unregister},
        {"stop", "[IDS]", "matching instances drain and exit (managed: for good)", run_stop},
        {"restart", "[IDS]", "matching instances restart (through their daemon if managed)",
         run_restart},
        {"start", "[IDS]", "start stopped managed processes again", run_start},
        {"reset", "[IDS]", "clear a crash-looping process's failures and start it", run_reset},
        {"undeploy", "[IDS]", "stop managed processes and forget them", run_undeploy},
        {"deploy", "PATH [ARGS...]", "start PATH on every matching host daemon's host", run_deploy},
        {"processes", "", "the processes host daemons manage, with state and restarts",
         run_processes},
        {"logs", "[IDS]", "the output of managed processes (--tail N, -f, --grep RE)", run_logs},
        {"log", "LEVEL", "set the log level of matching instances", run_log},
        {"call", "SERVICE METHOD ['JSON']", "call a method through a broker, print the reply",
         run_call},
        {"keygen", "NAME", "write a CURVE key pair: NAME.key (secret) and NAME.pub (--dir DIR)",
         run_keygen},
        {"watch", "", "print instances as they come, change and go (until Ctrl-C)", run_watch},
        {"dashboard", "",
         "serve the live web dashboard (--listen 127.0.0.1:8080, --max-streams 16)", run_dashboard},
        {"complete", "LINE", "completion candidates for LINE (for the bash script)", run_complete},
    };
    return table;
}

const command_spec* find_command(std::string_view name) {
    for (const auto& spec : command_table()) {
        if (spec.name == name) {
            return &spec;
        }
    }
    return nullptr;
}

int run_command(session& s, const invocation& inv) {
    const auto* spec = find_command(inv.command);
    if (spec == nullptr) {
        throw usage_error("unknown command '" + inv.command + "' (try sky help)");
    }
    return spec->run(s, inv);
}

void print_help(std::ostream& out, bool in_shell) {
    out << (in_shell ? "commands (filters and options as on the command line):\n"
                     : "usage: sky [filters] [options] COMMAND [ARGS]\n\ncommands:\n");
    for (const auto& spec : command_table()) {
        if (spec.name == "complete") {
            continue;
        }
        auto head = std::string(spec.name) + (spec.arguments.empty() ? "" : " ") +
                    std::string(spec.arguments);
        out << "  " << head << std::string(head.size() < 32 ? 32 - head.size() : 1, ' ')
            << spec.summary << '\n';
    }
    if (in_shell) {
        out << "  set FILTER VALUE                filter every later command (service, version,\n"
               "                                  host, region, kind, registered)\n"
               "  unset FILTER|all                drop a filter\n"
               "  filters                         show the filters in force\n"
               "  help, exit, quit\n";
    } else {
        out << "  cli                             an interactive shell with history and "
               "completion\n  help                            this text\n";
    }
    out << "\nfilters: --service S --version V --host H --region R --kind broker|worker|daemon\n"
           "         --registered[=yes|no]\n"
           "options: --redis URL (default SKYNET_REDIS or redis://127.0.0.1:6379) --prefix P\n"
           "         --json --all --yes --timeout 3s --history FILE\n"
           "call with CURVE: --curve-key FILE --broker-key FILE (or SKYNET_CURVE_KEY,\n"
           "SKYNET_BROKER_KEY); only brokers publishing that key are called.\n"
           "call --raw SERVICE [FRAME...] sends plain frames to a plain 7/MDP service and\n"
           "prints the reply's frames, one a line.\n"
           "unregister, stop and restart refuse to run without a filter unless given --all.\n"
           "host daemons (skyd): deploy [--host H] [--region R] [--count N]\n"
           "         [--restart always|on-failure|never] [--env K=V] [--cwd DIR] PATH [ARGS...]\n"
           "         (the words after PATH are the program's); restart --rolling restarts\n"
           "         managed instances one at a time, each once it is registered again;\n"
           "         logs [--tail N] [-f] [--grep RE] prints host/id: before each line.\n"
           "\nexit status: 0 ok, 1 failed or cancelled, 2 bad usage or JSON (or Redis refused\n"
           "the credentials of --redis), 3 registry unreachable, 4 no instance matches the\n"
           "filters, 5 some instances failed or did not answer in time; call: 10 + the bus\n"
           "error code (12 no such service, 13 no such method, 14 timeout, 15 unavailable,\n"
           "18 service error).\n";
    out.flush();
}

}  // namespace skynet::sky
