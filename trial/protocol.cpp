#include "trial/protocol.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/endian/conversion.hpp>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstring>
#include <thread>

namespace pipesplit::trial {

namespace {

constexpr uint32_t magic           = 0x54505350; // "PSPT" in little-endian order
constexpr uint64_t largest_payload = 1ULL << 31;
constexpr size_t header_bytes      = 24;

template <typename T>
void put(std::array<std::byte, header_bytes>& header, size_t offset, T value)
{
  value = boost::endian::native_to_little(value);
  std::memcpy(header.data() + offset, &value, sizeof(T));
}

template <typename T>
T get(const std::array<std::byte, header_bytes>& header, size_t offset)
{
  T value;
  std::memcpy(&value, header.data() + offset, sizeof(T));
  return boost::endian::little_to_native(value);
}

[[noreturn]] void lost(const std::string& peer, const boost::system::error_code& error)
{
  if (error == boost::asio::error::eof || error == boost::asio::error::connection_reset)
    throw ProtocolError(fmt::format("{} went away (connection closed)", peer));
  throw ProtocolError(fmt::format("connection to {} failed: {}", peer, error.message()));
}

} // namespace

std::string to_string(FrameType type)
{
  switch (type) {
  case FrameType::Hello:
    return "Hello";
  case FrameType::Assign:
    return "Assign";
  case FrameType::Ready:
    return "Ready";
  case FrameType::Tensor:
    return "Tensor";
  case FrameType::End:
    return "End";
  case FrameType::Report:
    return "Report";
  case FrameType::Error:
    return "Error";
  case FrameType::Ack:
    return "Ack";
  }
  return fmt::format("unknown ({})", static_cast<int>(type));
}

nlohmann::json Frame::json() const
{
  try {
    return nlohmann::json::parse(reinterpret_cast<const char*>(payload.data()),
                                 reinterpret_cast<const char*>(payload.data() + payload.size()));
  } catch (const nlohmann::json::exception& e) {
    throw ProtocolError(fmt::format("a {} frame does not hold JSON: {}", to_string(type), e.what()));
  }
}

void write_ack(tcp::socket& socket, uint64_t index, const std::string& peer)
{
  write_frame(socket, FrameType::Ack, index, nullptr, 0, peer);
}

void expect_ack(tcp::socket& socket, uint64_t index, const std::string& peer)
{
  if (const Frame frame = expect_frame(socket, FrameType::Ack, peer); frame.index != index)
    throw ProtocolError(fmt::format("{} acknowledged input {} where input {} was due", peer, frame.index, index));
}

Frame read_frame(tcp::socket& socket, const std::string& peer)
{
  std::array<std::byte, header_bytes> header{};
  boost::system::error_code error;
  boost::asio::read(socket, boost::asio::buffer(header), error);
  if (error)
    lost(peer, error);
  if (get<uint32_t>(header, 0) != magic)
    throw ProtocolError(fmt::format("{} does not speak the pipesplit trial protocol (bad magic)", peer));
  if (const auto version = get<uint16_t>(header, 4); version != protocol_version)
    throw ProtocolError(
        fmt::format("{} speaks trial protocol version {}, this pipesplit speaks {}", peer, version, protocol_version));
  Frame frame;
  frame.type        = static_cast<FrameType>(get<uint16_t>(header, 6));
  frame.index       = get<uint64_t>(header, 8);
  const auto length = get<uint64_t>(header, 16);
  if (length > largest_payload)
    throw ProtocolError(fmt::format("{} announced a {}-byte frame (at most {})", peer, length, largest_payload));
  frame.payload.resize(length);
  boost::asio::read(socket, boost::asio::buffer(frame.payload), error);
  if (error)
    lost(peer, error);
  return frame;
}

void write_frame(tcp::socket& socket, FrameType type, uint64_t index, const void* data, size_t size,
                 const std::string& peer)
{
  std::array<std::byte, header_bytes> header{};
  put<uint32_t>(header, 0, magic);
  put<uint16_t>(header, 4, protocol_version);
  put<uint16_t>(header, 6, static_cast<uint16_t>(type));
  put<uint64_t>(header, 8, index);
  put<uint64_t>(header, 16, size);
  const std::array<boost::asio::const_buffer, 2> buffers{boost::asio::buffer(header), boost::asio::buffer(data, size)};
  boost::system::error_code error;
  boost::asio::write(socket, buffers, error);
  if (error)
    lost(peer, error);
}

void write_json(tcp::socket& socket, FrameType type, const nlohmann::json& document, const std::string& peer)
{
  const std::string text = document.dump();
  write_frame(socket, type, 0, text.data(), text.size(), peer);
}

Frame expect_frame(tcp::socket& socket, FrameType type, const std::string& peer)
{
  Frame frame = read_frame(socket, peer);
  if (frame.type == FrameType::Error)
    throw ProtocolError(
        fmt::format("{} reports: {}", peer,
                    std::string(reinterpret_cast<const char*>(frame.payload.data()), frame.payload.size())));
  if (frame.type != type)
    throw ProtocolError(
        fmt::format("{} sent a {} frame where a {} frame belongs", peer, to_string(frame.type), to_string(type)));
  return frame;
}

void check_agreement(const nlohmann::json& document, uint64_t chain_hash, const std::string& peer)
{
  if (document.value("protocol", 0) != protocol_version)
    throw ProtocolError(fmt::format("{} speaks trial protocol version {}, this pipesplit speaks {}", peer,
                                    document.value("protocol", 0), protocol_version));
  const auto theirs = document.value("chain_hash", std::string());
  const auto ours   = fmt::format("{:016x}", chain_hash);
  if (theirs != ours)
    throw ProtocolError(fmt::format("{} has another model (chain hash {}, here {}): run both with the same scenario "
                                    "and model files",
                                    peer, theirs, ours));
}

tcp::socket connect_to(boost::asio::io_context& context, const std::string& address, int port, double patience_s,
                       const std::string& peer)
{
  tcp::resolver resolver(context);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(patience_s);
  for (;;) {
    boost::system::error_code error;
    const auto endpoints = resolver.resolve(address, std::to_string(port), error);
    tcp::socket socket(context);
    if (!error)
      boost::asio::connect(socket, endpoints, error);
    if (!error) {
      socket.set_option(tcp::no_delay(true));
      return socket;
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw ProtocolError(fmt::format("cannot connect to {} at {}:{}: {}", peer, address, port, error.message()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

} // namespace pipesplit::trial
