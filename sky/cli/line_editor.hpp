#pragma once
// Line input for the shell through libedit's own API (histedit.h): emacs
// keys, history kept in a file, and a completer called on TAB. Without a
// terminal on stdin it reads plain lines and shows no prompt, for scripts.

#include <functional>
#include <optional>
#include <string>
#include <vector>

struct editline;
struct history;

namespace skynet::sky {

class line_editor {
public:
    // Loads the history file if there is one; it is written after each line.
    explicit line_editor(std::string history_path);
    ~line_editor();
    line_editor(const line_editor&) = delete;
    line_editor& operator=(const line_editor&) = delete;

    // Candidates for the word before the cursor, given the line up to it.
    std::function<std::vector<std::string>(const std::string& line)> completer;

    // One line without its newline; nothing at end of input. A line read
    // with `remember` goes to the history and its file.
    std::optional<std::string> read(const std::string& prompt, bool remember);

private:
    static char* prompt_of(struct editline* el);
    static unsigned char on_tab(struct editline* el, int key);
    unsigned char complete();
    void remember(const std::string& line);

    std::string path_;
    std::string prompt_;
    bool terminal_ = false;
    struct editline* el_ = nullptr;
    struct history* history_ = nullptr;
};

}  // namespace skynet::sky
