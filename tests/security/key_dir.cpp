#include "key_dir.hpp"

namespace skynet::testing {

namespace fs = std::filesystem;

key_dir::key_dir(const std::string& kind, const std::vector<std::string>& names,
                 const std::vector<std::string>& allowed)
    : dir_(kind) {
    fs::create_directories(dir_ / "keys");
    fs::create_directories(dir_ / "allowed");
    for (const auto& name : names) {
        keys_[name] = security::generate_key_pair();
        security::write_key_files(dir_ / "keys", name, keys_[name]);
    }
    for (const auto& name : allowed) {
        fs::copy_file(key(name + ".pub"), this->allowed() / (name + ".pub"));
    }
}

}  // namespace skynet::testing
