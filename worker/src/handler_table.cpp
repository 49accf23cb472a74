#include "handler_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "shared_state.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::worker_detail {

void handler_table::add(std::string method, handler_entry entry) {
    if (method.empty()) {
        throw std::invalid_argument("worker: handle(): the method name is empty");
    }
    if (methods_.contains(method)) {
        throw std::invalid_argument("worker: handle(): method \"" + method +
                                    "\" has a handler already");
    }
    methods_.emplace(std::move(method), std::move(entry));
}

void handler_table::set_raw(handler_entry entry) {
    if (raw() != nullptr) {
        throw std::invalid_argument("worker: handle_raw(): there is a raw handler already");
    }
    raw_ = std::move(entry);
}

const handler_entry* handler_table::find(std::string_view method) const noexcept {
    auto it = methods_.find(method);
    return it == methods_.end() ? nullptr : &it->second;
}

std::vector<std::string> handler_table::methods() const {
    std::vector<std::string> names;
    for (const auto& [name, entry] : methods_) {
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

namespace {

void run(const handler_entry& entry, const request& req, bus::errc& code, bus::frames& out) {
    if (entry.type == handler_entry::kind::raw) {
        auto body = entry.raw(req.frames());
        if (body.empty()) {
            body.emplace_back();  // 7/MDP: a reply has one body frame at least
        }
        for (auto& frame : body) {
            out.push_back(std::move(frame));
        }
        return;
    }
    auto outcome = entry.sync(req);
    if (!outcome) {
        code = outcome.code() == bus::errc::ok ? bus::errc::service_error : outcome.code();
        append_reply(out, req.request_id(), code, outcome.err().detail,
                     bus::rpc::empty_document_frame());
        return;
    }
    append_reply(out, req.request_id(), bus::errc::ok, {}, std::move(*outcome).to_frame());
}

}  // namespace

void execute(shared_state& state, const handler_entry& entry, const request& req, bus::errc& code,
             bus::frames& out) {
    const auto mark = out.size();
    code = bus::errc::ok;
    std::string message;
    try {
        run(entry, req, code, out);
        return;
    } catch (const service_failure& e) {
        // The handler's way of answering a code: not a fault to warn about.
        code = e.code() == bus::errc::ok ? bus::errc::service_error : e.code();
        message = e.what();
    } catch (const std::exception& e) {
        code = bus::errc::service_error;
        message = e.what();
        state.log.handler_threw(req.method(), message);
    } catch (...) {
        code = bus::errc::service_error;
        message = "handler threw a non-standard exception";
        state.log.handler_threw(req.method(), message);
    }
    out.resize(mark);  // nothing of a failed handler's reply stays
    append_reply(out, req.request_id(), code, message, bus::rpc::empty_document_frame());
}

void start_async(const std::shared_ptr<shared_state>& state, const handler_entry& entry,
                 reply_route&& route, request&& req) {
    run_hook(state->hooks.method_called, "method_called", req);
    const std::string method(req.method());  // the request goes with the responder
    try {
        entry.async(responder(state, std::move(route), std::move(req)));
    } catch (const std::exception& e) {
        // The responder died with the handler's frame, and has answered.
        state->log.handler_threw(method, e.what());
    } catch (...) {
        state->log.handler_threw(method, "a non-standard exception");
    }
}

}  // namespace skynet::worker_detail
