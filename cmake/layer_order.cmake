# The layers of pipesplit, lowest first, and the layers each may use (directly; what those use comes with them).
# Every folder is one layer; a source file may include headers of its own layer and of the layers below it only.
# check_layers.cmake enforces that on every build (target pipesplit_layers) and as a test (layers). Tests of the
# layers below sim may include any of those layers, never sim/analysis/cli: they link without SimGrid.
set(PIPESPLIT_LAYERS core models exec cost solver measure scenario sim trial analysis cli)
set(PIPESPLIT_LAYER_USES_core "")
set(PIPESPLIT_LAYER_USES_models core)
set(PIPESPLIT_LAYER_USES_exec models)
set(PIPESPLIT_LAYER_USES_cost core)
set(PIPESPLIT_LAYER_USES_solver cost)
set(PIPESPLIT_LAYER_USES_measure cost)
set(PIPESPLIT_LAYER_USES_scenario measure models)
set(PIPESPLIT_LAYER_USES_sim scenario)
set(PIPESPLIT_LAYER_USES_analysis scenario solver sim)
set(PIPESPLIT_LAYER_USES_trial sim solver exec)
set(PIPESPLIT_LAYER_USES_cli analysis exec trial)

