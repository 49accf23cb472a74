#pragma once
// Everything a first service or client needs, in one include: the worker,
// the client, serving until SIGTERM (run_service, serve), BSON documents and
// codec<T> for the program's own types.

#include "skynet/bus/bson.hpp"
#include "skynet/bus/codec.hpp"
#include "skynet/bus/errc.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/client/client.hpp"
#include "skynet/service/command_line.hpp"
#include "skynet/service/serve.hpp"
#include "skynet/worker/request.hpp"
#include "skynet/worker/worker.hpp"
