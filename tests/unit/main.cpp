// doctest entry point for the unit tests; logs below warnings are silenced so failures stand out.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);
    return doctest::Context(argc, argv).run();
}
