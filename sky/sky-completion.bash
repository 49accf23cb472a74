# bash completion for sky: commands, options and the live names of the
# registry (services, versions, hosts, regions, methods). sky itself works
# out what the word under the cursor can be (`sky complete LINE`), so this
# script and the shell's TAB agree.
#   source build/bin/sky-completion.bash
# Uses --redis from the line being completed, else SKYNET_REDIS.

_sky() {
    local line="${COMP_LINE:0:COMP_POINT}"
    local cur="${COMP_WORDS[COMP_CWORD]}"
    # bash splits words at ':' and '='; those pieces are not sky's words.
    [[ $cur == ":" || $cur == "=" ]] && cur=""
    local redis=()
    if [[ $line =~ --redis[=\ ]+([^ ]+) ]]; then
        redis=(--redis "${BASH_REMATCH[1]}")
    fi
    local IFS=$'\n'
    local names
    names=$("${COMP_WORDS[0]}" "${redis[@]}" complete "$line" 2>/dev/null) || return 0
    COMPREPLY=($(compgen -W "$names" -- "$cur"))
}
complete -F _sky sky
