// A test's own PostgreSQL cluster: initdb and pg_ctl from /usr/lib/postgresql/15/bin, as `debrief-pg` when root.
#include "tests/integration/test_postgres_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <stdexcept>

namespace debrief::it {
namespace {

const std::filesystem::path postgres_bin = "/usr/lib/postgresql/15/bin";
constexpr const char* postgres_os_user = "debrief-pg";  // as in ops/lib.sh: PostgreSQL refuses to run as root

bool is_root() { return ::geteuid() == 0; }

// A port nobody listens on now; the server keeps it across restarts, so Debrief's URL stays valid.
unsigned short free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

// Runs a program to its end with its output appended to `output`; its exit status.
int run_program(std::vector<std::string> arguments, const std::filesystem::path& output) {
    if (is_root()) arguments.insert(arguments.begin(), {"runuser", "-u", postgres_os_user, "--"});
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) throw std::runtime_error("cannot write " + output.string());
    const int pid = ::fork();
    if (pid == 0) {
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
        ::execvp(argv[0], argv.data());
        _exit(127);
    }
    ::close(out);
    if (pid < 0) throw std::runtime_error("fork failed");
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void hand_to_postgres_user(const std::filesystem::path& path) {
    if (!is_root()) return;
    const passwd* user = ::getpwnam(postgres_os_user);
    if (!user) throw std::runtime_error(std::string("the system user ") + postgres_os_user + " does not exist: ops/pg-up creates it");
    if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) throw std::runtime_error("cannot chown " + path.string());
}

}  // namespace

TestPostgresServer::TestPostgresServer() {
    std::random_device random;
    directory_ = std::filesystem::temp_directory_path() / ("debrief-it-pg-" + std::to_string(::getpid()) + "-" + std::to_string(random() & 0xffffff));
    std::filesystem::create_directories(directory_ / "run");
    // PostgreSQL writes its log, socket and lock files here, as its own user.
    hand_to_postgres_user(directory_);
    hand_to_postgres_user(directory_ / "run");
    port_ = free_port();
    const auto initdb = run_program({(postgres_bin / "initdb").string(), "-D", (directory_ / "data").string(), "-U", "debrief", "--auth=trust",
                                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
                                    directory_ / "initdb.log");
    if (initdb != 0) {
        std::ifstream log(directory_ / "initdb.log");
        std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
        throw std::runtime_error("initdb failed: " + text);
    }
    start();
}

TestPostgresServer::~TestPostgresServer() {
    try {
        if (running_) stop_immediate();
    } catch (const std::exception&) {
        // the directory goes below either way; a server left running would fail on its missing files and exit
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

void TestPostgresServer::pg_ctl(const std::vector<std::string>& arguments) {
    std::vector<std::string> command{(postgres_bin / "pg_ctl").string(), "-D", (directory_ / "data").string(), "-w", "-t", "60"};
    command.insert(command.end(), arguments.begin(), arguments.end());
    if (run_program(command, directory_ / "pg_ctl.log") != 0)
        throw std::runtime_error("pg_ctl " + arguments.back() + " failed; the server's log:\n" + log_tail());
}

void TestPostgresServer::start() {
    // fsync on, as in ops/pg-up: an immediate stop must leave only what a real crash leaves.
    pg_ctl({"-l", (directory_ / "postgres.log").string(), "-o",
            "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + (directory_ / "run").string() + " -c max_connections=60 -c fsync=on",
            "start"});
    running_ = true;  // -w: pg_ctl returned once the server accepts connections
}

void TestPostgresServer::stop_immediate() {
    pg_ctl({"-m", "immediate", "stop"});
    running_ = false;
}

void TestPostgresServer::restart() {
    if (running_) stop_immediate();
    start();
}

std::string TestPostgresServer::url() const { return "postgresql://debrief@127.0.0.1:" + std::to_string(port_) + "/postgres"; }

std::string TestPostgresServer::log_tail(std::size_t bytes) const {
    std::ifstream log(directory_ / "postgres.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

}  // namespace debrief::it
