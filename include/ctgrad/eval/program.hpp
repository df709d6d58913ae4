#pragma once
/// @file
/// The evaluator: a program generated from a node list. Its parts, each a header of its own:
/// analysis/liveness.hpp (which nodes are live, fused, slotless; each region's strategy),
/// eval/layout.hpp (the workspace), eval/elementwise.hpp (the elementwise reverse rule),
/// eval/fused.hpp (fused reductions) and eval/sweeps.hpp (the forward and reverse sweeps).
#include "../analysis/liveness.hpp"
#include "elementwise.hpp"
#include "fused.hpp"
#include "layout.hpp"
#include "sweeps.hpp"
