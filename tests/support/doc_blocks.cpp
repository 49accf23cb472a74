#include "doc_blocks.hpp"

#include <fstream>
#include <sstream>

namespace skynet::testing {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::map<std::string, std::string> shown_files(const std::string& markdown) {
    std::map<std::string, std::string> shown;
    const std::string marker = "<!-- file: ";
    for (auto at = markdown.find(marker); at != std::string::npos;
         at = markdown.find(marker, at + 1)) {
        const auto path_end = markdown.find(" -->", at);
        const auto open = markdown.find("```", path_end);
        const auto body = markdown.find('\n', open);
        const auto close = markdown.find("\n```\n", body);
        if (path_end == std::string::npos || close == std::string::npos) {
            break;
        }
        const auto path = markdown.substr(at + marker.size(), path_end - at - marker.size());
        shown[path] = markdown.substr(body + 1, close - body);
    }
    return shown;
}

}  // namespace skynet::testing
