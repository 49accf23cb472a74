#include "plain_broker.hpp"

#include <deque>
#include <map>
#include <set>
#include <vector>

#include "plain_mdp.hpp"

namespace skynet::testing {

namespace {

struct pending {
    std::string client;
    frame_list body;
};

struct service_state {
    std::deque<std::string> idle_workers;
    std::deque<pending> requests;
};

class state {
public:
    explicit state(zmq::socket_t& router) : router_(router) {}

    void on_message(const frame_list& m) {
        // identity "" protocol ...
        if (m.size() < 3 || !m[1].empty()) {
            return;
        }
        if (m[2] == "MDPC01" && m.size() >= 5) {
            on_client(m[0], m[3], frame_list(m.begin() + 4, m.end()));
        } else if (m[2] == "MDPW01" && m.size() >= 4) {
            on_worker(m, m[3]);
        }
    }

    void heartbeat() {
        for (const auto& [worker, service] : workers_) {
            send_strings(router_, {worker, "", "MDPW01", "\x04"});
        }
    }

    std::map<std::string, int> worker_counts() const {
        std::map<std::string, int> counts;
        for (const auto& [worker, service] : workers_) {
            ++counts[service];
        }
        return counts;
    }

    int requests = 0;

private:
    void on_client(const std::string& client, const std::string& service, frame_list body) {
        ++requests;
        if (service.rfind("mmi.", 0) == 0) {
            // As the reference: the code goes over the last body frame.
            std::string code = "501";
            if (service == "mmi.service") {
                code = has_workers(body.back()) ? "200" : "404";
            }
            frame_list reply{client, "", "MDPC01", service};
            reply.insert(reply.end(), body.begin(), body.end());
            reply.back() = code;
            send_strings(router_, reply);
            return;
        }
        services_[service].requests.push_back({client, std::move(body)});
        dispatch(service);
    }

    void on_worker(const frame_list& m, const std::string& command) {
        const auto& worker = m[0];
        if (command == "\x01" && m.size() == 5 && !workers_.count(worker)) {
            workers_[worker] = m[4];
            services_[m[4]].idle_workers.push_back(worker);
            dispatch(m[4]);
        } else if (command == "\x03" && m.size() >= 7 && workers_.count(worker)) {
            // REPLY: client address, "", body...
            frame_list reply{m[4], "", "MDPC01", workers_[worker]};
            reply.insert(reply.end(), m.begin() + 6, m.end());
            send_strings(router_, reply);
            services_[workers_[worker]].idle_workers.push_back(worker);
            dispatch(workers_[worker]);
        } else if (command == "\x05") {
            forget(worker);
        } else if (!workers_.count(worker) && command != "\x01") {
            send_strings(router_, {worker, "", "MDPW01", "\x05"});
        }
    }

    void dispatch(const std::string& service) {
        auto& s = services_[service];
        while (!s.idle_workers.empty() && !s.requests.empty()) {
            auto worker = s.idle_workers.front();
            s.idle_workers.pop_front();
            auto request = std::move(s.requests.front());
            s.requests.pop_front();
            frame_list out{worker, "", "MDPW01", "\x02", request.client, ""};
            out.insert(out.end(), request.body.begin(), request.body.end());
            send_strings(router_, out);
        }
    }

    bool has_workers(const std::string& service) const {
        for (const auto& [worker, name] : workers_) {
            if (name == service) {
                return true;
            }
        }
        return false;
    }

    void forget(const std::string& worker) {
        auto it = workers_.find(worker);
        if (it == workers_.end()) {
            return;
        }
        auto& idle = services_[it->second].idle_workers;
        std::erase(idle, worker);
        workers_.erase(it);
    }

    zmq::socket_t& router_;
    std::map<std::string, std::string> workers_;  // identity -> service
    std::map<std::string, service_state> services_;
};

}  // namespace

plain_broker::plain_broker(std::chrono::milliseconds heartbeat)
    : heartbeat_(heartbeat), router_(context_, zmq::socket_type::router) {
    router_.set(zmq::sockopt::linger, 0);
    router_.bind("tcp://127.0.0.1:*");
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this] { serve(); });
}

plain_broker::~plain_broker() {
    stop_ = true;
    thread_.join();
}

void plain_broker::serve() {
    state s(router_);
    auto next_heartbeat = std::chrono::steady_clock::now() + heartbeat_;
    while (!stop_) {
        if (auto m = receive_strings(router_, std::chrono::milliseconds(10))) {
            s.on_message(*m);
            requests_ = s.requests;
            std::lock_guard lock(mutex_);
            workers_ = s.worker_counts();
        }
        if (std::chrono::steady_clock::now() >= next_heartbeat) {
            s.heartbeat();
            next_heartbeat = std::chrono::steady_clock::now() + heartbeat_;
        }
    }
}

int plain_broker::workers(const std::string& service) const {
    std::lock_guard lock(mutex_);
    auto it = workers_.find(service);
    return it == workers_.end() ? 0 : it->second;
}

}  // namespace skynet::testing
