#pragma once
// The trial's wire protocol, over TCP with Boost.Asio. Every message is a frame: a 24-byte header (little-endian)
//   magic "PSPT" (u32), protocol version (u16), type (u16), input index (u64), payload bytes (u64)
// then the payload: a tensor's bytes, or a JSON document for control messages. Connections:
//   controller -> worker (control): Assign {protocol, chain_hash, stage, first, last, threads, next}, Ready | Error,
//                                   then at the end Report {records, bytes_received}
//   upstream -> worker (data):      Hello {protocol, chain_hash, stage}, then Tensor frames, then End.
// A peer of another protocol version, or with another model (chain hash), is refused with a message saying so; a
// peer that goes away ends the run with a message naming it.

#include "core/error.hpp"
#include "trial/layer.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pipesplit::trial {

// 2: the assignment carries the queue policy; 3: every Tensor frame is acknowledged, under block too.
inline constexpr uint16_t protocol_version = 3;

// Ack: the receiver of a Tensor frame acknowledges it as soon as it has taken it all (stage_inbox.hpp), so that a send
// completes when the next hop has the input, as a SimGrid communication does (the simulator's one-slot send queue
// then holds the sender back exactly as in the trial, rather than the sockets' and tc's buffers absorbing inputs).
enum class FrameType : uint16_t {
  Hello  = 1,
  Assign = 2,
  Ready  = 3,
  Tensor = 4,
  End    = 5,
  Report = 6,
  Error  = 7,
  Ack    = 8
};
std::string to_string(FrameType type);

struct Frame {
  FrameType type = FrameType::Hello;
  uint64_t index = 0;
  std::vector<std::byte> payload;

  nlohmann::json json() const; // the payload as JSON (control frames); throws ProtocolError when it is not
};

// The peer broke the protocol, disagreed with us, or went away: the trial failed (exit status 3, as a failed
// simulation).
class ProtocolError : public SimulationFailure {
public:
  using SimulationFailure::SimulationFailure;
};

using boost::asio::ip::tcp;

// `peer` names the other end in messages ("stage 1 (pi1)", "the controller").
Frame read_frame(tcp::socket& socket, const std::string& peer);
void write_frame(tcp::socket& socket, FrameType type, uint64_t index, const void* data, size_t size,
                 const std::string& peer);
void write_json(tcp::socket& socket, FrameType type, const nlohmann::json& document, const std::string& peer);

// Reads one frame and checks its type; an Error frame from the peer becomes a ProtocolError with its text.
Frame expect_frame(tcp::socket& socket, FrameType type, const std::string& peer);

// Acknowledges Tensor frame `index`, and waits for that acknowledgement (ProtocolError when another frame comes).
void write_ack(tcp::socket& socket, uint64_t index, const std::string& peer);
void expect_ack(tcp::socket& socket, uint64_t index, const std::string& peer);

// Throws ProtocolError unless a Hello or Assign document speaks our protocol and names the same chain.
void check_agreement(const nlohmann::json& document, uint64_t chain_hash, const std::string& peer);

// Connects to address:port (numeric IPv4 or a host name), retrying for up to `patience_s` while it refuses.
tcp::socket connect_to(boost::asio::io_context& context, const std::string& address, int port, double patience_s,
                       const std::string& peer);

} // namespace pipesplit::trial
