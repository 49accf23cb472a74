// request::client() and the calls made through it (request.hpp): the
// worker's one client, with the request's deadline and trace.
#include <stdexcept>

#include "shared_state.hpp"
#include "skynet/worker/request.hpp"

namespace skynet {

namespace {

// The worker's client, or the error a call gets instead.
bus::result<client*> nested(worker_detail::shared_state* worker) {
    if (worker == nullptr) {
        return bus::error{bus::errc::bad_request, "a raw request has no client"};
    }
    try {
        return &worker->nested.get();
    } catch (const std::exception& e) {
        return bus::error{bus::errc::unavailable, e.what()};
    }
}

void inherit(const request& req, call_options& options) {
    if (!options.parent) {
        options.parent = req.context();
    }
}

}  // namespace

client& request::client() const {
    if (worker_ == nullptr) {
        throw std::logic_error("worker: request::client(): a raw request has no client");
    }
    return worker_->nested.get();
}

call_options request::call_options() const {
    skynet::call_options options;
    options.parent = context();
    return options;
}

call_result request::call(std::string_view service, std::string_view method,
                          const bus::bson_view& params) const {
    return call(service, method, params, skynet::call_options{});
}

call_result request::call(std::string_view service, std::string_view method,
                          const bus::bson_view& params, skynet::call_options options) const {
    auto c = nested(worker_);
    if (!c) {
        return std::move(c).err();
    }
    inherit(*this, options);
    return (*c)->call(service, method, params, options);
}

void request::call_async(std::string_view service, std::string_view method,
                         const bus::bson_view& params, call_callback done) const {
    call_async(service, method, params, skynet::call_options{}, std::move(done));
}

void request::call_async(std::string_view service, std::string_view method,
                         const bus::bson_view& params, skynet::call_options options,
                         call_callback done) const {
    auto c = nested(worker_);
    if (!c) {
        done(std::move(c).err());
        return;
    }
    inherit(*this, options);
    (*c)->call_async(service, method, params, options, std::move(done));
}

}  // namespace skynet
