#pragma once
// A stage's inputs under the drop-oldest queue policy (a live camera feed): a reader thread keeps taking frames off
// the socket, so that the previous stage never waits for this one, and when the stage is ready for its next input,
// of the inputs that arrived while it was busy only the newest `depth` are still queued: the older ones are dropped.
// This is the rule of the simulator's stages (sim/replay.cpp, Replay::take), so that measured and simulated drops
// compare. The reader acknowledges every input as soon as it has it (protocol.hpp, FrameType::Ack). (Under the block
// policy a stage reads straight off the socket: TCP's flow control holds the previous stage back.)

#include "trial/layer.hpp"
#include "trial/protocol.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace pipesplit::trial {

struct Arrival {
  Frame frame;
  double receive_start = 0, receive_end = 0; // monotonic_seconds() when its first and last bytes were read
};

class DroppingInbox {
public:
  DroppingInbox(tcp::socket& upstream, std::string previous, int depth);
  ~DroppingInbox(); // shuts the socket's reading side down and joins the reader
  DroppingInbox(const DroppingInbox&)            = delete;
  DroppingInbox& operator=(const DroppingInbox&) = delete;

  // The next input to compute (or the End frame, once every input before it was taken or dropped); waits for one.
  // Throws the reader's ProtocolError when the previous hop failed.
  Arrival next();
  long long dropped() const;

private:
  void read_all();

  tcp::socket& upstream_;
  const std::string previous_;
  const size_t depth_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Arrival> waiting_;
  long long dropped_ = 0;
  std::exception_ptr failure_;
  std::thread reader_;
};

} // namespace pipesplit::trial
