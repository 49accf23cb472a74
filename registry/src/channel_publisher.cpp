#include "skynet/registry/channel_publisher.hpp"

#include <optional>

#include "redis_link.hpp"

namespace skynet::registry {

struct channel_publisher::impl {
    options opts;
    std::string channel;
    std::optional<detail::redis_link> link;
};

channel_publisher::channel_publisher(options opts, std::string name)
    : impl_(std::make_unique<impl>()) {
    impl_->channel = opts.prefix + name;
    impl_->opts = std::move(opts);
}

channel_publisher::~channel_publisher() = default;
channel_publisher::channel_publisher(channel_publisher&&) noexcept = default;
channel_publisher& channel_publisher::operator=(channel_publisher&&) noexcept = default;

bus::result<long long> channel_publisher::publish(std::string_view message) {
    if (!impl_->link || impl_->link->broken()) {
        impl_->link.reset();
        auto opened = detail::redis_link::open(impl_->opts);
        if (!opened) {
            return std::move(opened).err();
        }
        impl_->link.emplace(std::move(opened).value());
    }
    auto reply = impl_->link->command({"PUBLISH", impl_->channel, std::string(message)});
    if (!reply) {
        return std::move(reply).err();
    }
    return (*reply)->type == REDIS_REPLY_INTEGER ? (*reply)->integer : 0;
}

const std::string& channel_publisher::channel() const noexcept {
    return impl_->channel;
}

}  // namespace skynet::registry
