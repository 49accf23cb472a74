// pressure_watch.hpp: the pass over the running processes and what it does.
#include "pressure_watch.hpp"

namespace skynet::daemon {

void pressure_watch::check(supervisor& processes, const host_figures& host, time_point now,
                           instance_steering& steering, const note_fn& note) {
    std::map<std::string, watched, std::less<>> still;
    for (const auto& row : processes.list()) {
        const auto spec = processes.spec(row.id);
        if (row.state != process_state::running || row.pid <= 0 || !spec || !spec->pressure.any()) {
            continue;
        }
        auto at = watched_.find(row.id);
        if (at == watched_.end() || at->second.pid != row.pid) {
            // A new run starts in rotation, with fresh timers.
            at = watched_
                     .insert_or_assign(row.id, watched{row.pid, process_figures_reader(row.pid),
                                                       pressure(spec->pressure)})
                     .first;
        }
        auto figures = at->second.figures.read(now);
        if (!figures) {
            continue;  // it ended meanwhile: the supervisor will see it
        }
        const pressure_sample sample{.cpu_percent = figures->cpu_percent,
                                     .rss_bytes = figures->sample.rss_bytes,
                                     .load_per_cpu = host.load_per_cpu()};
        act(processes, row.id, at->second, at->second.limits.feed(sample, now), steering, note);
        still.insert(watched_.extract(at));
    }
    watched_ = std::move(still);  // processes no longer running are forgotten
}

void pressure_watch::act(supervisor& processes, const std::string& id, watched& w,
                         const pressure_decision& decision, instance_steering& steering,
                         const note_fn& note) {
    switch (decision.action) {
        case pressure_action::take_out:
            note(id, "out-of-rotation", decision.reason);
            steering.tell(id, registry::command::unregister);
            break;
        case pressure_action::put_back:
            note(id, "in-rotation", "below its limits again");
            steering.tell(id, registry::command::register_);
            break;
        case pressure_action::restart:
            note(id, "restarting", decision.reason);
            (void)processes.restart(id);
            w.limits.reset();
            break;
        case pressure_action::none:
            break;
    }
}

std::string pressure_watch::reason(const std::string& id) const {
    const auto at = watched_.find(id);
    return at == watched_.end() ? std::string() : at->second.limits.reason();
}

}  // namespace skynet::daemon
