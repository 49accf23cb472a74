#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "skynet/security/keys.hpp"

namespace skynet::security {
namespace {

namespace fs = std::filesystem;

std::string quoted(const fs::path& file) {
    return "'" + file.string() + "'";
}

// The one key in a key file: its first line that is neither empty nor a
// comment, trimmed.
std::string read_key_line(const fs::path& file) {
    std::ifstream in(file);
    if (!in) {
        throw key_error("cannot read key file " + quoted(file) + ": " + std::strerror(errno));
    }
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') {
            continue;
        }
        const auto last = line.find_last_not_of(" \t\r");
        return line.substr(first, last - first + 1);
    }
    return {};
}

// A secret's file must be the owner's alone: a mode that lets the group or
// others read it means the key may be known elsewhere.
void check_private(const fs::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        throw key_error("cannot read key file " + quoted(file) + ": " + std::strerror(errno));
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw key_error("secret key file " + quoted(file) + " has mode " + mode +
                        ": group and others must have no access (chmod 600 it)");
    }
}

// Creates `file` with `mode`, never over an existing one, and writes `text`.
void write_new_file(const fs::path& file, const std::string& text, mode_t mode) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        throw key_error("cannot create " + quoted(file) + ": " + std::strerror(errno));
    }
    // The umask may have taken bits away, never added any; fchmod makes the
    // public file readable by all even under umask 077.
    const bool ok = ::fchmod(fd, mode) == 0 &&
                    ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int saved = errno;
    ::close(fd);
    if (!ok) {
        throw key_error("cannot write " + quoted(file) + ": " + std::strerror(saved));
    }
}

}  // namespace

key_pair load_secret_key_file(const fs::path& file) {
    check_private(file);
    auto secret = read_key_line(file);
    if (!is_z85_key(secret)) {
        throw key_error("key file " + quoted(file) +
                        " holds no CURVE secret key (40 characters of Z85 expected)");
    }
    auto public_key = public_key_of(secret);
    return {std::move(public_key), std::move(secret)};
}

std::string load_public_key_file(const fs::path& file) {
    auto key = read_key_line(file);
    if (!is_z85_key(key)) {
        throw key_error("key file " + quoted(file) +
                        " holds no CURVE public key (40 characters of Z85 expected)");
    }
    return key;
}

void write_key_files(const fs::path& dir, const std::string& name, const key_pair& keys) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
        throw key_error("a key's name must be a plain file name, not '" + name + "'");
    }
    const auto secret = dir / (name + ".key");
    const auto pub = dir / (name + ".pub");
    if (fs::exists(secret) || fs::exists(pub)) {
        throw key_error("key files for '" + name + "' exist already in " + quoted(dir) +
                        ": not overwritten");
    }
    write_new_file(pub, "# skynet CURVE public key '" + name + "'\n" + keys.public_key + "\n",
                   0644);
    write_new_file(
        secret,
        "# skynet CURVE secret key '" + name + "': keep it private\n" + keys.secret_key + "\n",
        0600);
}

allowed_keys load_allowed_keys(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw key_error("allowed keys: " + quoted(dir) + " is not a directory");
    }
    allowed_keys keys;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".pub" || !entry.is_regular_file()) {
            continue;
        }
        auto name = entry.path().stem().string();
        auto key = load_public_key_file(entry.path());
        if (auto [at, added] = keys.emplace(key, name); !added) {
            throw key_error("allowed keys: " + at->second + ".pub and " + name +
                            ".pub hold the same key");
        }
    }
    return keys;
}

}  // namespace skynet::security
