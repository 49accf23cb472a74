// GET /, /app.js, /app.css (the page), /api/topology, /api/instances and
// /api/services: JSON read from the model, never from Redis on a request.
#include <set>

#include "server_context.hpp"
#include "skynet/web/assets.hpp"

namespace skynet::web {

namespace {

std::optional<bool> yes_no(const std::string& text) {
    if (text == "yes" || text == "true" || text == "1") {
        return true;
    }
    if (text == "no" || text == "false" || text == "0") {
        return false;
    }
    return std::nullopt;
}

// sky's filters from the query string; an empty value is no filter. The
// problem, if any, for a 400.
std::optional<std::string> read_filters(const httplib::Request& req, sky::filters& f) {
    static const std::set<std::string> known{"service", "version", "host",
                                             "region",  "kind",    "registered"};
    for (const auto& [name, value] : req.params) {
        if (!known.contains(name)) {
            return "unknown parameter '" + name + "'";
        }
        if (value.empty()) {
            continue;
        }
        if (name == "kind") {
            f.kind = registry::kind_from_string(value);
            if (!f.kind) {
                return "kind must be broker, worker or daemon, not '" + value + "'";
            }
        } else if (name == "registered") {
            f.registered = yes_no(value);
            if (!f.registered) {
                return "registered must be yes or no, not '" + value + "'";
            }
        } else {
            (name == "service"   ? f.service
             : name == "version" ? f.version
             : name == "host"    ? f.host
                                 : f.region) = value;
        }
    }
    return std::nullopt;
}

void serve_asset(const httplib::Request& req, httplib::Response& res) {
    const auto* found = find_asset(req.path);
    if (found == nullptr) {
        send_error(res, 404, "no such page: " + req.path);
        return;
    }
    res.set_content(std::string(found->body), std::string(found->content_type).c_str());
}

}  // namespace

void add_api_routes(httplib::Server& server, server_context& context) {
    server.Get("/", serve_asset);
    server.Get("/index.html", serve_asset);
    server.Get("/app.js", serve_asset);
    server.Get("/app.css", serve_asset);
    server.Get("/api/topology", [&context](const httplib::Request&, httplib::Response& res) {
        send_json(res, context.model.topology_json());
    });
    server.Get("/api/instances", [&context](const httplib::Request& req, httplib::Response& res) {
        sky::filters f;
        if (auto problem = read_filters(req, f)) {
            send_error(res, 400, *problem);
            return;
        }
        send_json(res, context.model.instances_json(f));
    });
    server.Get("/api/services", [&context](const httplib::Request&, httplib::Response& res) {
        send_json(res, context.model.services_json());
    });
}

}  // namespace skynet::web
