#include "access_file.hpp"

namespace skynet::broker_main {

std::shared_ptr<const broker_access> load_access(const std::string& path, bool check_keys,
                                                 const std::vector<std::string>& keys) {
    auto access = std::make_shared<broker_access>();
    if (!path.empty()) {
        access->rules =
            std::make_shared<const security::access_rules>(security::access_rules::load(path));
    }
    access->check_keys = check_keys;
    access->keys.insert(keys.begin(), keys.end());
    return access;
}

}  // namespace skynet::broker_main
