#include "skynet/security/access_rules.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using skynet::security::access_rules;
using skynet::security::access_rules_error;

const char* const sample = R"(# who may offer what
allow billing-worker offer billing@2.*   # version 2 only
allow echo-worker offer echo
allow frontend call billing fibonacci@1.?
allow ops-* call *
)";

TEST(AccessRules, EmptyRulesDenyEverything) {
    access_rules none;
    EXPECT_FALSE(none.may_call("ops", "echo"));
    EXPECT_FALSE(none.may_offer("ops", "echo"));
    auto parsed = access_rules::parse("# nothing\n\n");
    EXPECT_EQ(parsed.size(), 0u);
    EXPECT_FALSE(parsed.may_call("ops", "echo"));
}

TEST(AccessRules, OfferFollowsNameAndVersion) {
    auto rules = access_rules::parse(sample);
    EXPECT_EQ(rules.size(), 4u);
    EXPECT_TRUE(rules.may_offer("billing-worker", "billing@2.0"));
    EXPECT_TRUE(rules.may_offer("billing-worker", "billing@2.11"));
    EXPECT_FALSE(rules.may_offer("billing-worker", "billing@3.0"));
    EXPECT_FALSE(rules.may_offer("billing-worker", "billing"));  // no version: not 2.*
    EXPECT_FALSE(rules.may_offer("billing-worker", "echo"));
    EXPECT_TRUE(rules.may_offer("echo-worker", "echo"));
    EXPECT_TRUE(rules.may_offer("echo-worker", "echo@1.0"));  // a bare name: any version
    EXPECT_FALSE(rules.may_offer("echo-worker", "echo2"));
    EXPECT_FALSE(rules.may_offer("frontend", "billing@2.0"));  // may call, not offer
}

TEST(AccessRules, CallFollowsNameVersionAndKeyGlobs) {
    auto rules = access_rules::parse(sample);
    EXPECT_TRUE(rules.may_call("frontend", "billing"));
    EXPECT_TRUE(rules.may_call("frontend", "billing@2.0"));
    EXPECT_TRUE(rules.may_call("frontend", "fibonacci@1.0"));
    EXPECT_FALSE(rules.may_call("frontend", "fibonacci@1.10"));
    EXPECT_FALSE(rules.may_call("frontend", "fibonacci"));  // could reach any version
    EXPECT_FALSE(rules.may_call("frontend", "echo"));
    EXPECT_TRUE(rules.may_call("ops-anna", "anything@9"));
    EXPECT_TRUE(rules.may_call("ops-", "echo"));
    EXPECT_FALSE(rules.may_call("ops", "echo"));
    EXPECT_FALSE(rules.may_call("billing-worker", "billing"));
    EXPECT_FALSE(rules.may_call("", "billing"));  // no key: nobody
    EXPECT_FALSE(rules.may_call("nobody", "billing"));
}

TEST(AccessRules, RulesForOneKeyAddUp) {
    auto rules = access_rules::parse("allow a call x\nallow a call y\nallow a* call z\n");
    EXPECT_TRUE(rules.may_call("a", "x"));
    EXPECT_TRUE(rules.may_call("a", "y"));
    EXPECT_TRUE(rules.may_call("a", "z"));
    EXPECT_FALSE(rules.may_call("a", "w"));
    EXPECT_TRUE(rules.may_call("ab", "z"));
    EXPECT_FALSE(rules.may_call("ab", "x"));
}

TEST(AccessRules, ServiceGlobs) {
    auto rules = access_rules::parse("allow k call bill* ?cho *@beta\r\n");
    EXPECT_TRUE(rules.may_call("k", "billing"));
    EXPECT_TRUE(rules.may_call("k", "bill"));
    EXPECT_TRUE(rules.may_call("k", "echo@1"));
    EXPECT_FALSE(rules.may_call("k", "ecco"));
    EXPECT_TRUE(rules.may_call("k", "anything@beta"));
    EXPECT_FALSE(rules.may_call("k", "anything@beta2"));
    EXPECT_FALSE(rules.may_call("k", "anything"));
}

struct bad_case {
    std::string text;
    std::size_t line;
    const char* says;
};

TEST(AccessRules, MalformedTextNamesLineAndFault) {
    const std::vector<bad_case> cases = {
        {"permit a call x", 1, "begins with 'allow'"},
        {"# ok\nallow", 2, "key name is expected"},
        {"allow a", 1, "'offer' or 'call'"},
        {"\n\nallow a serve x", 3, "not 'serve'"},
        {"allow a call", 1, "no service after 'call'"},
        {"allow a/b call x", 1, "key name 'a/b'"},
        {"allow a call x@", 1, "needs both parts"},
        {"allow a call @1", 1, "needs both parts"},
        {"allow a call x\x01y", 1, "control or non-ASCII"},
        {"allow a call x\nallow b offer \xc3\xa9", 2, "non-ASCII"},
        {"allow " + std::string(300, 'k') + " call x", 1, "longer than 255"},
    };
    for (const auto& c : cases) {
        try {
            (void)access_rules::parse(c.text);
            ADD_FAILURE() << "parsed: " << c.text;
        } catch (const access_rules_error& e) {
            EXPECT_EQ(e.line(), c.line) << c.text;
            EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos)
                << c.text << " -> " << e.what();
            EXPECT_NE(std::string(e.what()).find("line " + std::to_string(c.line)),
                      std::string::npos)
                << e.what();
        }
    }
}

TEST(AccessRules, LoadNamesTheFile) {
    const std::string path = ::testing::TempDir() + "access_rules_test.rules";
    std::ofstream(path) << "allow a call x\nallow b cal y\n";
    try {
        (void)access_rules::load(path);
        ADD_FAILURE() << "loaded a bad file";
    } catch (const access_rules_error& e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_NE(std::string(e.what()).find(path + " line 2"), std::string::npos) << e.what();
    }
    std::ofstream(path) << "allow a call x\n";
    EXPECT_TRUE(access_rules::load(path).may_call("a", "x"));
    std::remove(path.c_str());
    try {
        (void)access_rules::load(path);
        ADD_FAILURE() << "loaded a missing file";
    } catch (const access_rules_error& e) {
        EXPECT_EQ(e.line(), 0u);
        EXPECT_NE(std::string(e.what()).find("cannot read"), std::string::npos) << e.what();
    }
}

// Printed, never asserted: what the broker pays per request for the check.
TEST(AccessRules, CheckCostIsPrinted) {
    std::string text;
    for (int i = 0; i < 50; ++i) {
        text +=
            "allow client-" + std::to_string(i) + " call svc-" + std::to_string(i) + " other@1.*\n";
    }
    text += "allow frontend call billing fibonacci@1.? echo*\nallow ops-* call *\n";
    auto rules = access_rules::parse(text);
    constexpr int rounds = 1'000'000;
    int allowed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
        allowed += rules.may_call("frontend", (i & 1) != 0 ? "echo@1.0" : "fibonacci@1.2");
    }
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    EXPECT_EQ(allowed, rounds);
    std::printf("may_call: %.1f ns per check (52 rules, one key glob)\n",
                static_cast<double>(ns) / rounds);
}

}  // namespace
