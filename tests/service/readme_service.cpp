#include <skynet/skynet.hpp>
#include <thread>

int main(int argc, char** argv) {
    return skynet::run_service(argc, argv, "greeter", [](skynet::worker& w) {
        w.handle("Hello", [](const skynet::request& req) {
            auto who = req.params().get_string("name").value_or("world");
            std::this_thread::sleep_for(std::chrono::seconds(1));  // thinking it over
            skynet::bson_doc result;
            result.add_string("greeting", "hello " + std::string(who));
            return result;  // a thrown exception becomes SERVICE_ERROR
        });
    });
}
