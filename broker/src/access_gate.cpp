#include "access_gate.hpp"

#include "skynet/bus/mmi.hpp"

namespace skynet::broker_detail {

access_gate::access_gate(std::shared_ptr<const broker_access> access, counters& stats)
    : access_(std::move(access)), stats_(stats), log_(runtime::logger_for("broker")) {}

void access_gate::replace(std::shared_ptr<const broker_access> access) {
    access_ = std::move(access);
    ++generation_;
    log_->info("access control replaced enforcing={} rules={} keys={}", enforcing(),
               access_ && access_->rules ? access_->rules->size() : 0,
               access_ && access_->check_keys ? access_->keys.size() : 0);
}

std::string_view access_gate::key_of(const bus::frames& message) noexcept {
    // ZeroMQ gives every frame read from a connection that connection's
    // metadata; the ROUTER's identity frame is made locally, so the first
    // frame the peer sent is read too.
    for (std::size_t i = 0; i < message.size() && i < 2; ++i) {
        auto& frame = const_cast<zmq::message_t&>(message[i]);  // zmq_msg_gets takes non-const
        if (const char* user = zmq_msg_gets(frame.handle(), "User-Id")) {
            return user;
        }
    }
    return {};
}

bool access_gate::known(std::string_view key) const noexcept {
    return !key.empty() && (!access_->check_keys || access_->keys.contains(key));
}

bool access_gate::may_call(std::string_view key, std::string_view service) const noexcept {
    if (!access_) {
        return true;
    }
    if (!known(key)) {
        return false;
    }
    // The bus's own services (mmi.*) are every allowed key's: clients ping
    // and probe with them, workers ask for credit before READY.
    return !access_->rules || bus::mmi::is_internal(service) ||
           access_->rules->may_call(key, service);
}

bool access_gate::may_offer(std::string_view key, std::string_view service) const noexcept {
    if (!access_) {
        return true;
    }
    return known(key) && (!access_->rules || access_->rules->may_offer(key, service));
}

void access_gate::refused_call(std::string_view key, std::string_view service,
                               bus::time_point now) {
    stats_.unauthorized.add();
    if (call_log_.allow(now)) {
        log_->warn("refused request key={} service={} suppressed={}", key.empty() ? "(none)" : key,
                   service, call_log_.suppressed());
    }
}

void access_gate::refused_offer(std::string_view key, std::string_view service,
                                bus::time_point now) {
    stats_.offers_refused.add();
    stats_.disconnects.add();
    if (offer_log_.allow(now)) {
        log_->warn("refused worker key={} service={} suppressed={}", key.empty() ? "(none)" : key,
                   service, offer_log_.suppressed());
    }
}

}  // namespace skynet::broker_detail
