// The slot table: O(1) acquire/find/release by token, stale and forged
// tokens recognised, and the two token encodings the wire depends on.
#include "skynet/runtime/slot_table.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using skynet::runtime::slot;
using skynet::runtime::slot_table;
using skynet::runtime::slot_token;

namespace {

struct entry : slot {
    std::string name;
    int uses = 0;
};

// A reset that keeps what it is told to keep, as the broker's keeps buffers.
struct keep_uses {
    void operator()(entry& e) const noexcept { e.name.clear(); }
};

}  // namespace

TEST(SlotTable, AReleasedSlotsTokenNamesNothingOnceReused) {
    slot_table<entry> table;
    auto& first = table.acquire();
    first.name = "first";
    const auto old = first.token();
    EXPECT_TRUE(first.in_use());
    EXPECT_EQ(table.find(old), &first);
    table.release(first);
    EXPECT_FALSE(first.in_use());
    EXPECT_TRUE(first.name.empty());  // cleared by the default reset
    EXPECT_EQ(table.find(old), nullptr);
    auto& second = table.acquire();  // the same place, a new generation
    EXPECT_EQ(&second, &first);
    EXPECT_EQ(second.token().index, old.index);
    EXPECT_NE(second.token().generation, old.generation);
    EXPECT_EQ(table.find(old), nullptr);
    EXPECT_EQ(table.find(second.token()), &second);
    EXPECT_EQ(table.in_use(), 1u);
}

TEST(SlotTable, ForgedTokensNameNothing) {
    slot_table<entry> table;
    auto& e = table.acquire();
    const auto t = e.token();
    EXPECT_EQ(table.find(slot_token{}), nullptr);  // generation 0 is never used
    EXPECT_EQ(table.find({t.index + 1, t.generation}), nullptr);
    EXPECT_EQ(table.find({t.index, t.generation + 1}), nullptr);
    EXPECT_EQ(table.find({0xffffffffu, 1}), nullptr);
}

TEST(SlotTable, ValuesNeverMoveAndForEachSeesThoseInUse) {
    slot_table<entry, keep_uses> table;
    std::vector<entry*> made;
    for (int i = 0; i < 1000; ++i) {
        auto& e = table.acquire();
        e.uses = i;
        made.push_back(&e);
    }
    for (int i = 0; i < 1000; i += 2) {
        table.release(*made[static_cast<std::size_t>(i)]);
    }
    EXPECT_EQ(table.in_use(), 500u);
    EXPECT_EQ(made[1]->uses, 1);  // never moved by later acquires
    int seen = 0;
    table.for_each([&](entry& e) {
        EXPECT_EQ(e.uses % 2, 1);
        table.release(e);  // releasing while visiting is allowed
        ++seen;
    });
    EXPECT_EQ(seen, 500);
    EXPECT_EQ(table.in_use(), 0u);
    EXPECT_EQ(made[1]->uses, 1);  // keep_uses kept it
}

TEST(SlotToken, BytesAreIndexThenGenerationInHostOrder) {
    const slot_token t{0x01020304u, 0x0a0b0c0du};
    char out[slot_token::byte_size];
    const auto bytes = t.to_bytes(out);
    ASSERT_EQ(bytes.size(), 8u);
    // The broker's client address frame as it always was.
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    std::memcpy(&index, bytes.data(), 4);
    std::memcpy(&generation, bytes.data() + 4, 4);
    EXPECT_EQ(index, t.index);
    EXPECT_EQ(generation, t.generation);
    EXPECT_EQ(slot_token::from_bytes(bytes), t);
    EXPECT_FALSE(slot_token::from_bytes(bytes.substr(0, 7)));
    EXPECT_FALSE(slot_token::from_bytes(std::string(9, 'x')));
    EXPECT_FALSE(slot_token::from_bytes({}));
}

TEST(SlotToken, HexIsSixteenDigitsAndAnythingElseIsRefused) {
    const slot_token t{0x01020304u, 0xa0b0c0d0u};
    char out[slot_token::hex_size];
    EXPECT_EQ(t.to_hex(out), "01020304a0b0c0d0");
    EXPECT_EQ(slot_token::from_hex("01020304a0b0c0d0"), t);
    for (const char* bad : {"", "01020304a0b0c0d", "01020304a0b0c0d00", "0102030xa0b0c0d0",
                            "01020304a0b0c0-1", "+1020304a0b0c0d0", " 1020304a0b0c0d0"}) {
        EXPECT_FALSE(slot_token::from_hex(bad)) << bad;
    }
}
