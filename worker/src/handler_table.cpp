#include "handler_table.hpp"

#include <algorithm>

#include "shared_state.hpp"
#include "skynet/bus/envelope.hpp"

namespace skynet::worker_detail {

void handler_table::add(std::string method, handler_entry entry) {
    methods_.insert_or_assign(std::move(method), std::move(entry));
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

void run(const handler_entry& entry, const request& req, bus::frames& out) {
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
    auto result = entry.sync(req).to_frame();  // first: it may throw
    append_reply(out, req.request_id(), bus::errc::ok, {}, std::move(result));
}

}  // namespace

void execute(const handler_entry& entry, const request& req, bus::errc& code, bus::frames& out) {
    const auto mark = out.size();
    code = bus::errc::ok;
    std::string message;
    try {
        run(entry, req, out);
        return;
    } catch (const service_failure& e) {
        code = e.code() == bus::errc::ok ? bus::errc::service_error : e.code();
        message = e.what();
    } catch (const std::exception& e) {
        code = bus::errc::service_error;
        message = e.what();
    } catch (...) {
        code = bus::errc::service_error;
        message = "handler threw a non-standard exception";
    }
    out.resize(mark);  // nothing of a failed handler's reply stays
    append_reply(out, req.request_id(), code, message, bus::rpc::empty_document_frame());
}

}  // namespace skynet::worker_detail
