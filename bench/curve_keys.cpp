#include "curve_keys.hpp"

#include <string>
#include <unordered_map>

namespace skynet::bench {

std::shared_ptr<const curve_keys> curve_keys::make() {
    return std::make_shared<const curve_keys>(
        curve_keys{security::generate_key_pair(), security::generate_key_pair()});
}

void curve_keys::apply(broker_options& options) const {
    options.curve_secret_key = broker.secret_key;
    options.allowed_keys = std::make_shared<const std::unordered_map<std::string, std::string>>(
        std::unordered_map<std::string, std::string>{{peer.public_key, "bench"}});
}

void curve_keys::apply(client_options& options) const {
    options.curve_public_key = peer.public_key;
    options.curve_secret_key = peer.secret_key;
    options.broker_key = broker.public_key;
}

void curve_keys::apply(worker_options& options) const {
    options.curve_public_key = peer.public_key;
    options.curve_secret_key = peer.secret_key;
    options.broker_key = broker.public_key;
}

}  // namespace skynet::bench
