// STAND-IN for the page helper's generated asset lookup (web/assets/):
// a minimal page until theirs is merged. web/CMakeLists.txt compiles it only
// while web/include/skynet/web/assets.hpp does not exist; delete it then.
#include "skynet/web/assets.hpp"

namespace skynet::web {

namespace {

constexpr std::string_view page = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>Skynet dashboard</title>
<link rel="stylesheet" href="/app.css"></head>
<body><h1>Skynet dashboard</h1><p id="status">connecting...</p><pre id="log"></pre>
<script src="/app.js"></script></body></html>
)";

constexpr std::string_view script = R"(const status = document.getElementById('status');
const log = document.getElementById('log');
const events = new EventSource('/api/events');
events.addEventListener('snapshot', (e) => {
  const s = JSON.parse(e.data);
  status.textContent = 'redis ' + s.redis + ', ' + s.instances.length + ' instances';
});
events.addEventListener('log', (e) => {
  const entry = JSON.parse(e.data);
  log.textContent = entry.kind + ' ' + entry.text + '\n' + log.textContent;
});
events.addEventListener('status', (e) => { status.textContent = 'redis ' + JSON.parse(e.data).redis; });
events.onerror = () => { status.textContent = 'disconnected'; };
)";

constexpr std::string_view style = "body { font-family: sans-serif; margin: 2em; }\n";

const asset assets[] = {
    {"text/html; charset=utf-8", page},
    {"text/javascript; charset=utf-8", script},
    {"text/css; charset=utf-8", style},
};

}  // namespace

const asset* find_asset(std::string_view path) {
    if (path == "/" || path == "/index.html") {
        return &assets[0];
    }
    if (path == "/app.js") {
        return &assets[1];
    }
    return path == "/app.css" ? &assets[2] : nullptr;
}

}  // namespace skynet::web
