#include "skynet/security/keys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "support/scratch_dir.hpp"

namespace skynet::security {
namespace {

namespace fs = std::filesystem;

class KeysTest : public ::testing::Test {
protected:
    static unsigned mode_of(const fs::path& file) {
        struct stat st {};
        EXPECT_EQ(::stat(file.c_str(), &st), 0);
        return st.st_mode & 07777;
    }
    const skynet::testing::scratch_dir scratch_{"keys"};
    const fs::path& dir_ = scratch_.path();
};

TEST_F(KeysTest, GeneratedPairIsZ85AndConsistent) {
    const auto pair = generate_key_pair();
    EXPECT_TRUE(is_z85_key(pair.public_key));
    EXPECT_TRUE(is_z85_key(pair.secret_key));
    EXPECT_NE(pair.public_key, pair.secret_key);
    EXPECT_EQ(public_key_of(pair.secret_key), pair.public_key);
    EXPECT_NE(generate_key_pair().public_key, pair.public_key);
}

TEST_F(KeysTest, MalformedKeysAreNotKeys) {
    EXPECT_FALSE(is_z85_key(""));
    EXPECT_FALSE(is_z85_key(std::string(39, 'a')));
    EXPECT_FALSE(is_z85_key(std::string(40, '"')));  // not in the Z85 alphabet
    EXPECT_THROW(public_key_of("short"), key_error);
}

TEST_F(KeysTest, WrittenFilesLoadBackWithTheirModes) {
    const auto pair = generate_key_pair();
    write_key_files(dir_, "alice", pair);
    EXPECT_EQ(mode_of(dir_ / "alice.key"), 0600u);
    EXPECT_EQ(mode_of(dir_ / "alice.pub"), 0644u);
    const auto loaded = load_secret_key_file(dir_ / "alice.key");
    EXPECT_EQ(loaded.secret_key, pair.secret_key);
    EXPECT_EQ(loaded.public_key, pair.public_key);
    EXPECT_EQ(load_public_key_file(dir_ / "alice.pub"), pair.public_key);
}

TEST_F(KeysTest, ExistingKeyIsNeverOverwritten) {
    write_key_files(dir_, "alice", generate_key_pair());
    const auto before = load_public_key_file(dir_ / "alice.pub");
    EXPECT_THROW(write_key_files(dir_, "alice", generate_key_pair()), key_error);
    EXPECT_EQ(load_public_key_file(dir_ / "alice.pub"), before);
    EXPECT_THROW(write_key_files(dir_, "../evil", generate_key_pair()), key_error);
}

TEST_F(KeysTest, SecretReadableByOthersIsRefused) {
    write_key_files(dir_, "alice", generate_key_pair());
    fs::permissions(dir_ / "alice.key", fs::perms(0644));
    try {
        (void)load_secret_key_file(dir_ / "alice.key");
        FAIL() << "a 0644 secret key was accepted";
    } catch (const key_error& e) {
        EXPECT_NE(std::string(e.what()).find("0644"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
    }
}

TEST_F(KeysTest, AllowedKeysAreNamedByFileStem) {
    const auto alice = generate_key_pair();
    const auto bob = generate_key_pair();
    write_key_files(dir_, "alice", alice);
    write_key_files(dir_, "bob", bob);
    std::ofstream(dir_ / "notes.txt") << "not a key\n";
    const auto keys = load_allowed_keys(dir_);
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys.at(alice.public_key), "alice");
    EXPECT_EQ(keys.at(bob.public_key), "bob");
}

TEST_F(KeysTest, BadAllowListIsRefused) {
    EXPECT_THROW((void)load_allowed_keys(dir_ / "missing"), key_error);
    std::ofstream(dir_ / "broken.pub") << "# nothing here\n";
    EXPECT_THROW((void)load_allowed_keys(dir_), key_error);
}

}  // namespace
}  // namespace skynet::security
