// Follow-up delivery: the e-mail's text, the file drop, SMTP against a local stub server, and the outbox's drain
// with retries recorded as events.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapters/delivery/file_drop_delivery.hpp"
#include "adapters/delivery/smtp_delivery.hpp"
#include "app/outbox_dispatcher.hpp"
#include "commands/follow_up_commands.hpp"
#include "tests/support/stub_smtp_server.hpp"
#include "tests/unit/workflow_fixture.hpp"

using namespace debrief;
using debrief::testing::StubSmtpServer;

namespace {

delivery::EmailMessage a_message() {
    return {"<f-1@debrief.follow-up>", "Debrief <debrief@example.com>", "sam@example.com", "maria@example.com", "Your session on 2026-11-20",
            "Hi Maria,\n.leading dot\nBye\n", 1'795'000'000'000, "f-1"};
}

class ScriptedDelivery final : public delivery::Delivery {
public:
    std::vector<bool> outcomes;  // one per attempt; delivered when true
    std::vector<delivery::EmailMessage> seen;
    std::string_view channel() const override { return "file"; }
    Result<std::string> deliver(const delivery::EmailMessage& message) override {
        seen.push_back(message);
        bool ok = seen.size() <= outcomes.size() && outcomes[seen.size() - 1];
        if (ok) return std::string("delivered");
        return Error{ErrorKind::unavailable, "delivery_failed", "connection refused"};
    }
};

}  // namespace

TEST_CASE("the e-mail text has the headers a mail system needs, CRLF lines, and an encoded non-ASCII subject") {
    auto text = delivery::to_rfc5322(a_message());
    CHECK(text.find("From: Debrief <debrief@example.com>\r\n") != std::string::npos);
    CHECK(text.find("To: maria@example.com\r\n") != std::string::npos);
    CHECK(text.find("Reply-To: sam@example.com\r\n") != std::string::npos);
    CHECK(text.find("Message-ID: <f-1@debrief.follow-up>\r\n") != std::string::npos);
    CHECK(text.find("Date: ") == 0);
    CHECK(text.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
    CHECK(text.find("\r\n\r\nHi Maria,\r\n.leading dot\r\nBye\r\n") != std::string::npos);
    auto message = a_message();
    message.subject = "Séance du 20 novembre";
    CHECK(delivery::to_rfc5322(message).find("Subject: =?UTF-8?B?" + delivery::base64("Séance du 20 novembre") + "?=\r\n") != std::string::npos);
    CHECK(delivery::base64("hello") == "aGVsbG8=");
}

TEST_CASE("SMTP helpers: envelope addresses and dot-stuffing") {
    CHECK(delivery::envelope_address("Debrief <debrief@example.com>") == "debrief@example.com");
    CHECK(delivery::envelope_address("maria@example.com") == "maria@example.com");
    CHECK(delivery::dot_stuffed("a\r\n.b\r\n..c") == "a\r\n..b\r\n...c\r\n.\r\n");
}

TEST_CASE("the file drop writes one .eml per follow-up, whole, and a retry overwrites it") {
    auto dir = std::filesystem::temp_directory_path() / ("debrief-drop-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    delivery::FileDropDelivery drop(dir / "outbox");
    auto first = drop.deliver(a_message());
    REQUIRE(first.ok());
    CHECK(first.value() == (dir / "outbox" / "f-1.eml").string());
    REQUIRE(drop.deliver(a_message()).ok());
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir / "outbox")) ++files;
    CHECK(files == 1);  // no temporary left, no duplicate
    std::ifstream in(dir / "outbox" / "f-1.eml");
    std::stringstream content;
    content << in.rdbuf();
    CHECK(content.str() == delivery::to_rfc5322(a_message()));
    std::filesystem::remove_all(dir);

    delivery::FileDropDelivery nowhere("/proc/debrief-cannot-write-here");
    auto failed = nowhere.deliver(a_message());
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == "delivery_failed");
}

TEST_CASE("SMTP delivery speaks the protocol to a relay: EHLO, AUTH PLAIN, MAIL, RCPT, DATA with dot-stuffing, QUIT") {
    StubSmtpServer server(StubSmtpServer::Script{});
    delivery::SmtpDelivery smtp({"127.0.0.1", server.port(), "debrief", "s3cret", "debrief.test", std::chrono::milliseconds(5000)});
    auto sent = smtp.deliver(a_message());
    REQUIRE(sent.ok());
    CHECK(sent.value().find("queued as 42") != std::string::npos);
    auto received = server.received();
    CHECK(received.find("EHLO debrief.test\r\n") == 0);
    CHECK(received.find("AUTH PLAIN " + delivery::base64(std::string("\0debrief\0s3cret", 15)) + "\r\n") != std::string::npos);
    CHECK(received.find("MAIL FROM:<debrief@example.com>\r\n") != std::string::npos);
    CHECK(received.find("RCPT TO:<maria@example.com>\r\n") != std::string::npos);
    CHECK(received.find("\r\n..leading dot\r\n") != std::string::npos);
    CHECK(received.find("\r\n.\r\nQUIT\r\n") != std::string::npos);
}

TEST_CASE("SMTP refusals and unreachable relays are errors that name the step") {
    {
        StubSmtpServer server(StubSmtpServer::Script{{"RCPT", "451 4.7.1 greylisted, try later"}});
        delivery::SmtpDelivery smtp({"127.0.0.1", server.port(), "", "", "debrief.test", std::chrono::milliseconds(5000)});
        auto refused = smtp.deliver(a_message());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.find("RCPT TO refused: 451 4.7.1 greylisted") != std::string::npos);
        CHECK(server.received().find("AUTH") == std::string::npos);  // no credentials configured, none sent
    }
    {
        StubSmtpServer server(StubSmtpServer::Script{{"greeting", "554 go away"}});
        delivery::SmtpDelivery smtp({"127.0.0.1", server.port(), "", "", "debrief.test", std::chrono::milliseconds(5000)});
        auto refused = smtp.deliver(a_message());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.find("greeting refused") != std::string::npos);
    }
    unsigned short closed_port = 0;
    {
        StubSmtpServer server(StubSmtpServer::Script{});
        closed_port = server.port();
    }
    delivery::SmtpDelivery smtp({"127.0.0.1", closed_port, "", "", "debrief.test", std::chrono::milliseconds(2000)});
    auto unreachable = smtp.deliver(a_message());
    REQUIRE_FALSE(unreachable.ok());
    CHECK(unreachable.error().message.find("cannot connect") != std::string::npos);
}

TEST_CASE("the outbox delivers what is due, records failures with their retry time, and sends on the retry") {
    commands::Workflow w;
    std::int64_t now = 1'800'000'000'000;  // the fixture's command clock
    ScriptedDelivery scripted;
    scripted.outcomes = {false, true};
    app::OutboxDispatcher outbox(w.model, w.handler, scripted, app::OutboxSettings{commands::RetryPolicy{60'000, 600'000, 5}, "Debrief <d@example.com>", {}},
                                 [&] { return now; });
    CHECK(outbox.drain_once() == 0);  // drafted, not scheduled: nothing to deliver
    REQUIRE(commands::send_follow_up(w.handler, w.admin, w.follow_up, 0, {}).ok());

    CHECK(outbox.drain_once() == 1);
    REQUIRE(scripted.seen.size() == 1);
    CHECK(scripted.seen[0].to == "jon@example.com");
    CHECK(scripted.seen[0].reply_to == "ada@example.com");
    CHECK(scripted.seen[0].message_id == commands::message_id_of(w.follow_up));
    auto appended = w.log.events();
    const auto failed = std::get<events::FollowUpDeliveryFailed>(appended.back().payload);
    CHECK(failed.attempt == 1);
    CHECK(failed.error == "connection refused");
    CHECK(w.model.next_outbox_time() == std::optional<std::int64_t>(1'800'000'060'000));

    CHECK(outbox.drain_once() == 0);  // not due yet: the retry waits for its time
    CHECK(scripted.seen.size() == 1);
    now += 60'000;
    CHECK(outbox.drain_once() == 1);
    REQUIRE(scripted.seen.size() == 2);
    CHECK(scripted.seen[1].message_id == scripted.seen[0].message_id);
    appended = w.log.events();
    const auto sent = std::get<events::FollowUpSent>(appended.back().payload);
    CHECK(sent.attempt == 2);
    CHECK(w.model.state(w.follow_up).status == commands::FollowUpStatus::sent);
    CHECK_FALSE(w.model.next_outbox_time().has_value());
}

TEST_CASE("an outcome the log refuses is kept and appended later; the message is not delivered twice") {
    commands::Workflow w;
    std::int64_t now = 1'800'000'000'000;
    ScriptedDelivery scripted;
    scripted.outcomes = {true, true};
    app::OutboxDispatcher outbox(w.model, w.handler, scripted, app::OutboxSettings{}, [&] { return now; });
    REQUIRE(commands::send_follow_up(w.handler, w.admin, w.follow_up, 0, {}).ok());
    w.log.fail_next_append();
    CHECK(outbox.drain_once() == 0);
    CHECK(scripted.seen.size() == 1);
    CHECK(w.model.state(w.follow_up).status == commands::FollowUpStatus::scheduled);
    CHECK(outbox.drain_once() == 1);
    CHECK(scripted.seen.size() == 1);  // recorded now, not sent again
    CHECK(w.model.state(w.follow_up).status == commands::FollowUpStatus::sent);
    CHECK(outbox.drain_once() == 0);
}
