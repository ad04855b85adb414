// doctest entry point for the integration tests (real Kafka and PostgreSQL, started by ./ops/test).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

int main(int argc, char** argv) { return doctest::Context(argc, argv).run(); }
