#include "skynet/registry/connection.hpp"

#include <algorithm>
#include <array>

#include "redis_link.hpp"
#include "scripts.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/registry/codec.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::registry {

using bus::errc;
using bus::error;
using bus::result;
using detail::command_line;
using detail::reply_ptr;
using detail::script_id;

namespace {

// Replies to a pipeline of HGETALLs are read this many at a time, so that a
// query over every instance never holds more than one batch in flight.
constexpr std::size_t read_batch = 1000;
// Ids pruned per call: bounds the time one script holds Redis.
constexpr int prune_limit = 1000;

error unexpected(std::string_view what) {
    return error{errc::service_error, "redis: unexpected reply to " + std::string(what)};
}

std::optional<instance> decode_reply(const redisReply& reply, runtime::log_limiter& limiter) {
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements == 0 || reply.elements % 2 != 0) {
        return std::nullopt;  // no record: it expired or was removed
    }
    std::vector<field_view> fields;
    fields.reserve(reply.elements / 2);
    for (std::size_t i = 0; i + 1 < reply.elements; i += 2) {
        fields.emplace_back(detail::text_of(*reply.element[i]),
                            detail::text_of(*reply.element[i + 1]));
    }
    auto record = decode_instance(fields);
    if (!record) {
        if (limiter.allow(bus::clock::now())) {
            runtime::logger_for("registry")
                ->warn("skipping a bad record error=\"{}\" suppressed={}", record.err().detail,
                       limiter.suppressed());
        }
        return std::nullopt;
    }
    return std::move(record).value();
}

std::vector<std::string> strings_of(const redisReply& reply) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < reply.elements; ++i) {
        out.emplace_back(detail::text_of(*reply.element[i]));
    }
    return out;
}

// The index names ("<field>:<value>") a query's filters can use.
command_line index_names(const query& q) {
    command_line names;
    auto add = [&](std::string_view f, const std::string& v) {
        names.push_back(std::string(f) + ":" + v);
    };
    if (q.region) {
        add("region", *q.region);
    }
    if (q.host) {
        add("host", *q.host);
    }
    if (q.service) {
        add("service", *q.service);
    }
    if (q.service && q.version) {
        add("release", *q.service + "@" + *q.version);
    }
    if (q.kind) {
        add("kind", std::string(to_string(*q.kind)));
    }
    if (q.registered) {
        add("registered", *q.registered ? "1" : "0");
    }
    return names;
}

}  // namespace

struct connection::impl {
    options opts;
    detail::redis_link link;
    std::array<std::string, detail::script_count> shas;
    runtime::log_limiter bad_records;

    impl(options o, detail::redis_link l) : opts(std::move(o)), link(std::move(l)) {}

    // Scripts are loaded once per connection and run by their SHA1.
    result<void> load_scripts() {
        std::vector<command_line> loads;
        for (int i = 0; i < detail::script_count; ++i) {
            auto source = detail::script_source(static_cast<script_id>(i));
            loads.push_back({"SCRIPT", "LOAD", std::string(source)});
        }
        auto replies = link.pipeline(loads);
        if (!replies) {
            return std::move(replies).err();
        }
        for (std::size_t i = 0; i < shas.size(); ++i) {
            const auto& reply = *replies.value()[i];
            if (reply.type != REDIS_REPLY_STRING) {
                return detail::reply_error(reply, link.where());
            }
            shas[i] = std::string(detail::text_of(reply));
        }
        return {};
    }

    result<reply_ptr> eval(script_id id, const command_line& args) {
        command_line line{"EVALSHA", shas[static_cast<std::size_t>(id)], "0", opts.prefix};
        line.insert(line.end(), args.begin(), args.end());
        auto reply = link.command(line);
        // SCRIPT FLUSH (or a failover) empties the cache: load and try once more.
        if (!reply && reply.err().detail.find(": NOSCRIPT") != std::string::npos) {
            if (auto loaded = load_scripts(); !loaded) {
                return loaded.err();
            }
            line[1] = shas[static_cast<std::size_t>(id)];
            reply = link.command(line);
        }
        return reply;
    }

    result<std::vector<std::string>> list(std::string_view field_name) {
        auto reply = eval(script_id::list, {std::string(field_name)});
        if (!reply) {
            return std::move(reply).err();
        }
        if (reply.value()->type != REDIS_REPLY_ARRAY) {
            return unexpected("list");
        }
        auto values = strings_of(**reply);
        std::sort(values.begin(), values.end());
        return values;
    }
};

connection::connection(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
connection::connection(connection&&) noexcept = default;
connection& connection::operator=(connection&&) noexcept = default;
connection::~connection() = default;

result<connection> connection::open(const options& opts) {
    auto link = detail::redis_link::open(opts);
    if (!link) {
        return std::move(link).err();
    }
    auto state = std::make_unique<impl>(opts, std::move(link).value());
    if (auto loaded = state->load_scripts(); !loaded) {
        return loaded.err();
    }
    return connection(std::move(state));
}

bool connection::broken() const noexcept {
    return impl_->link.broken();
}
const options& connection::settings() const noexcept {
    return impl_->opts;
}

result<std::vector<instance>> connection::find(const query& q) {
    if (auto pruned = prune(); !pruned) {
        return std::move(pruned).err();
    }
    auto ids = impl_->eval(script_id::candidates, index_names(q));
    if (!ids) {
        return std::move(ids).err();
    }
    if (ids.value()->type != REDIS_REPLY_ARRAY) {
        return unexpected("candidates");
    }
    auto records = get(strings_of(**ids));
    if (!records) {
        return std::move(records).err();
    }
    std::vector<instance> found;
    for (auto& record : *records) {
        if (record && q.matches(*record)) {
            found.push_back(std::move(*record));
        }
    }
    return found;
}

result<std::optional<instance>> connection::get(std::string_view id) {
    auto key = impl_->opts.prefix + "instance:" + std::string(id);
    auto reply = impl_->link.command({"HGETALL", std::move(key)});
    if (!reply) {
        return std::move(reply).err();
    }
    if (reply.value()->type != REDIS_REPLY_ARRAY || reply.value()->elements == 0) {
        return std::optional<instance>{};
    }
    std::vector<field_view> fields;
    for (std::size_t i = 0; i + 1 < reply.value()->elements; i += 2) {
        fields.emplace_back(detail::text_of(*reply.value()->element[i]),
                            detail::text_of(*reply.value()->element[i + 1]));
    }
    auto record = decode_instance(fields);
    if (!record) {
        return std::move(record).err();
    }
    return std::optional<instance>(std::move(record).value());
}

result<std::vector<std::optional<instance>>> connection::get(std::span<const std::string> ids) {
    std::vector<std::optional<instance>> out;
    out.reserve(ids.size());
    std::vector<command_line> batch;
    for (std::size_t start = 0; start < ids.size(); start += read_batch) {
        batch.clear();
        auto end = std::min(ids.size(), start + read_batch);
        for (auto i = start; i < end; ++i) {
            batch.push_back({"HGETALL", impl_->opts.prefix + "instance:" + ids[i]});
        }
        auto replies = impl_->link.pipeline(batch);
        if (!replies) {
            return std::move(replies).err();
        }
        for (const auto& reply : *replies) {
            out.push_back(decode_reply(*reply, impl_->bad_records));
        }
    }
    return out;
}

result<std::vector<std::string>> connection::services() {
    return impl_->list("service");
}
result<std::vector<std::string>> connection::hosts() {
    return impl_->list("host");
}
result<std::vector<std::string>> connection::regions() {
    return impl_->list("region");
}

result<std::vector<std::string>> connection::versions(std::string_view service) {
    auto releases = impl_->list("release");
    if (!releases) {
        return releases;
    }
    // Service names hold no '@' (docs/design.md: "name@version"), so the prefix is exact.
    std::string head = std::string(service) + "@";
    std::vector<std::string> out;
    for (const auto& release : *releases) {
        if (release.starts_with(head)) {
            out.push_back(release.substr(head.size()));
        }
    }
    return out;
}

result<put_outcome> connection::put(const instance& record, std::chrono::milliseconds lease) {
    command_line args{record.id, std::to_string(lease.count())};
    for (auto& [name, value] : encode_instance(record)) {
        args.push_back(std::move(name));
        args.push_back(std::move(value));
    }
    auto reply = impl_->eval(script_id::put, args);
    if (!reply) {
        return std::move(reply).err();
    }
    auto text = detail::text_of(**reply);
    if (text == "added") {
        return put_outcome::added;
    }
    if (text == "updated") {
        return put_outcome::updated;
    }
    if (text == "refreshed") {
        return put_outcome::refreshed;
    }
    return unexpected("put");
}

result<bool> connection::remove(std::string_view id, std::int64_t pid) {
    command_line args{std::string(id)};
    if (pid != 0) {
        args.push_back(std::to_string(pid));
    }
    auto reply = impl_->eval(script_id::remove, args);
    if (!reply) {
        return std::move(reply).err();
    }
    if (reply.value()->type != REDIS_REPLY_INTEGER) {
        return unexpected("remove");
    }
    return reply.value()->integer == 1;
}

result<prune_outcome> connection::prune() {
    auto reply = impl_->eval(script_id::prune, {std::to_string(prune_limit)});
    if (!reply) {
        return std::move(reply).err();
    }
    const auto& r = **reply;
    if (r.type != REDIS_REPLY_ARRAY || r.elements != 2 ||
        r.element[0]->type != REDIS_REPLY_INTEGER || r.element[1]->type != REDIS_REPLY_ARRAY) {
        return unexpected("prune");
    }
    prune_outcome outcome;
    outcome.removed = strings_of(*r.element[1]);
    if (r.element[0]->integer >= 0) {
        outcome.next_expiry = std::chrono::milliseconds(r.element[0]->integer);
    }
    return outcome;
}

}  // namespace skynet::registry
