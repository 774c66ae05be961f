#include "sim/engine_arguments.hpp"

namespace pipesplit::sim {

EngineArguments::EngineArguments() : words_{"pipesplit"}
{
#ifdef PIPESPLIT_SIMGRID_THREAD_CONTEXTS
  words_.emplace_back("--cfg=contexts/factory:thread");
#endif
  for (auto& word : words_)
    pointers_.push_back(word.data());
  argc_ = static_cast<int>(words_.size());
  pointers_.push_back(nullptr);
}

} // namespace pipesplit::sim
