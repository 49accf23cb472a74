#pragma once
// CURVE keys (issue #17): key pairs in Z85 text, the key files `sky keygen`
// writes (NAME.key, the secret key, mode 0600; NAME.pub, the public key) and
// the allow-list a broker reads from a directory of NAME.pub files (czmq
// zauth's convention): the key's name is the file's stem.

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace skynet::security {

// A setup error about keys or key files: the message names the file and
// what is wrong with it, fit to show a user as it is.
class key_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Z85 text, 40 characters each.
struct key_pair {
    std::string public_key;
    std::string secret_key;
};

// A new key pair from libsodium's generator (zmq_curve_keypair). Throws
// key_error if libzmq was built without CURVE.
key_pair generate_key_pair();

// True if `z85` is 40 characters of Z85 that decode to a 32-byte key.
bool is_z85_key(std::string_view z85) noexcept;

// The public key of a secret key (zmq_curve_public). Throws key_error for a
// secret that is no Z85 key.
std::string public_key_of(const std::string& secret_key);

// The first 8 characters of a public key: enough to tell keys apart in a
// log line. Never call it with a secret key.
std::string fingerprint(std::string_view public_key);

// Reads a NAME.key file: its pair (the public key derived from the secret).
// Throws key_error if the file is missing, holds no key, or can be read by
// its group or others (a secret that leaked is no secret).
key_pair load_secret_key_file(const std::filesystem::path& file);

// Reads a NAME.pub file: the public key in it. Throws key_error if missing
// or holding no key.
std::string load_public_key_file(const std::filesystem::path& file);

// Writes dir/NAME.key (mode 0600) and dir/NAME.pub (mode 0644), each one
// line of Z85 after a comment line. Throws key_error if either exists (a
// key is never overwritten) or cannot be written, or `name` is not a plain
// file name.
void write_key_files(const std::filesystem::path& dir, const std::string& name,
                     const key_pair& keys);

// Allowed client keys: name by Z85 public key. Immutable once made; handed
// around as a shared_ptr so that a reload swaps the whole set at once.
using allowed_keys = std::unordered_map<std::string, std::string>;

// Every NAME.pub in `dir` (other files are ignored): public key -> NAME.
// Throws key_error if `dir` is no directory, a .pub file holds no key, or
// two files hold the same key.
allowed_keys load_allowed_keys(const std::filesystem::path& dir);

}  // namespace skynet::security
