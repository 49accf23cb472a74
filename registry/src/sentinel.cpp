// Redis's guidelines for Sentinel clients, the parts a registry connection
// needs: ask the sentinels in turn for the master's address, with a short
// timeout each, and confirm with ROLE, once connected, that it is a master
// (redis_link.cpp): a sentinel may answer with the old master for a moment
// during a failover. A sentinel that asks for a password gets the master's.
#include "sentinel.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "redis_link.hpp"

namespace skynet::registry::detail {

namespace {

using bus::errc;
using bus::error;
using bus::result;

// Long enough for a loaded sentinel, short enough that a dead one (a
// silent host, not a refused port) does not hold up the next.
constexpr std::chrono::milliseconds sentinel_timeout{500};

bool auth_wanted(const error& e) {
    return e.code == errc::unauthorized;
}

// The master's address from one sentinel, or why not.
result<redis_address> ask(const redis_address& sentinel, const options& opts) {
    options direct;
    direct.redis.host = sentinel.host;
    direct.redis.port = sentinel.port;
    direct.connect_timeout = std::min(opts.connect_timeout, sentinel_timeout);
    direct.command_timeout = std::min(opts.command_timeout, sentinel_timeout);
    auto link = redis_link::open(direct);
    if (!link) {
        return std::move(link).err();
    }
    const command_line question{"SENTINEL", "get-master-addr-by-name", opts.redis.master_name};
    auto reply = link->command(question);
    if (!reply && auth_wanted(reply.err()) && !opts.redis.password.empty()) {
        command_line auth{"AUTH"};
        if (!opts.redis.user.empty()) {
            auth.push_back(opts.redis.user);
        }
        auth.push_back(opts.redis.password);
        if (auto accepted = link->command(auth); !accepted) {
            return std::move(accepted).err();
        }
        reply = link->command(question);
    }
    if (!reply) {
        return std::move(reply).err();
    }
    const redisReply& answer = **reply;
    if (answer.type != REDIS_REPLY_ARRAY || answer.elements != 2 ||
        answer.element[0]->type != REDIS_REPLY_STRING ||
        answer.element[1]->type != REDIS_REPLY_STRING) {
        return error{errc::unavailable, "knows no master named '" + opts.redis.master_name + "'"};
    }
    redis_address master;
    master.host.assign(text_of(*answer.element[0]));
    try {
        master.port = std::stoi(std::string(text_of(*answer.element[1])));
    } catch (const std::exception&) {
        return error{errc::unavailable, "answered a port that is not a number"};
    }
    return master;
}

// The sentinel that last answered, by deployment ("name@h:p,h:p"), for
// every registry object of the process. A few deployments at most.
struct answered_sentinels {
    std::mutex mutex;
    std::map<std::string, std::string> last;  // deployment -> "host:port"
};

answered_sentinels& answered() {
    static answered_sentinels table;
    return table;
}

std::string deployment_key(const redis_url& deployment) {
    std::string key = deployment.master_name + "@";
    for (const auto& sentinel : deployment.sentinels) {
        key.append(sentinel.to_string()).append(",");
    }
    return key;
}

}  // namespace

std::vector<redis_address> sentinels_in_order(const redis_url& deployment) {
    std::string first;
    {
        auto& table = answered();
        std::lock_guard lock(table.mutex);
        auto found = table.last.find(deployment_key(deployment));
        if (found != table.last.end()) {
            first = found->second;
        }
    }
    auto order = deployment.sentinels;
    std::stable_partition(order.begin(), order.end(),
                          [&](const redis_address& s) { return s.to_string() == first; });
    return order;
}

void sentinel_answered(const redis_url& deployment, const redis_address& sentinel) {
    auto& table = answered();
    std::lock_guard lock(table.mutex);
    table.last[deployment_key(deployment)] = sentinel.to_string();
}

result<redis_address> find_master(const options& opts) {
    std::string said;
    for (const auto& sentinel : sentinels_in_order(opts.redis)) {
        auto master = ask(sentinel, opts);
        if (master) {
            sentinel_answered(opts.redis, sentinel);
            return master;
        }
        said.append(said.empty() ? "" : "; ")
            .append(sentinel.to_string())
            .append(": ")
            .append(master.err().detail);
    }
    return error{errc::unavailable, "no sentinel of " + opts.redis.to_string() +
                                        " could name master '" + opts.redis.master_name + "' (" +
                                        said + ")"};
}

}  // namespace skynet::registry::detail
