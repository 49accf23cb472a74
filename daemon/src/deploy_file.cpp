#include "skynet/daemon/deploy_file.hpp"

#include "json_lines.hpp"

namespace skynet::daemon {

bus::result<std::vector<process_spec>> read_deploy_file(const std::filesystem::path& path) {
    auto text = detail::read_text(path);
    if (!text) {
        return text.err();
    }
    auto top = detail::parse_with_line(path, *text);
    if (!top) {
        return top.err();
    }
    auto entries = detail::processes_array(path, *top);
    if (!entries) {
        return entries.err();
    }
    const auto lines = detail::element_lines(*text);
    std::vector<process_spec> specs;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        auto spec = process_spec_from_json((*entries)[i]);
        if (!spec) {
            const int line = i < lines.size() ? lines[i] : 1;
            return bus::error{bus::errc::bad_request, path.string() + ":" + std::to_string(line) +
                                                          ": process " + std::to_string(i + 1) +
                                                          ": " + spec.err().detail};
        }
        specs.push_back(std::move(*spec));
    }
    return specs;
}

}  // namespace skynet::daemon
