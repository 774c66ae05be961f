#pragma once
// The core layer (plain data every layer shares: platform view, model, chain; errors, exit statuses, units, YAML
// reading with locations): the bottom of the layers (cmake/layer_order.cmake), it uses none.

namespace pipesplit::core {}
