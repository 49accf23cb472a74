// A process that registers one instance and does nothing else, so that a test
// can kill it with SIGKILL and watch only the lease notice.
// Usage: registry_holder <redis-url> <prefix> <id> <lease-ms>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "skynet/registry/registrar.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: registry_holder <redis-url> <prefix> <id> <lease-ms>\n");
        return 2;
    }
    auto opts = skynet::registry::options_from_url(argv[1], argv[2]);
    if (!opts) {
        std::fprintf(stderr, "%s\n", opts.err().detail.c_str());
        return 2;
    }
    skynet::registry::instance record;
    record.id = argv[3];
    record.service = "holder";
    record.pid = ::getpid();
    skynet::registry::registrar_settings settings;
    settings.lease = std::chrono::milliseconds(std::stoll(argv[4]));
    skynet::registry::registrar registrar(opts.value(), record, settings);
    for (;;) {
        ::pause();  // until SIGKILL: the registrar's thread keeps refreshing
    }
}
