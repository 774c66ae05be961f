#include "trial/dropping_inbox.hpp"
#include "trial/worker.hpp"

namespace pipesplit::trial {

DroppingInbox::DroppingInbox(tcp::socket& upstream, std::string previous, int depth)
    : upstream_(upstream), previous_(std::move(previous)), depth_(static_cast<size_t>(std::max(depth, 1))),
      reader_([this] { read_all(); })
{}

DroppingInbox::~DroppingInbox()
{
  boost::system::error_code ignored;
  upstream_.shutdown(tcp::socket::shutdown_receive, ignored); // a reader still waiting for a frame returns
  reader_.join();
}

void DroppingInbox::read_all()
{
  try {
    for (;;) {
      Arrival arrival;
      arrival.receive_start = monotonic_seconds();
      arrival.frame         = read_frame(upstream_, previous_);
      arrival.receive_end   = monotonic_seconds();
      const bool end        = arrival.frame.type == FrameType::End;
      if (arrival.frame.type == FrameType::Tensor)
        write_ack(upstream_, arrival.frame.index, previous_);
      std::lock_guard lock(mutex_);
      waiting_.push_back(std::move(arrival));
      arrived_.notify_all();
      if (end)
        return;
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    failure_ = std::current_exception();
    arrived_.notify_all();
  }
}

Arrival DroppingInbox::next()
{
  std::unique_lock lock(mutex_);
  // The End frame, always last, takes no room in the queue.
  auto queued = [this] { return waiting_.size() - (waiting_.back().frame.type == FrameType::End ? 1 : 0); };
  arrived_.wait(lock, [this] { return !waiting_.empty() || failure_; });
  if (waiting_.empty())
    std::rethrow_exception(failure_);
  while (queued() > depth_) {
    waiting_.pop_front();
    ++dropped_;
  }
  Arrival arrival = std::move(waiting_.front());
  waiting_.pop_front();
  return arrival;
}

long long DroppingInbox::dropped() const
{
  std::lock_guard lock(mutex_);
  return dropped_;
}

} // namespace pipesplit::trial
