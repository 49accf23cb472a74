// The README's code fragments, compiled as they are shown: each .inc file is
// a block of README.md (readme_test.cpp keeps them the same), placed here in
// a function of its own. The types of the typed call are the tutorial's.
#include <chrono>
#include <iostream>
#include <skynet/skynet.hpp>

#include "../../examples/tutorial/greeting.hpp"

namespace readme {

void calling_one(){
#include "calling_one.inc"
}

skynet::result<greeting> typed_call(skynet::client& c) {
#include "typed_call.inc"
    return g;
}

}  // namespace readme
