#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>

namespace skynet::bench {

namespace {

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string duration_text(double ns) {
    if (ns < 1e3) {
        return format("%.0fns", ns);
    }
    if (ns < 1e6) {
        return format("%.1fus", ns / 1e3);
    }
    if (ns < 1e9) {
        return format("%.2fms", ns / 1e6);
    }
    return format("%.2fs", ns / 1e9);
}

double ns_at(const run_result& r, double percent) {
    return static_cast<double>(r.latency.percentile(percent).count());
}

std::string ratio(double ours, double reference) {
    return reference > 0 && ours > 0 ? format("%.2f", ours / reference) : "-";
}

std::string outcome_text(const run_result& r) {
    std::string text;
    for (std::size_t code = 0; code < r.outcomes.size(); ++code) {
        if (r.outcomes[code] != 0) {
            if (!text.empty()) {
                text.push_back(' ');
            }
            text.append(bus::to_string(static_cast<bus::errc>(code)));
            text.push_back('=');
            text.append(std::to_string(r.outcomes[code]));
        }
    }
    if (r.unanswered != 0) {
        text.append(" UNANSWERED=").append(std::to_string(r.unanswered));
    }
    return text;
}

void print_run(std::ostream& out, const std::string& name, const run_result& r,
               const run_result* reference) {
    char line[256];
    const auto cpu = r.cpu_per_request();
    const auto all_cpu = r.process_cpu_per_request();
    const auto ref_cpu = reference ? reference->cpu_per_request() : std::nullopt;
    std::snprintf(line, sizeof line, "%-15s %-40s %10.0f %9s %9s %9s %9s %9s %6s %6s %6s %6s",
                  name.c_str(), r.label.c_str(), r.rate(), duration_text(ns_at(r, 50)).c_str(),
                  duration_text(ns_at(r, 99)).c_str(), duration_text(ns_at(r, 99.9)).c_str(),
                  cpu ? duration_text(*cpu).c_str() : "-",
                  all_cpu ? duration_text(*all_cpu).c_str() : "-",
                  reference ? ratio(r.rate(), reference->rate()).c_str() : "-",
                  reference ? ratio(ns_at(r, 50), ns_at(*reference, 50)).c_str() : "-",
                  reference ? ratio(ns_at(r, 99), ns_at(*reference, 99)).c_str() : "-",
                  cpu && ref_cpu ? ratio(*cpu, *ref_cpu).c_str() : "-");
    out << line << "\n";
    const auto outcomes = outcome_text(r);
    bool only_ok = r.unanswered == 0;
    for (std::size_t code = 1; code < r.outcomes.size(); ++code) {
        only_ok = only_ok && r.outcomes[code] == 0;
    }
    if (!only_ok) {
        out << std::string(16, ' ') << "outcomes: " << outcomes << "\n";
    }
    if (!r.note.empty()) {
        out << std::string(16, ' ') << r.note << "\n";
    }
}

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    }
    return out;
}

void json_run(std::ostream& out, const run_result& r) {
    out << "{\"label\":\"" << escaped(r.label) << "\",\"requests_per_second\":" << r.rate()
        << ",\"completed\":" << r.completed << ",\"seconds\":" << r.seconds
        << ",\"p50_ns\":" << ns_at(r, 50) << ",\"p99_ns\":" << ns_at(r, 99)
        << ",\"p999_ns\":" << ns_at(r, 99.9) << ",\"broker_cpu_ns_per_request\":";
    if (auto cpu = r.cpu_per_request()) {
        out << *cpu;
    } else {
        out << "null";
    }
    out << ",\"process_cpu_ns_per_request\":";
    if (auto cpu = r.process_cpu_per_request()) {
        out << *cpu;
    } else {
        out << "null";
    }
    out << ",\"outcomes\":{";
    for (std::size_t code = 0; code < r.outcomes.size(); ++code) {
        out << (code ? "," : "") << "\"" << bus::to_string(static_cast<bus::errc>(code))
            << "\":" << r.outcomes[code];
    }
    out << "},\"unanswered\":" << r.unanswered << ",\"note\":\"" << escaped(r.note) << "\"}";
}

}  // namespace

void print_table_header(std::ostream& out) {
    char line[256];
    std::snprintf(line, sizeof line, "%-15s %-40s %10s %9s %9s %9s %9s %9s %6s %6s %6s %6s",
                  "scenario", "run", "req/s", "p50", "p99", "p99.9", "cpu/req", "all/req", "xrate",
                  "xp50", "xp99", "xcpu");
    out << line << "\n" << std::string(156, '-') << "\n";
}

void print_scenario(std::ostream& out, const scenario_result& s) {
    if (!s.skipped.empty()) {
        out << s.name << ": skipped: " << s.skipped << "\n";
        return;
    }
    const run_result* reference = s.reference >= 0 ? &s.runs[s.reference] : nullptr;
    for (std::size_t i = 0; i < s.runs.size(); ++i) {
        print_run(out, i == 0 ? s.name : "", s.runs[i], reference);
    }
    out << std::string(16, ' ') << s.description;
    if (!s.note.empty()) {
        out << "; " << s.note;
    }
    out << "\n";
    out.flush();
}

void print_memory(std::ostream& out, const std::vector<memory_figure>& figures) {
    out << "\nmemory (skynet-broker as a child process, RSS from /proc/<pid>/status)\n";
    for (const auto& f : figures) {
        char line[256];
        if (f.value) {
            std::snprintf(line, sizeof line, "  %-50s %12.1f %-4s %s", f.name.c_str(), *f.value,
                          f.unit.c_str(), f.note.c_str());
        } else {
            std::snprintf(line, sizeof line, "  %-50s skipped: %s", f.name.c_str(),
                          f.skipped.c_str());
        }
        out << line << "\n";
    }
}

void print_summary(std::ostream& out, const report& r) {
    out << "\nsummary\n";
    for (const auto& s : r.scenarios) {
        if (!s.skipped.empty() || s.measured < 0) {
            out << s.name << ": skipped: " << (s.skipped.empty() ? "no run" : s.skipped) << "\n";
            continue;
        }
        const auto& ours = s.runs[s.measured];
        out << s.name << ": " << ours.label << " " << format("%.0f", ours.rate()) << " req/s";
        if (s.reference >= 0 && s.reference != s.measured) {
            const auto& ref = s.runs[s.reference];
            out << " = " << ratio(ours.rate(), ref.rate()) << " x " << ref.label << " ("
                << format("%.0f", ref.rate()) << ")";
        }
        for (std::size_t i = 0; i < s.runs.size(); ++i) {
            const auto index = static_cast<int>(i);
            if (index != s.reference && index != s.measured && s.runs[i].rate() > 0) {
                out << "; " << ratio(ours.rate(), s.runs[i].rate()) << " x " << s.runs[i].label;
            }
        }
        if (s.ratios.size() > 1) {
            const auto [low, high] = std::minmax_element(s.ratios.begin(), s.ratios.end());
            out << " (median of " << s.ratios.size() << " runs; " << format("%.2f", *low) << "-"
                << format("%.2f", *high) << ")";
        }
        out << "; p50 " << duration_text(ns_at(ours, 50)) << " p99 "
            << duration_text(ns_at(ours, 99));
        if (auto cpu = ours.cpu_per_request()) {
            out << "; broker " << duration_text(*cpu) << " CPU/req";
        }
        out << "\n";
    }
    for (const auto& note : r.notes) {
        out << note << "\n";
    }
}

void print_json(std::ostream& out, const report& r) {
    out << "{\"scenarios\":[";
    for (std::size_t i = 0; i < r.scenarios.size(); ++i) {
        const auto& s = r.scenarios[i];
        out << (i ? "," : "") << "{\"name\":\"" << escaped(s.name) << "\",\"description\":\""
            << escaped(s.description) << "\",\"skipped\":\"" << escaped(s.skipped)
            << "\",\"reference\":" << s.reference << ",\"measured\":" << s.measured
            << ",\"note\":\"" << escaped(s.note) << "\",\"ratios\":[";
        for (std::size_t k = 0; k < s.ratios.size(); ++k) {
            out << (k ? "," : "") << s.ratios[k];
        }
        out << "],\"runs\":[";
        for (std::size_t k = 0; k < s.runs.size(); ++k) {
            out << (k ? "," : "");
            json_run(out, s.runs[k]);
        }
        out << "]}";
    }
    out << "],\"memory\":[";
    for (std::size_t i = 0; i < r.memory.size(); ++i) {
        const auto& f = r.memory[i];
        out << (i ? "," : "") << "{\"name\":\"" << escaped(f.name) << "\",\"value\":";
        if (f.value) {
            out << *f.value;
        } else {
            out << "null";
        }
        out << ",\"unit\":\"" << f.unit << "\",\"skipped\":\"" << escaped(f.skipped)
            << "\",\"note\":\"" << escaped(f.note) << "\"}";
    }
    out << "],\"notes\":[";
    for (std::size_t i = 0; i < r.notes.size(); ++i) {
        out << (i ? "," : "") << "\"" << escaped(r.notes[i]) << "\"";
    }
    out << "]}\n";
}

}  // namespace skynet::bench
