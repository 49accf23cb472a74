#include "line_editor.hpp"

#include <histedit.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace skynet::sky {

namespace {

constexpr int history_size = 1000;

// The word being completed: after the last blank, and after '=' in --opt=.
std::string partial_word(const std::string& line) {
    auto start = line.find_last_of(" \t");
    std::string word = start == std::string::npos ? line : line.substr(start + 1);
    if (word.starts_with("-")) {
        if (auto eq = word.find('='); eq != std::string::npos) {
            return word.substr(eq + 1);
        }
    }
    return word;
}

std::string common_prefix(const std::vector<std::string>& names) {
    std::string prefix = names.front();
    for (const auto& name : names) {
        auto mismatch = std::mismatch(prefix.begin(), prefix.end(), name.begin(), name.end());
        prefix.erase(mismatch.first, prefix.end());
    }
    return prefix;
}

}  // namespace

line_editor::line_editor(std::string history_path)
    : path_(std::move(history_path)), terminal_(::isatty(STDIN_FILENO) != 0) {
    HistEvent event;
    history_ = history_init();
    ::history(history_, &event, H_SETSIZE, history_size);
    ::history(history_, &event, H_SETUNIQUE, 1);
    ::history(history_, &event, H_LOAD, path_.c_str());  // none yet is fine
    if (!terminal_) {
        return;
    }
    // Ctrl-C at the prompt must not end the shell (`exit` or Ctrl-D do).
    ::signal(SIGINT, SIG_IGN);
    el_ = el_init("sky", stdin, stdout, stderr);
    el_set(el_, EL_CLIENTDATA, this);
    el_set(el_, EL_EDITOR, "emacs");
    el_set(el_, EL_PROMPT, &line_editor::prompt_of);
    el_set(el_, EL_HIST, ::history, history_);
    el_set(el_, EL_ADDFN, "sky-complete", "complete a command or name", &line_editor::on_tab);
    el_set(el_, EL_BIND, "^I", "sky-complete", nullptr);
    el_source(el_, nullptr);  // ~/.editrc, as every libedit program reads it
}

line_editor::~line_editor() {
    if (el_ != nullptr) {
        el_end(el_);
    }
    history_end(history_);
}

std::optional<std::string> line_editor::read(const std::string& prompt, bool remember_it) {
    std::string line;
    if (terminal_) {
        prompt_ = prompt;
        int count = 0;
        const char* raw = el_gets(el_, &count);
        if (raw == nullptr || count <= 0) {
            std::cout << std::endl;
            return std::nullopt;
        }
        line.assign(raw, static_cast<std::size_t>(count));
    } else if (!std::getline(std::cin, line)) {
        return std::nullopt;
    }
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
    }
    if (remember_it) {
        remember(line);
    }
    return line;
}

void line_editor::remember(const std::string& line) {
    if (line.find_first_not_of(" \t") == std::string::npos) {
        return;
    }
    HistEvent event;
    ::history(history_, &event, H_ENTER, line.c_str());
    // At once, so that a shell that is killed keeps what was typed.
    ::history(history_, &event, H_SAVE, path_.c_str());
}

char* line_editor::prompt_of(editline* el) {
    void* self = nullptr;
    el_get(el, EL_CLIENTDATA, &self);
    return static_cast<line_editor*>(self)->prompt_.data();
}

unsigned char line_editor::on_tab(editline* el, int) {
    void* self = nullptr;
    el_get(el, EL_CLIENTDATA, &self);
    return static_cast<line_editor*>(self)->complete();
}

// One candidate: completed, then a space. Several: their common part, or
// the list of them when there is no more in common.
unsigned char line_editor::complete() {
    const LineInfo* info = el_line(el_);
    std::string before(info->buffer, static_cast<std::size_t>(info->cursor - info->buffer));
    auto names = completer ? completer(before) : std::vector<std::string>{};
    if (names.empty()) {
        return CC_ERROR;
    }
    auto partial = partial_word(before);
    auto common = common_prefix(names);
    if (names.size() == 1) {
        el_insertstr(el_, (common.substr(std::min(partial.size(), common.size())) + " ").c_str());
        return CC_REFRESH;
    }
    if (common.size() > partial.size()) {
        el_insertstr(el_, common.substr(partial.size()).c_str());
        return CC_REFRESH;
    }
    std::string list = "\n";
    for (const auto& name : names) {
        list += name + "  ";
    }
    std::fputs((list + "\n").c_str(), stdout);
    return CC_REDISPLAY;
}

}  // namespace skynet::sky
