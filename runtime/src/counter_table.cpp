#include "skynet/runtime/counter_table.hpp"

#include <charconv>

namespace skynet::runtime {

namespace {

// Prometheus: in HELP text, a backslash and a line feed are escaped.
void append_help(std::string& out, std::string_view help) {
    for (char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

void append_name(std::string& out, std::string_view prefix, std::string_view name,
                 counter_kind kind) {
    out.append(prefix).append("_").append(name);
    if (kind == counter_kind::counter) {
        out += "_total";
    }
}

}  // namespace

void write_prometheus(std::string& out, std::string_view prefix, std::string_view name,
                      counter_kind kind, std::string_view help, std::uint64_t value) {
    out += "# HELP ";
    append_name(out, prefix, name, kind);
    out += ' ';
    append_help(out, help);
    out += "\n# TYPE ";
    append_name(out, prefix, name, kind);
    out += kind == counter_kind::counter ? " counter\n" : " gauge\n";
    append_name(out, prefix, name, kind);
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out += ' ';
    out.append(digits, end);
    out += '\n';
}

}  // namespace skynet::runtime
