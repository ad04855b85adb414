// permessage-deflate (RFC 7692) as Debrief's WebSockets offer it, and as bench/ws_baseline_server offers it to be
// compared like for like. Small windows and a small memory level keep a socket's compression state to a few KiB
// (Beast allocates it at the first message it compresses); short messages are not worth compressing. Only for .cpp
// files that use Beast's WebSockets already.
#pragma once

#include <boost/beast/websocket/stream.hpp>

namespace debrief::api {

inline boost::beast::websocket::permessage_deflate deflate_offer() {
    boost::beast::websocket::permessage_deflate offer;
    offer.server_enable = true;
    offer.server_max_window_bits = 10;  // what the server compresses with: a 1 KiB window (zlib refuses 8)
    offer.client_max_window_bits = 10;  // what the client compresses with, when its offer lets the server choose
    offer.compLevel = 3;                // fast: a message is compressed once per recipient
    offer.memLevel = 3;                 // a 1 KiB hash table and 512 literals: about 8 KiB of deflate state
    offer.msg_size_threshold = 256;     // a shorter message goes as it is
    return offer;
}

// Offers it on a server's stream (before the accept). Beast keeps a write buffer for every stream that may compress,
// allocated at its first message: 1 KiB instead of its 4 KiB (a longer compressed message goes in several frames).
template <typename Stream>
void offer_deflate(boost::beast::websocket::stream<Stream>& stream) {
    stream.set_option(deflate_offer());
    stream.write_buffer_bytes(1024);
}

}  // namespace debrief::api
