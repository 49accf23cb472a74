// sky keygen NAME [--dir DIR]: a CURVE key pair in NAME.key (the secret,
// mode 0600) and NAME.pub (issue #17). No registry needed.
#include <ostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "skynet/security/keys.hpp"

namespace skynet::sky {

int run_keygen(session& s, const invocation& inv) {
    if (inv.args.size() != 1) {
        throw usage_error("usage: keygen NAME [--dir DIR]");
    }
    const std::filesystem::path dir = inv.dir.value_or(".");
    const auto& name = inv.args[0];
    try {
        const auto keys = security::generate_key_pair();
        security::write_key_files(dir, name, keys);
        s.out << "wrote " << (dir / (name + ".key")).string() << " (secret, mode 0600) and "
              << (dir / (name + ".pub")).string() << "\npublic key " << keys.public_key << '\n';
    } catch (const security::key_error& e) {
        return s.fail(exit_code::failed, e.what());
    }
    s.out.flush();
    return exit_code::ok;
}

}  // namespace skynet::sky
