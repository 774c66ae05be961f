#pragma once
// A stage's queue of inputs, as the simulator's stages keep it (sim/replay.cpp, Replay::take), so that measured and
// simulated queues compare. A reader thread takes frames off the socket and acknowledges each as soon as it has it
// all (protocol.hpp, FrameType::Ack): the previous hop's send completes then, as a SimGrid communication does.
//  - block: the reader takes a frame only while the queue holds fewer than `depth` inputs (the simulator's credits),
//    so an input waits in the previous stage, not in the sockets' and tc's megabytes of buffers;
//  - drop-oldest (a live camera feed): the reader takes every frame, so that the previous stage never waits for this
//    one, and when the stage is ready for its next input, of the inputs that arrived while it was busy only the
//    newest `depth` are still queued: the older ones are dropped.

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

class StageInbox {
public:
  StageInbox(tcp::socket& upstream, std::string previous, int depth, bool drop_oldest);
  ~StageInbox(); // shuts the socket's reading side down and joins the reader
  StageInbox(const StageInbox&)            = delete;
  StageInbox& operator=(const StageInbox&) = delete;

  // The next input to compute (or the End frame, once every input before it was taken or dropped); waits for one.
  // Throws the reader's ProtocolError when the previous hop failed.
  Arrival next();
  long long dropped() const;

private:
  void read_all();
  size_t queued() const; // inputs waiting (the End frame, always last, takes no room)

  tcp::socket& upstream_;
  const std::string previous_;
  const size_t depth_;
  const bool drop_oldest_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Arrival> waiting_;
  long long dropped_ = 0;
  bool stopping_     = false;
  std::exception_ptr failure_;
  std::thread reader_;
};

} // namespace pipesplit::trial
