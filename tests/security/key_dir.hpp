#pragma once
// The key files of a test's cluster, as an operator lays them out: keys/
// with NAME.key and NAME.pub for each name (sky keygen's files), and
// allowed/ with the .pub of the names a broker lets in (its --allow-keys).
// Removed with the test's scratch directory.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "skynet/security/keys.hpp"
#include "support/scratch_dir.hpp"

namespace skynet::testing {

class key_dir {
public:
    key_dir(const std::string& kind, const std::vector<std::string>& names,
            const std::vector<std::string>& allowed);

    // keys/<file>, e.g. key("broker.key").
    std::filesystem::path key(const std::string& file) const { return dir_ / "keys" / file; }
    // The directory a broker's --allow-keys names.
    std::filesystem::path allowed() const { return dir_ / "allowed"; }
    // The scratch directory itself, for the test's other files.
    const std::filesystem::path& root() const noexcept { return dir_.path(); }
    const security::key_pair& pair(const std::string& name) const { return keys_.at(name); }

    // `own`'s key pair and `broker`'s public key into client or worker options.
    template <class Options>
    void apply(Options& options, const std::string& own, const std::string& broker) const {
        options.curve_public_key = pair(own).public_key;
        options.curve_secret_key = pair(own).secret_key;
        options.broker_key = pair(broker).public_key;
    }

private:
    scratch_dir dir_;
    std::map<std::string, security::key_pair> keys_;
};

}  // namespace skynet::testing
